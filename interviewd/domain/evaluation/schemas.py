"""What an answer evaluation takes and gives.

Attributes are snake_case; `model_dump(by_alias=True)` gives the contracts'
camelCase (jobFit, totalScore, detailedFeedback, aiAnalysis, processingTime).
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from interviewd.content.schema import EvaluationCriteria

QuestionType = Literal["behavioral", "situational", "theory", "technical", "coding"]
Language = Literal["en", "ko"]
Level = Literal["entry", "mid", "senior"]
Sentiment = Literal["positive", "neutral", "negative"]

BUILTIN_MODEL = "interviewd-builtin-1"


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class CodeResult(_Camel):
    """What the sandbox reported for a coding answer."""

    passed: int = Field(ge=0)
    total: int = Field(ge=0)
    status: str = "completed"

    @model_validator(mode="after")
    def _passed_within_total(self) -> CodeResult:
        if self.passed > self.total:
            raise ValueError("passed cannot exceed total")
        return self

    @property
    def share(self) -> float:
        return self.passed / self.total if self.total else 0.0


class JobContext(_Camel):
    # 004 calls the role jobType (jobCategory in its prompt); both names are accepted.
    role: str | None = Field(default=None, max_length=120,
                             validation_alias=AliasChoices("role", "jobType", "job_type", "jobCategory"))
    level: Level | None = None


class EvaluationRequest(_Camel):
    question_text: str = Field(min_length=1)
    question_type: QuestionType
    category: str = ""
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    expected_keywords: list[str] = Field(default_factory=list)
    sample_answer: str = ""
    evaluation_criteria: EvaluationCriteria | None = None
    answer_text: str = ""
    language: Language = "en"
    code_result: CodeResult | None = None
    job_context: JobContext | None = None
    previous_answers: list[str] = Field(default_factory=list)


class Rubric(_Camel):
    """004's four axes, 0-25 each."""

    understanding: int = Field(ge=0, le=25)
    logic: int = Field(ge=0, le=25)
    specificity: int = Field(ge=0, le=25)
    job_fit: int = Field(ge=0, le=25)

    @property
    def total(self) -> int:
        return self.understanding + self.logic + self.specificity + self.job_fit


class Scores(_Camel):
    """003's answer scores, 0-100 each."""

    completeness: int = Field(ge=0, le=100)
    correctness: int = Field(ge=0, le=100)
    communication: int = Field(ge=0, le=100)


class DetailedFeedback(_Camel):
    grammar: str
    structure: str
    content: str
    suggestions: list[str] = Field(default_factory=list)


class AIAnalysis(_Camel):
    model: str
    confidence: float = Field(ge=0, le=1)
    processing_time: int = Field(ge=0)  # milliseconds
    # Set when the configured LLM failed and the built-in evaluator answered instead.
    fallback: str | None = None


class Evaluation(_Camel):
    rubric: Rubric
    total_score: int = Field(ge=0, le=100)
    scores: Scores
    strengths: list[str] = Field(default_factory=list)
    improvements: list[str] = Field(default_factory=list)
    detailed_feedback: DetailedFeedback
    ideal_answer: str
    follow_up_question: str | None = None
    sentiment: Sentiment
    summary: str = ""  # one or two sentences an interviewer would say back
    ai_analysis: AIAnalysis

    @model_validator(mode="after")
    def _total_is_the_rubric_sum(self) -> Evaluation:
        if self.total_score != self.rubric.total:
            raise ValueError("total_score must be the sum of the rubric")
        return self


class QuestionDraft(_Camel):
    """A generated question, shaped like a content file's entry (without its key)."""

    language: Language = "en"
    type: QuestionType
    category: str
    difficulty: Literal["easy", "medium", "hard"]
    title: str = Field(min_length=3, max_length=255)
    text: str = Field(min_length=15)
    tags: list[str] = Field(min_length=1)
    expected_keywords: list[str] = Field(min_length=3)
    sample_answer: str = Field(min_length=80)
    evaluation_criteria: EvaluationCriteria
    hints: list[str] = Field(min_length=1)
    follow_up_questions: list[str] = Field(min_length=1)
    estimated_time: int = Field(ge=1, le=90)


def sentiment_for(total_score: int) -> Sentiment:
    if total_score >= 70:
        return "positive"
    if total_score >= 45:
        return "neutral"
    return "negative"
