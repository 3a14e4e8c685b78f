"""Who is acting. Every service call receives one and checks permission itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from interviewd.errors import Forbidden
from interviewd.models.user import User


@dataclass(frozen=True)
class Principal:
    user: User
    jti: str | None = None
    family: str | None = None
    expires_at: datetime | None = None
    # The `sub` of an external identity provider's token; None for interviewd's own tokens.
    external_subject: str | None = None

    @property
    def user_id(self) -> int:
        return self.user.id

    @property
    def subject(self) -> str:
        """The token's subject: the provider's user id for a provider token,
        else the user's uid."""
        return self.external_subject or self.user.uid

    @property
    def is_admin(self) -> bool:
        return self.user.is_admin

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("Administrator access required")

    def require_self_or_admin(self, user_id: int) -> None:
        if self.user.id != user_id and not self.is_admin:
            raise Forbidden("You may not access another user's data")
