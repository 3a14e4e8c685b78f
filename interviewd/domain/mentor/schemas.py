"""Mentor inputs and views. Field names accept camelCase (what 000 sends) and snake_case."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from interviewd.models.mentor import Mentor, Review

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_DAY_NAMES = {name: i for i, name in enumerate(WEEKDAYS)} | {name[:3]: i for i, name in enumerate(WEEKDAYS)}
_CLOCK = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")

Tag = Annotated[str, Field(min_length=1, max_length=100)]


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


def clock_minutes(value: Any) -> int:
    """'HH:MM' (24:00 allowed) as minutes since midnight."""
    if not isinstance(value, str) or not (match := _CLOCK.match(value.strip())):
        raise ValueError("must be a time HH:MM")
    minutes = int(match.group(1)) * 60 + int(match.group(2))
    if minutes > 1440:
        raise ValueError("must be at most 24:00")
    return minutes


def clock_text(minutes: int | None) -> str | None:
    if minutes is None:
        return None
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _clean_list(values: list[str]) -> list[str]:
    """Trimmed, without blanks and without case-insensitive duplicates, order kept."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        text = " ".join(value.split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return out


class MentorProfileFields(_Model):
    """The editable part of a mentor profile; every field optional (PATCH)."""

    name: str | None = Field(default=None, min_length=1, max_length=255)
    title: str | None = Field(default=None, max_length=255)
    current_company: str | None = Field(default=None, max_length=255)
    previous_companies: list[Tag] | None = Field(default=None, max_length=50)
    avatar: str | None = Field(default=None, max_length=1000)
    bio: str | None = Field(default=None, max_length=10_000)
    specialties: list[Tag] | None = Field(default=None, max_length=50)
    skills: list[Tag] | None = Field(default=None, max_length=100)
    languages: list[Tag] | None = Field(default=None, max_length=30)
    experience: int | None = Field(default=None, ge=0, le=80)
    hourly_rate: float | None = Field(default=None, ge=0, le=100_000)
    response_time: str | None = Field(default=None, max_length=50)
    timezone: str | None = Field(default=None, max_length=100)
    is_active: bool | None = None

    @field_validator("previous_companies", "specialties", "skills", "languages")
    @classmethod
    def _lists(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _clean_list(value)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be blank")
        return value.strip() if value is not None else None


class MentorCreate(MentorProfileFields):
    """A new profile. An admin may name the owning user (`userId`, the user's
    id on /api); a mentor always creates their own."""

    user_id: str | None = Field(default=None, max_length=64)


class WeeklyRule(_Model):
    weekday: int | str = Field(validation_alias=AliasChoices("weekday", "day", "dayOfWeek"))
    start: str
    end: str

    @field_validator("weekday")
    @classmethod
    def _weekday(cls, value: int | str) -> int:
        if isinstance(value, bool):
            raise ValueError("must be 0-6 (Monday=0) or a day name")
        if isinstance(value, int):
            if not 0 <= value <= 6:
                raise ValueError("must be 0-6 (Monday=0) or a day name")
            return value
        text = value.strip().lower()
        if text.isdigit() and 0 <= int(text) <= 6:
            return int(text)
        if text not in _DAY_NAMES:
            raise ValueError("must be 0-6 (Monday=0) or a day name")
        return _DAY_NAMES[text]

    @property
    def start_minute(self) -> int:
        return clock_minutes(self.start)

    @property
    def end_minute(self) -> int:
        return clock_minutes(self.end)

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        clock_minutes(value)
        return value.strip()


class DatedException(_Model):
    on_date: date = Field(validation_alias=AliasChoices("date", "onDate", "on_date"))
    start: str | None = None
    end: str | None = None
    available: bool = False
    reason: str | None = Field(default=None, max_length=255)

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str | None) -> str | None:
        if value is None:
            return None
        clock_minutes(value)
        return value.strip()


class AvailabilityUpdate(_Model):
    """A mentor's availability. Omitted parts keep their current value; a given
    `weekly` or `exceptions` list replaces the stored one."""

    timezone: str | None = Field(default=None, max_length=100)
    buffer_minutes: int | None = Field(default=None, ge=0, le=240)
    min_notice_minutes: int | None = Field(default=None, ge=0, le=60 * 24 * 60)
    weekly: list[WeeklyRule] | None = Field(
        default=None, max_length=200, validation_alias=AliasChoices("weekly", "rules", "weeklyRules")
    )
    exceptions: list[DatedException] | None = Field(default=None, max_length=1000)


@dataclass
class MentorSearch:
    """List filters; the lists match any of their values, case-insensitively."""

    page: int = 1
    limit: int = 20
    skills: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    rating_min: float | None = None
    price_min: float | None = None
    price_max: float | None = None
    experience_min: int | None = None
    search: str | None = None


@dataclass
class Facets:
    skills: list[str]
    companies: list[str]
    languages: list[str]
    price_range: tuple[float, float]
    experience_range: tuple[int, int]


@dataclass
class MentorCard:
    mentor: Mentor
    slots: list[datetime]


@dataclass
class MentorPage:
    cards: list[MentorCard]
    total: int
    page: int
    limit: int
    facets: Facets

    @property
    def total_pages(self) -> int:
        return (self.total + self.limit - 1) // self.limit if self.limit else 0


@dataclass
class ReviewView:
    review: Review
    user_uid: str | None
    user_name: str | None
    session_type: str | None


@dataclass
class MentorDetail:
    mentor: Mentor
    owner_uid: str | None
    reviews: list[ReviewView]
    slots: list[datetime]


@dataclass
class AvailabilityView:
    mentor: Mentor
    rules: list = field(default_factory=list)
    exceptions: list = field(default_factory=list)
