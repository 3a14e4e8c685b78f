from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from interviewd.kit.ids import new_uid
from interviewd.models.base import Base, Timestamped, UTCDateTime


class Role(StrEnum):
    CANDIDATE = "candidate"
    MENTOR = "mentor"
    INTERVIEWER = "interviewer"
    ADMIN = "admin"


class UserStatus(StrEnum):
    ACTIVE = "active"
    PENDING = "pending"
    DISABLED = "disabled"


class User(Timestamped, Base):
    """An account. `id` is the integer the /api/v1 contract shows; `uid` is the
    opaque string id of /api and the `sub` of every token."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    username: Mapped[str | None] = mapped_column(String(150), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255), default="")
    first_name: Mapped[str | None] = mapped_column(String(120))
    last_name: Mapped[str | None] = mapped_column(String(120))
    company: Mapped[str | None] = mapped_column(String(255))
    avatar_url: Mapped[str | None] = mapped_column(String(1000))
    role: Mapped[str] = mapped_column(String(20), default=Role.CANDIDATE.value)
    status: Mapped[str] = mapped_column(String(20), default=UserStatus.ACTIVE.value)
    provider: Mapped[str] = mapped_column(String(40), default="email")
    # Everything a product keeps about its user that no query filters on.
    profile: Mapped[dict] = mapped_column(JSON, default=dict)
    preferences: Mapped[dict] = mapped_column(JSON, default=dict)
    subscription_status: Mapped[str] = mapped_column(String(40), default="inactive")
    subscription_plan: Mapped[str] = mapped_column(String(40), default="free")
    subscription_end_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped to refuse every token issued before (password reset, disable).
    token_version: Mapped[int] = mapped_column(Integer, default=0)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_active(self) -> bool:
        return self.status == UserStatus.ACTIVE.value

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value
