"""The shape of content files. Loading validates every entry, so a mistake in
a file fails the test suite (and `interviewd seed`) with the entry's key."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Difficulty = Literal["easy", "medium", "hard"]
QuestionType = Literal["behavioral", "situational", "theory", "technical", "coding"]


class EvaluationCriteria(BaseModel):
    """What a strong answer shows on each of 004's four rubric axes."""

    model_config = ConfigDict(extra="forbid")
    understanding: str = Field(min_length=10)
    logic: str = Field(min_length=10)
    specificity: str = Field(min_length=10)
    jobFit: str = Field(min_length=10)


class QuestionSeed(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,119}$")  # stable: re-seeding updates by key
    language: Literal["en", "ko"] = "en"
    type: QuestionType
    category: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,59}$")
    difficulty: Difficulty
    title: str = Field(min_length=3, max_length=255)
    text: str = Field(min_length=15)
    tags: list[str] = Field(min_length=1)
    expectedKeywords: list[str] = Field(min_length=3)
    sampleAnswer: str = Field(min_length=80)
    evaluationCriteria: EvaluationCriteria
    hints: list[str] = Field(min_length=1)
    followUpQuestions: list[str] = Field(min_length=1)
    estimatedTime: int = Field(ge=1, le=90)  # minutes


class ChallengeLanguage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    functionName: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    signature: str
    starter: str
    solution: str


class ChallengeTest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    input: list[Any]  # positional arguments
    expected: Any
    hidden: bool = False


class ChallengeSeed(BaseModel):
    """A coding challenge: also a question (type "coding") of the bank."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,119}$")
    language: Literal["en", "ko"] = "en"
    category: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,59}$")
    difficulty: Difficulty
    title: str = Field(min_length=3, max_length=255)
    text: str = Field(min_length=30)  # the statement, with examples
    tags: list[str] = Field(min_length=1)
    expectedKeywords: list[str] = Field(min_length=2)  # for the explanation of the approach
    sampleAnswer: str = Field(min_length=40)  # the approach in words
    evaluationCriteria: EvaluationCriteria
    hints: list[str] = Field(min_length=1)
    followUpQuestions: list[str] = Field(min_length=1)
    estimatedTime: int = Field(ge=1, le=90)
    comparison: Literal["exact", "unordered", "float"] = "exact"
    languages: dict[Literal["python", "javascript"], ChallengeLanguage]
    tests: list[ChallengeTest] = Field(min_length=5)

    @field_validator("languages")
    @classmethod
    def _both_languages(cls, value: dict) -> dict:
        if set(value) != {"python", "javascript"}:
            raise ValueError("a challenge needs python and javascript")
        return value

    @field_validator("tests")
    @classmethod
    def _some_hidden_some_visible(cls, value: list[ChallengeTest]) -> list[ChallengeTest]:
        if not any(t.hidden for t in value) or all(t.hidden for t in value):
            raise ValueError("a challenge needs both visible and hidden tests")
        return value
