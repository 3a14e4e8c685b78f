"""Inputs and read models of the 000 user profile and dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from interviewd.models.mentor import Mentor
from interviewd.models.user import User

_Text = Field(default=None, max_length=100)


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


def _strings(value: Any, *, limit: int, length: int) -> Any:
    if value is None:
        return value
    if not isinstance(value, list) or len(value) > limit:
        raise ValueError(f"must be a list of at most {limit} strings")
    cleaned = []
    for item in value:
        if not isinstance(item, str) or len(item) > length:
            raise ValueError(f"items must be strings of at most {length} characters")
        item = item.strip()
        if item and item not in cleaned:
            cleaned.append(item)
    return cleaned


class ProfilePreferences(_Camel):
    recent_searches: list[str] | None = None
    favorite_topics: list[str] | None = None
    timezone: str | None = Field(default=None, max_length=64)

    @field_validator("recent_searches", "favorite_topics", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _strings(value, limit=50, length=200)


class ProfileUpsert(_Camel):
    """000's POST /api/users body. Omitted fields keep their stored value."""

    user_id: str | None = Field(default=None, max_length=255)
    email: str | None = Field(default=None, max_length=320)
    first_name: str | None = Field(default=None, max_length=120)
    last_name: str | None = Field(default=None, max_length=120)
    profile_image: str | None = Field(default=None, max_length=1000)
    role: str | None = Field(default=None, max_length=20)
    experience: str | None = _Text
    skills: list[str] | None = None
    preferences: ProfilePreferences | None = None

    @field_validator("skills", mode="before")
    @classmethod
    def _skills(cls, value: Any) -> Any:
        return _strings(value, limit=100, length=100)

    @field_validator("profile_image")
    @classmethod
    def _image(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return value or None
        if not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
            raise ValueError("must be an http(s) URL")
        return value


@dataclass(frozen=True)
class UpsertResult:
    user: User
    subject: str  # the id the contract calls userId
    created: bool


@dataclass(frozen=True)
class SkillAssessment:
    skill: str
    score: int  # 0-100
    assessed_at: datetime


@dataclass(frozen=True)
class HistoryItem:
    id: str
    mentor_id: str
    date: datetime
    duration: int  # minutes
    type: str | None
    rating: int | None
    feedback: str | None


@dataclass(frozen=True)
class ProfileView:
    user: User
    subject: str
    history: list[HistoryItem]
    skills: list[SkillAssessment]
    favorites: list[str]


@dataclass(frozen=True)
class FavoriteCard:
    mentor: Mentor
    added_at: datetime


@dataclass(frozen=True)
class Stats:
    total_interviews: int
    completed_count: int
    upcoming_count: int
    average_score: float | None
    total_hours_spent: float


@dataclass(frozen=True)
class Activity:
    type: str
    description: str
    date: datetime
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Dashboard:
    stats: Stats
    progress: list[dict]  # {month, score, interviews}
    skills: list[SkillAssessment]
    upcoming: list[dict]  # {id, mentorName, company, title, scheduledAt, type, difficulty}
    activity: list[Activity]
