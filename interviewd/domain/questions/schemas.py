from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Difficulty = Literal["easy", "medium", "hard"]
QuestionKind = Literal["behavioral", "situational", "theory", "technical", "coding"]


class QuestionCreate(BaseModel):
    type: QuestionKind
    category: str = Field(min_length=2, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")
    difficulty: Difficulty
    language: Literal["en", "ko"] = "en"
    title: str | None = Field(default=None, max_length=255)
    text: str = Field(min_length=10, max_length=5000)
    tags: list[str] = Field(default_factory=list, max_length=20)
    expected_keywords: list[str] = Field(default_factory=list, max_length=30)
    sample_answer: str = Field(default="", max_length=10000)
    evaluation_criteria: dict[str, str] = Field(default_factory=dict)
    hints: list[str] = Field(default_factory=list, max_length=10)
    follow_up_questions: list[str] = Field(default_factory=list, max_length=10)
    estimated_time: int = Field(default=5, ge=1, le=120)


class QuestionUpdate(BaseModel):
    type: QuestionKind | None = None
    category: str | None = Field(default=None, min_length=2, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")
    difficulty: Difficulty | None = None
    language: Literal["en", "ko"] | None = None
    title: str | None = Field(default=None, max_length=255)
    text: str | None = Field(default=None, min_length=10, max_length=5000)
    tags: list[str] | None = Field(default=None, max_length=20)
    expected_keywords: list[str] | None = Field(default=None, max_length=30)
    sample_answer: str | None = Field(default=None, max_length=10000)
    evaluation_criteria: dict[str, str] | None = None
    hints: list[str] | None = Field(default=None, max_length=10)
    follow_up_questions: list[str] | None = Field(default=None, max_length=10)
    estimated_time: int | None = Field(default=None, ge=1, le=120)
    is_active: bool | None = None


class QuestionDraft(BaseModel):
    """A proposed question (from the LLM or the built-in generator)."""

    type: QuestionKind
    category: str
    difficulty: Difficulty
    language: Literal["en", "ko"] = "en"
    title: str
    text: str
    tags: list[str] = Field(default_factory=list)
    expected_keywords: list[str] = Field(default_factory=list)
    sample_answer: str = ""
    evaluation_criteria: dict[str, str] = Field(default_factory=dict)
    hints: list[str] = Field(default_factory=list)
    follow_up_questions: list[str] = Field(default_factory=list)
    estimated_time: int = 5
