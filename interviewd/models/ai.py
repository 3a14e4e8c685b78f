"""The AI interviewer (003, 004): what an AI session adds to the shared
session row, the questions it presented, the answers, their evaluations
(004's AnalysisResult) and the feedback report written on completion."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from interviewd.kit.clock import utcnow
from interviewd.kit.ids import new_uid
from interviewd.models.base import Base, UTCDateTime


class AiSessionDetails(Base):
    """What an AI session (kind `ai`) adds to the shared session row."""

    __tablename__ = "ai_session_details"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[str] = mapped_column(String(20))  # technical|behavioral|mixed|system_design|situational
    job_type: Mapped[str] = mapped_column(String(120))
    difficulty: Mapped[str] = mapped_column(String(10))
    programming_language: Mapped[str | None] = mapped_column(String(30))  # 003's `language`
    interview_language: Mapped[str] = mapped_column(String(8), default="en")  # en|ko (004)
    include_coding: Mapped[bool] = mapped_column(Boolean, default=False)
    topics: Mapped[list] = mapped_column(JSON, default=list)
    category: Mapped[str | None] = mapped_column(String(60))  # 004's JobCategory
    custom_category: Mapped[str | None] = mapped_column(String(100))
    question_count: Mapped[int] = mapped_column(Integer)  # planned
    current_question_index: Mapped[int] = mapped_column(Integer, default=0)  # presented so far
    estimated_duration: Mapped[int] = mapped_column(Integer)  # minutes
    persona: Mapped[dict] = mapped_column(JSON, default=dict)  # {name, personality, experience}
    # 004's client context: {userAgent, platform, sessionSource}.
    client_metadata: Mapped[dict] = mapped_column("metadata", JSON, default=dict)


class AiSessionQuestion(Base):
    """A question as presented in one session, in order."""

    __tablename__ = "ai_session_questions"
    __table_args__ = (UniqueConstraint("session_id", "order"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    # Bank questions are only ever retired (soft delete), so past sessions keep them.
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    order: Mapped[int] = mapped_column(Integer)  # 1-based
    presented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="presented")  # pending|presented|answered|skipped
    time_spent: Mapped[int | None] = mapped_column(Integer)  # seconds, server-measured
    follow_up: Mapped[str | None] = mapped_column(Text)  # the follow-up the interviewer asked


class AiAnswer(Base):
    """One answer of a session: to a question, or to its follow-up."""

    __tablename__ = "ai_answers"
    __table_args__ = (Index("ix_ai_answers_user_id_submitted_at", "user_id", "submitted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)  # "answerId"
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    answer_text: Mapped[str] = mapped_column(Text, default="")
    code_submission: Mapped[dict | None] = mapped_column(JSON)  # {language, code, approachExplanation}
    # The sandbox's public report only: hidden tests' inputs and outputs never land here.
    code_result: Mapped[dict | None] = mapped_column(JSON)
    response_time: Mapped[int | None] = mapped_column(Integer)  # seconds
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    is_follow_up: Mapped[bool] = mapped_column(Boolean, default=False)


class AnalysisResult(Base):
    """An evaluation (004's AnalysisResult): of a session answer, or of a
    standalone answer sent to /api/analysis/answer (no session then)."""

    __tablename__ = "analysis_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)  # "analysisId"
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("ai_answers.id", ondelete="CASCADE"), unique=True
    )
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    question_text: Mapped[str] = mapped_column(Text, default="")
    user_answer: Mapped[str] = mapped_column(Text, default="")
    rubric: Mapped[dict] = mapped_column(JSON)  # {understanding, logic, specificity, jobFit} 0-25
    total_score: Mapped[float] = mapped_column(Float)  # 0-100
    scores: Mapped[dict] = mapped_column(JSON)  # {completeness, correctness, communication} 0-100
    strengths: Mapped[list] = mapped_column(JSON, default=list)
    improvements: Mapped[list] = mapped_column(JSON, default=list)
    detailed_feedback: Mapped[dict] = mapped_column(JSON, default=dict)
    ideal_answer: Mapped[str] = mapped_column(Text, default="")
    follow_up_question: Mapped[str | None] = mapped_column(Text)
    sentiment: Mapped[str | None] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text, default="")
    ai_analysis: Mapped[dict] = mapped_column(JSON, default=dict)  # {model, confidence, processingTime}
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FeedbackReport(Base):
    """The report of a completed AI session, with its revocable share link."""

    __tablename__ = "feedback_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)  # "feedbackId"
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), unique=True
    )
    summary: Mapped[str] = mapped_column(Text, default="")
    overall_score: Mapped[float] = mapped_column(Float)
    strengths: Mapped[list] = mapped_column(JSON, default=list)
    improvement_areas: Mapped[list] = mapped_column(JSON, default=list)
    recommendations: Mapped[list] = mapped_column(JSON, default=list)
    percentile_rank: Mapped[float | None] = mapped_column(Float)
    benchmark: Mapped[dict] = mapped_column(JSON, default=dict)
    technical_skills: Mapped[dict] = mapped_column(JSON, default=dict)
    communication: Mapped[dict] = mapped_column(JSON, default=dict)
    # A capability URL for a read-only page; NULL or revoked: no public page.
    share_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    share_revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
