"""Inputs and read models of the candidate account (003, 004)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool
from pydantic.alias_generators import to_camel

from interviewd.models.session import InterviewSession

# 003's interview modes and the difficulty both contracts use.
MODES = ("technical", "behavioral", "mixed", "system_design", "situational")
DIFFICULTIES = ("easy", "medium", "hard")
LANGUAGES = ("ko", "en")
KINDS = ("booking", "ai", "practice", "oneway")
# Every status a session of some kind can be in: AI (pending, in_progress,
# completed, abandoned), practice (scheduled, completed, cancelled), bookings
# (pending, confirmed, completed, cancelled, no_show) and one-way interviews.
STATUSES = ("pending", "scheduled", "confirmed", "in_progress", "active", "completed", "cancelled",
            "abandoned", "expired", "no_show", "invited", "submitted")

# 004's defaults for the preferences it names, shown when the user has not set them.
SETTINGS_DEFAULTS = {"jobCategory": None, "difficulty": "medium", "notifications": True, "language": "en"}


def _stripped(value: str) -> str:
    return value.strip()


Text40 = Annotated[str, Field(max_length=40), AfterValidator(_stripped)]
Text120 = Annotated[str, Field(max_length=120), AfterValidator(_stripped)]


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class PreferencesUpdate(_Camel):
    """Preferences of 003 (defaultMode ... darkMode) and 004 (jobCategory,
    difficulty, notifications, language) in one object; a key sent as null
    goes back to its default."""

    # 004
    job_category: str | None = Field(default=None, min_length=2, max_length=60,
                                     pattern=r"^[a-z0-9][a-z0-9-]*$")
    difficulty: Literal["easy", "medium", "hard"] | None = None
    notifications: StrictBool | None = None
    language: Literal["en", "ko"] | None = None
    # 003
    default_mode: Literal["technical", "behavioral", "mixed", "system_design", "situational"] | None = None
    default_difficulty: Literal["easy", "medium", "hard"] | None = None
    language_preferences: list[Text40] | None = Field(default=None, max_length=20)
    feedback_style: Text40 | None = None
    voice_input_enabled: StrictBool | None = None
    dark_mode: StrictBool | None = None
    # Days of streaks and dashboards are counted in this IANA zone (001).
    timezone: str | None = Field(default=None, max_length=64)

    def changes(self) -> dict:
        """The keys the client sent, by their camelCase names (None: back to default)."""
        return self.model_dump(by_alias=True, exclude_unset=True)


class ProfileFields(_Camel):
    """003's profile object."""

    job_titles: list[Text120] | None = Field(default=None, max_length=20)
    experience_level: Text40 | None = None
    primary_languages: list[Text40] | None = Field(default=None, max_length=20)
    industries: list[Text120] | None = Field(default=None, max_length=20)
    resume_summary: str | None = Field(default=None, max_length=5000)
    areas_of_interest: list[Text120] | None = Field(default=None, max_length=20)


class MeUpdate(_Camel):
    """003's PUT /api/users/me."""

    name: str | None = Field(default=None, max_length=255)
    profile: ProfileFields | None = None
    preferences: PreferencesUpdate | None = None


class ProfileUpdate(_Camel):
    """004's PUT /api/users/profile: the User fields a user may change.
    `email`, `role`, `subscription` and the timestamps are read-only here."""

    name: str | None = Field(default=None, max_length=255)
    first_name: str | None = Field(default=None, max_length=120)
    last_name: str | None = Field(default=None, max_length=120)
    avatar: str | None = Field(default=None, max_length=1000)
    preferences: PreferencesUpdate | None = None
    preferred_languages: list[Text40] | None = Field(default=None, max_length=20)
    experience_level: Text40 | None = None


@dataclass(frozen=True)
class SessionFilter:
    mode: str | None = None
    status: str | None = None
    kind: str | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    limit: int = 20
    offset: int = 0


@dataclass
class SessionRow:
    """A session of any kind with what its kind's own table adds for the list."""

    session: InterviewSession
    mode: str | None = None
    job_type: str | None = None
    difficulty: str | None = None
    question_count: int | None = None
    planned_minutes: int | None = None
    feedback_available: bool = False


@dataclass
class AccountStats:
    total_sessions: int = 0
    completed_sessions: int = 0
    average_score: float | None = None
    completed_challenges: int = 0
    answered_questions: int = 0
    streak_days: int = 0
    best_streak: int = 0
    total_minutes: int = 0
    sessions_by_kind: dict[str, int] = field(default_factory=dict)
    last_active: datetime | None = None
