from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, EmailStr, Field


class UserCreate(BaseModel):
    email: EmailStr
    password: str | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = Field(default=None, min_length=3, max_length=150)
    company: str | None = None
    role: str = "candidate"
    status: str = "active"
    provider: str = "email"
    profile: dict = Field(default_factory=dict)
    preferences: dict = Field(default_factory=dict)


class UserUpdate(BaseModel):
    """Fields a user may change about themselves; None means unchanged."""

    name: str | None = Field(default=None, max_length=255)
    first_name: str | None = Field(default=None, max_length=120)
    last_name: str | None = Field(default=None, max_length=120)
    company: str | None = Field(default=None, max_length=255)
    avatar_url: str | None = Field(default=None, max_length=1000)
    profile: dict | None = None
    preferences: dict | None = None


class UserAdminUpdate(UserUpdate):
    """What an admin may change on any account."""

    email: EmailStr | None = None
    role: str | None = None
    status: str | None = None
    subscription_status: str | None = None
    subscription_plan: str | None = None
    subscription_end_date: datetime | None = None
