from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from interviewd.kit.clock import utcnow
from interviewd.kit.ids import new_uid
from interviewd.models.base import Base, Timestamped, UTCDateTime


class PracticeDomain(Timestamped, Base):
    """A practice area (software-dev, data-science, ...), seeded by `interviewd seed`."""

    __tablename__ = "practice_domains"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True)


class PracticeDetails(Base):
    """What a practice session (001) adds to the shared session row."""

    __tablename__ = "practice_details"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    domain_id: Mapped[int] = mapped_column(ForeignKey("practice_domains.id"), index=True)
    session_type: Mapped[str] = mapped_column(String(40))
    # The final figures the client submitted (PATCH .../metrics).
    metrics: Mapped[dict | None] = mapped_column(JSON)
    # Figures the server measured itself (from the recording's transcript).
    measured_metrics: Mapped[dict | None] = mapped_column(JSON)
    # Samples pushed live over Socket.IO while the session runs (throttled).
    live_timeline: Mapped[list] = mapped_column(JSON, default=list)
    feedback: Mapped[list] = mapped_column(JSON, default=list)
    recommendations: Mapped[list] = mapped_column(JSON, default=list)


class Recording(Base):
    """A media file of a session, kept through the storage port."""

    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    media_kind: Mapped[str] = mapped_column(String(20))  # video | audio | transcript
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(500))
    transcript: Mapped[str | None] = mapped_column(Text)
    transcript_status: Mapped[str] = mapped_column(String(20), default="none")
    measured: Mapped[dict | None] = mapped_column(JSON)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Achievement(Base):
    """An unlocked achievement. The unique constraint is what makes each one
    unlock exactly once, even when two requests race to unlock it."""

    __tablename__ = "achievements"
    __table_args__ = (UniqueConstraint("user_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    unlocked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
