from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from interviewd.kit.ids import new_uid
from interviewd.models.base import Base, Timestamped, UTCDateTime


class Question(Timestamped, Base):
    """A question of the bank (003, 004). Seeded ones carry the `key` of their
    content file entry, so re-seeding updates instead of duplicating;
    `text_hash` (normalised text) keeps generated questions from repeating
    an existing one."""

    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("language", "text_hash"),
        Index("ix_questions_filters", "is_active", "language", "type", "difficulty", "category"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    type: Mapped[str] = mapped_column(String(20))  # behavioral|situational|theory|technical|coding
    category: Mapped[str] = mapped_column(String(60))
    difficulty: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))
    tags: Mapped[list] = mapped_column(JSON, default=list)
    # Lower-cased title, text, category and ",tag," list: one portable column
    # that search and topic filters match with LIKE on SQLite and PostgreSQL.
    search_text: Mapped[str] = mapped_column(Text, default="")
    expected_keywords: Mapped[list] = mapped_column(JSON, default=list)
    sample_answer: Mapped[str] = mapped_column(Text, default="")
    evaluation_criteria: Mapped[dict] = mapped_column(JSON, default=dict)
    hints: Mapped[list] = mapped_column(JSON, default=list)
    follow_up_questions: Mapped[list] = mapped_column(JSON, default=list)
    estimated_time: Mapped[int] = mapped_column(Integer, default=5)  # minutes
    source: Mapped[str] = mapped_column(String(20), default="seed")  # seed|generated|admin
    is_active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    usage_count: Mapped[int] = mapped_column(Integer, default=0)
    answer_count: Mapped[int] = mapped_column(Integer, default=0)
    solved_count: Mapped[int] = mapped_column(Integer, default=0)
    average_score: Mapped[float | None] = mapped_column(Float)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CodingChallenge(Base):
    """What a coding question adds: per-language signature, starter code and
    reference solution, and the test cases. Hidden cases and reference
    solutions stay on the server: no candidate-facing shape includes them."""

    __tablename__ = "coding_challenges"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    function_name: Mapped[dict] = mapped_column(JSON)  # {"python": "two_sum", "javascript": "twoSum"}
    languages: Mapped[dict] = mapped_column(JSON)  # {lang: {signature, starter, solution}}
    tests: Mapped[list] = mapped_column(JSON)  # [{input: [...], expected: ..., hidden: bool}]
    comparison: Mapped[str] = mapped_column(String(20), default="exact")
