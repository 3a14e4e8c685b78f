from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from interviewd.kit.clock import utcnow
from interviewd.kit.ids import new_uid
from interviewd.models.base import Base, Timestamped, UTCDateTime


class Mentor(Timestamped, Base):
    """A mentor's public profile (000). It belongs to a user with role mentor,
    who manages it; demo mentors belong to demo users. `rating` and
    `review_count` are kept exact from `reviews` when a review is written."""

    __tablename__ = "mentors"
    __table_args__ = (Index("ix_mentors_active_rating", "is_active", "rating"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(255))
    current_company: Mapped[str | None] = mapped_column(String(255))
    previous_companies: Mapped[list] = mapped_column(JSON, default=list)
    avatar: Mapped[str | None] = mapped_column(String(1000))
    bio: Mapped[str | None] = mapped_column(Text)
    specialties: Mapped[list] = mapped_column(JSON, default=list)
    skills: Mapped[list] = mapped_column(JSON, default=list)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    experience: Mapped[int] = mapped_column(Integer, default=0)  # years
    rating: Mapped[float] = mapped_column(Float, default=0.0)
    review_count: Mapped[int] = mapped_column(Integer, default=0)
    hourly_rate: Mapped[float | None] = mapped_column(Float)
    response_time: Mapped[str | None] = mapped_column(String(50))
    timezone: Mapped[str] = mapped_column(String(100), default="UTC")  # IANA name
    # Minutes kept free after each booking, and the shortest notice a booking needs.
    buffer_minutes: Mapped[int] = mapped_column(Integer, default=0)
    min_notice_minutes: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Lower-cased name, title, bio, specialties and skills: what search matches.
    search_text: Mapped[str] = mapped_column(Text, default="")


class AvailabilityRule(Base):
    """A weekly window in the mentor's timezone: weekday 0=Monday, local
    wall-clock minutes since midnight [start_minute, end_minute)."""

    __tablename__ = "availability_rules"
    __table_args__ = (
        CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
        CheckConstraint("start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute",
                        name="minute_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)


class AvailabilityException(Base):
    """A dated change to the weekly rules, in the mentor's timezone: with
    `available` false the window (or the whole day when no minutes are given)
    is blocked; with `available` true it is an extra window on that date."""

    __tablename__ = "availability_exceptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id", ondelete="CASCADE"), index=True)
    on_date: Mapped[date] = mapped_column(Date)
    start_minute: Mapped[int | None] = mapped_column(Integer)
    end_minute: Mapped[int | None] = mapped_column(Integer)
    available: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(String(255))


class BookingDetails(Base):
    """What a session of kind `booking` (a mock interview with a mentor, 000)
    adds to the shared session row. `sessions.user_id` is the candidate,
    `sessions.scheduled_at` the start; status lives on the session."""

    __tablename__ = "booking_details"
    __table_args__ = (
        CheckConstraint("duration_minutes >= 15 AND duration_minutes <= 240", name="duration_range"),
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_range"),
        Index("ix_booking_details_mentor_id_starts_at", "mentor_id", "starts_at"),
    )

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id", ondelete="CASCADE"))
    session_type: Mapped[str | None] = mapped_column(String(255))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    meeting_type: Mapped[str] = mapped_column(String(50), default="video")
    meeting_link: Mapped[str | None] = mapped_column(String(1000))
    record_session: Mapped[bool] = mapped_column(Boolean, default=False)
    special_requests: Mapped[str | None] = mapped_column(Text)
    participant_email: Mapped[str | None] = mapped_column(String(320))
    participant_name: Mapped[str | None] = mapped_column(String(255))
    rating: Mapped[int | None] = mapped_column(Integer)
    feedback: Mapped[str | None] = mapped_column(Text)
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_by: Mapped[str | None] = mapped_column(String(20))  # candidate | mentor | admin
    recording_url: Mapped[str | None] = mapped_column(String(1000))


class BookingHold(Base):
    """One minute of one calendar taken by a live booking. The unique
    (calendar, minute) pair is how the database itself refuses overlapping
    bookings on SQLite and PostgreSQL alike: a booking inserts a row for every
    minute it occupies on the mentor's calendar ("mentor:<id>", its buffer
    included) and on the candidate's ("user:<id>"); cancelling deletes them."""

    __tablename__ = "booking_holds"
    __table_args__ = (UniqueConstraint("calendar", "minute", name="calendar_minute"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    calendar: Mapped[str] = mapped_column(String(64))
    minute: Mapped[datetime] = mapped_column(UTCDateTime)


class Review(Base):
    """A candidate's rating of a completed booking; one per session."""

    __tablename__ = "reviews"
    __table_args__ = (CheckConstraint("rating >= 1 AND rating <= 5", name="rating_range"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), unique=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FavoriteMentor(Base):
    __tablename__ = "favorite_mentors"
    __table_args__ = (UniqueConstraint("user_id", "mentor_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VideoRoom(Base):
    """A video call room for a booking (000), at one provider (jitsi, 100ms,
    livekit). `participants` follows the provider's webhooks: a list of
    {name, role, identity, joinedAt, leftAt, isActive}."""

    __tablename__ = "video_rooms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    room_id: Mapped[str] = mapped_column(String(255), unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(20))
    provider_room_id: Mapped[str | None] = mapped_column(String(255), index=True)
    room_url: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20), default="not_started")  # not_started|active|ended
    participants: Mapped[list] = mapped_column(JSON, default=list)
    recording_url: Mapped[str | None] = mapped_column(String(1000))
    actual_duration: Mapped[int | None] = mapped_column(Integer)  # minutes
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
