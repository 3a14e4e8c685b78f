"""Inputs and read models of self-practice (contract 001).

The metric names are the contract's camelCase ones: they are stored as given
(in PracticeDetails.metrics) and shown back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from interviewd.models.practice import PracticeDetails, PracticeDomain
from interviewd.models.session import InterviewSession

# What a session practises; "mock" is a full mock interview, the others say
# which media the client captures.
SESSION_TYPES = ("mock", "video", "audio", "text")


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class PracticeSessionCreate(_Camel):
    user_id: str | None = Field(default=None, max_length=64)
    domain_id: str = Field(min_length=1, max_length=80)
    session_type: str = Field(default="mock", max_length=40)
    scheduled_at: datetime | None = None


def _score():
    return Field(default=None, ge=0, le=100)


class EmotionSample(_Camel):
    label: str = Field(min_length=1, max_length=40)
    probability: float = Field(ge=0, le=1)
    timestamp: float = Field(ge=0)


class PracticeMetrics(_Camel):
    """Final figures of a session. Every field is optional, but at least one
    measurement must be present (checked by the service)."""

    posture_score: float | None = _score()
    eye_contact_score: float | None = _score()
    gesture_score: float | None = _score()
    speech_pace_wpm: float | None = Field(default=None, ge=0, le=400)
    speech_clarity_score: float | None = _score()
    filler_word_frequency: float | None = Field(default=None, ge=0, le=1)
    emotion_timeline: list[EmotionSample] = Field(default_factory=list, max_length=10_000)
    overall_performance_score: float | None = _score()

    def as_stored(self) -> dict:
        return self.model_dump(by_alias=True, mode="json")


METRIC_FIELDS = tuple(PracticeMetrics.model_fields[name].alias for name in PracticeMetrics.model_fields)


@dataclass
class PracticeSessionView:
    """A practice session with what the contract shows beside it."""

    session: InterviewSession
    details: PracticeDetails
    domain: PracticeDomain
    user_uid: str
    recording: dict | None = None


@dataclass
class Page:
    items: list
    total: int
    page: int
    page_size: int

    @property
    def total_pages(self) -> int:
        return (self.total + self.page_size - 1) // self.page_size if self.page_size else 0


@dataclass
class UnlockedAchievement:
    code: str
    title: str
    description: str
    unlocked_at: datetime


@dataclass
class Dashboard:
    total_sessions: int
    average_score: float | None
    current_streak: int
    best_streak: int
    experience_points: int
    timezone: str
    recent_sessions: list[dict] = field(default_factory=list)
    domain_progress: list[dict] = field(default_factory=list)
    achievements: list[UnlockedAchievement] = field(default_factory=list)
