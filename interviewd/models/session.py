from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from interviewd.kit.ids import new_uid
from interviewd.models.base import Base, Timestamped, UTCDateTime


class SessionKind(StrEnum):
    BOOKING = "booking"  # a mock interview booked with a mentor (000)
    AI = "ai"  # an AI interviewer asks bank questions (003, 004)
    PRACTICE = "practice"  # self-practice with body-language/speech metrics (001)
    ONEWAY = "oneway"  # a recorded one-way interview through a token (002)


class InterviewSession(Timestamped, Base):
    """One interview of some kind. Fields every kind shares live here; what
    only one kind needs lives in that kind's own table keyed by session id.

    `id` is the integer /api/v1 shows; `uid` the string id of /api.
    """

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_user_id_kind_created_at", "user_id", "kind", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(255))
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overall_score: Mapped[float | None] = mapped_column(Float)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    # Client context (user agent, platform, source) and other unqueried extras.
    details: Mapped[dict] = mapped_column(JSON, default=dict)
