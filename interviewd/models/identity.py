from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from interviewd.kit.clock import utcnow
from interviewd.models.base import Base, UTCDateTime


class ExternalIdentity(Base):
    """A sign-in identity from outside: an OAuth provider account (google,
    linkedin) or an external identity provider's subject (000's Clerk JWTs).
    (provider, subject) names one person at that provider; it links to one user."""

    __tablename__ = "external_identities"
    __table_args__ = (UniqueConstraint("provider", "subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(320))
    claims: Mapped[dict] = mapped_column(JSON, default=dict)  # the last verified claims, for support
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
