"""Inputs and read models of AI interview sessions (003, 004)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from interviewd.models.ai import AiAnswer, AiSessionDetails, AiSessionQuestion, AnalysisResult, FeedbackReport
from interviewd.models.question import CodingChallenge, Question
from interviewd.models.session import InterviewSession

MODES = ("technical", "behavioral", "mixed", "system_design", "situational")
Mode = Literal["technical", "behavioral", "mixed", "system_design", "situational"]
Difficulty = Literal["easy", "medium", "hard"]
INTERVIEW_LANGUAGES = ("en", "ko")
CODE_LANGUAGES = ("python", "javascript")


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class ClientMetadata(_Camel):
    user_agent: str | None = Field(default=None, max_length=500)
    platform: str | None = Field(default=None, max_length=100)
    session_source: str | None = Field(default=None, max_length=100)


class AiSessionCreate(_Camel):
    """003's request, with 004's category, customCategory and metadata beside it.

    `language` is 003's programming-language preference; 004 clients send their
    interview language there ("en"/"ko"), which is read as interviewLanguage."""

    mode: Mode = "technical"
    job_type: str | None = Field(default=None, max_length=120)
    difficulty: Difficulty = "medium"
    duration: int | None = Field(default=None, ge=5, le=120)  # minutes
    question_count: int | None = Field(default=None, ge=1)
    language: str | None = Field(default=None, max_length=30)
    interview_language: Literal["en", "ko"] | None = None
    include_coding: bool = False
    topics: list[str] = Field(default_factory=list, max_length=20)
    category: str | None = Field(default=None, max_length=60)
    custom_category: str | None = Field(default=None, max_length=100)
    title: str | None = Field(default=None, max_length=255)
    metadata: ClientMetadata | None = None


class AiSessionUpdate(_Camel):
    """004's PUT: a title, client metadata, or `status: "abandoned"` to end a
    session without a report. Completing goes through /complete."""

    title: str | None = Field(default=None, max_length=255)
    status: Literal["abandoned"] | None = None
    metadata: ClientMetadata | None = None


class CodeSubmission(_Camel):
    language: str = Field(max_length=30)
    code: str
    approach_explanation: str | None = Field(default=None, max_length=5000)


class AnswerSubmit(_Camel):
    # Lengths are checked by the service, so that every route reports them alike.
    answer_text: str | None = Field(default=None, validation_alias=AliasChoices(
        "answerText", "answer_text", "answer"))
    code_submission: CodeSubmission | None = None
    response_time: int | None = Field(default=None, ge=0, le=24 * 3600)  # seconds


@dataclass
class SessionItem:
    """A presented question with its answers and their evaluations."""

    slot: AiSessionQuestion
    question: Question
    answers: list[tuple[AiAnswer, AnalysisResult | None]] = field(default_factory=list)

    @property
    def evaluations(self) -> list[AnalysisResult]:
        return [e for _, e in self.answers if e is not None]


@dataclass
class AiSessionView:
    session: InterviewSession
    details: AiSessionDetails
    items: list[SessionItem] = field(default_factory=list)
    report: FeedbackReport | None = None
    challenge: CodingChallenge | None = None  # of the latest coding question presented

    @property
    def current(self) -> SessionItem | None:
        return self.items[-1] if self.items else None


@dataclass
class NextQuestion:
    view: AiSessionView
    item: SessionItem
    challenge: CodingChallenge | None


@dataclass
class NextAction:
    type: Literal["follow_up", "next_question", "complete"]
    message: str
    max_response_time: int | None = None


@dataclass
class AnswerOutcome:
    view: AiSessionView
    item: SessionItem
    answer: AiAnswer
    evaluation: AnalysisResult
    follow_up: str | None
    next_action: NextAction


@dataclass
class SessionFigures:
    """What /complete reports beside the feedback (0-100 each)."""

    overall_score: float
    accuracy: float
    communication_score: float
    problem_solving_score: float
    question_count: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Completion:
    view: AiSessionView
    figures: SessionFigures
    report: FeedbackReport
