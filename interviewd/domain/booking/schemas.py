"""Inputs and read models of mentor bookings (000)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field
from pydantic.alias_generators import to_camel

from interviewd.models.mentor import BookingDetails, Mentor
from interviewd.models.session import InterviewSession
from interviewd.models.user import User

MEETING_TYPES = ("video", "audio", "in-person")
MIN_DURATION, MAX_DURATION = 15, 240
# What a booking's status may become, and who may make the move.
TARGET_STATUSES = ("confirmed", "completed", "cancelled")
# GET /api/sessions?status=...: two views by time, then the raw statuses.
LIST_FILTERS = ("upcoming", "past", "completed", "cancelled", "pending", "confirmed")
Role = Literal["candidate", "mentor", "admin"]


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class BookingCreate(_Camel):
    """000's POST /api/sessions body. Types are checked here; ranges, the
    mentor and the time by the service, with 000's messages."""

    mentor_id: str = Field(min_length=1, max_length=64)
    session_type: str | None = Field(default=None, max_length=255)
    scheduled_at: datetime
    duration: int
    meeting_type: str = "video"
    record_session: bool = False
    special_requests: str | None = Field(default=None, max_length=5000)
    meeting_link: str | None = Field(default=None, max_length=1000)
    participant_email: EmailStr | None = None
    participant_name: str | None = Field(default=None, max_length=255)


class BookingUpdate(_Camel):
    """000's PATCH /api/sessions/{id} body: a status move, the candidate's
    rating and feedback, a cancellation reason."""

    status: str | None = Field(default=None, max_length=40)
    rating: int | None = None
    feedback: str | None = Field(default=None, max_length=5000)
    cancellation_reason: str | None = Field(default=None, max_length=2000)


@dataclass
class BookingView:
    session: InterviewSession
    booking: BookingDetails
    mentor: Mentor
    candidate_uid: str | None
    # How the caller relates to the booking.
    role: Role
    email_sent: bool = False


@dataclass
class SessionEntry:
    """One row of the caller's session list: any kind; booking and mentor only for bookings."""

    session: InterviewSession
    booking: BookingDetails | None
    mentor: Mentor | None
    role: Role
    # The session's owner (the candidate of a booking).
    candidate: User | None = None


@dataclass
class SessionStats:
    total_sessions: int = 0
    completed_sessions: int = 0
    upcoming_sessions: int = 0
    average_rating: float = 0.0
    total_hours: float = 0.0


@dataclass
class SessionPage:
    entries: list[SessionEntry] = field(default_factory=list)
    stats: SessionStats = field(default_factory=SessionStats)
    total: int = 0
    page: int = 1
    limit: int = 10
