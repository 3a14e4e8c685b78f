"""Evaluation of answers: the configured LLM when there is one, the built-in
evaluator otherwise and whenever the LLM fails."""

from __future__ import annotations

import math
import time
from typing import ClassVar

import structlog
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from interviewd import runtime
from interviewd.adapters.llm import ChatClient, LLMError, create_llm
from interviewd.config import Settings
from interviewd.domain.evaluation import prompts
from interviewd.domain.evaluation.builtin import builtin_evaluator
from interviewd.domain.evaluation.schemas import (
    BUILTIN_MODEL,
    AIAnalysis,
    DetailedFeedback,
    Evaluation,
    EvaluationRequest,
    QuestionDraft,
    Rubric,
    Scores,
    Sentiment,
    sentiment_for,
)
from interviewd.domain.evaluation.text import normalise

log = structlog.get_logger(__name__)

_UNSET = object()
# An LLM figure this far outside its range is rounding noise (24.6 on 0-25 is
# 25); further out, the answer is not trusted at all.
_TOLERANCE = 0.5


class _Bounded(BaseModel):
    """Integers from an LLM: floats are rounded, out-of-range values refused."""

    model_config = ConfigDict(extra="ignore")
    top: ClassVar[int] = 100

    @field_validator("*", mode="before")
    @classmethod
    def _number_in_range(cls, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError("not a number")
        top = cls.top
        if value < -_TOLERANCE or value > top + _TOLERANCE:
            raise ValueError(f"{value} is outside 0-{top}")
        return max(0, min(top, int(value + 0.5)))


class _LLMRubric(_Bounded):
    top: ClassVar[int] = 25
    understanding: int
    logic: int
    specificity: int
    jobFit: int  # noqa: N815 (the wire name)


class _LLMScores(_Bounded):
    completeness: int
    correctness: int
    communication: int


class _LLMFeedback(BaseModel):
    grammar: str = ""
    structure: str = ""
    content: str = ""
    suggestions: list[str] = Field(default_factory=list)


class _LLMEvaluation(BaseModel):
    model_config = ConfigDict(extra="ignore")
    rubric: _LLMRubric
    scores: _LLMScores
    strengths: list[str] = Field(default_factory=list)
    improvements: list[str] = Field(default_factory=list)
    detailedFeedback: _LLMFeedback = Field(default_factory=_LLMFeedback)  # noqa: N815
    idealAnswer: str = ""  # noqa: N815
    followUpQuestion: str | None = None  # noqa: N815
    sentiment: Sentiment | None = None
    summary: str = ""
    confidence: float | None = None


def _clean(items: list[str], limit: int = 8) -> list[str]:
    return [s.strip() for s in items if isinstance(s, str) and s.strip()][:limit]


class EvaluationService:
    """Scores answers and drafts questions.

    Without arguments it serves the running process (settings and the chat
    client from `runtime.current()`); tests and tools may pass settings.
    """

    def __init__(self, *, settings: Settings | None = None) -> None:
        self._settings = settings
        self._chat: object = _UNSET

    def chat_client(self) -> ChatClient | None:
        if self._settings is not None:
            if self._chat is _UNSET:
                self._chat = create_llm(self._settings)
            return self._chat  # type: ignore[return-value]
        rt = runtime.current()
        if "llm" not in rt.extras:
            rt.extras["llm"] = create_llm(rt.settings)
        return rt.extras["llm"]

    async def evaluate(self, request: EvaluationRequest) -> Evaluation:
        """Evaluate one answer. Never fails for the LLM's sake: when it times
        out, errs, or answers outside the schema, the built-in evaluator
        answers and `ai_analysis.fallback` says why."""
        started = time.perf_counter()
        chat = self.chat_client()
        fallback = None
        if chat is not None:
            try:
                evaluation = await self._evaluate_with(chat, request)
            except LLMError as exc:
                fallback = f"{chat.model}: {exc.reason}"
                log.warning("evaluation.llm_failed", model=chat.model, reason=exc.reason,
                            error=str(exc)[:300])
            except ValidationError as exc:
                fallback = f"{chat.model}: schema_mismatch"
                log.warning("evaluation.llm_failed", model=chat.model, reason="schema_mismatch",
                            error=str(exc)[:300])
            else:
                return _with_time(evaluation, started)
        evaluation = builtin_evaluator.evaluate(request)
        evaluation.ai_analysis = evaluation.ai_analysis.model_copy(update={"fallback": fallback})
        return _with_time(evaluation, started)

    async def _evaluate_with(self, chat: ChatClient, request: EvaluationRequest) -> Evaluation:
        result = await chat.complete_json(prompts.evaluation_messages(request),
                                          schema_name="answer_evaluation", schema=prompts.EVALUATION_SCHEMA)
        parsed = _LLMEvaluation.model_validate(result.data)
        rubric = Rubric(understanding=parsed.rubric.understanding, logic=parsed.rubric.logic,
                        specificity=parsed.rubric.specificity, job_fit=parsed.rubric.jobFit)
        correctness = parsed.scores.correctness
        if request.code_result is not None and request.code_result.total:
            # The sandbox ran the tests; that verdict outranks the model's opinion.
            correctness = int(100 * request.code_result.share + 0.5)
        total = rubric.total
        confidence = parsed.confidence if parsed.confidence is not None else 0.8
        confidence = max(0.0, min(1.0, confidence)) if math.isfinite(confidence) else 0.8
        feedback = parsed.detailedFeedback
        follow_up = (parsed.followUpQuestion or "").strip() or None
        return Evaluation(
            rubric=rubric,
            total_score=total,
            scores=Scores(completeness=parsed.scores.completeness, correctness=correctness,
                          communication=parsed.scores.communication),
            strengths=_clean(parsed.strengths),
            improvements=_clean(parsed.improvements),
            detailed_feedback=DetailedFeedback(grammar=feedback.grammar.strip(),
                                               structure=feedback.structure.strip(),
                                               content=feedback.content.strip(),
                                               suggestions=_clean(feedback.suggestions)),
            ideal_answer=parsed.idealAnswer.strip() or request.sample_answer.strip()
            or builtin_evaluator.evaluate(request).ideal_answer,
            follow_up_question=follow_up,
            sentiment=parsed.sentiment or sentiment_for(total),
            summary=parsed.summary.strip(),
            ai_analysis=AIAnalysis(model=result.model, confidence=round(confidence, 2), processing_time=0),
        )

    async def generate_question(self, *, category: str, difficulty: str, type: str, language: str = "en",
                                avoid: list[str] | None = None) -> QuestionDraft | None:
        """A new question drafted by the configured LLM, or None when there is
        no LLM, it fails, or it repeats one of `avoid` (question texts); the
        caller then uses its own built-in generator."""
        chat = self.chat_client()
        if chat is None:
            return None
        avoid = list(avoid or [])
        try:
            result = await chat.complete_json(
                prompts.generation_messages(category=category, difficulty=difficulty, type=type,
                                            language=language, avoid=avoid),
                schema_name="interview_question", schema=prompts.QUESTION_SCHEMA)
            fixed = {"category": category, "difficulty": difficulty, "type": type, "language": language}
            draft = QuestionDraft.model_validate({**result.data, **fixed})
        except (LLMError, ValidationError) as exc:
            log.warning("evaluation.generation_failed", model=chat.model, error=str(exc)[:300])
            return None
        seen = {normalise(text) for text in avoid}
        if normalise(draft.text) in seen:
            log.info("evaluation.generated_duplicate", model=chat.model)
            return None
        return draft


def _with_time(evaluation: Evaluation, started: float) -> Evaluation:
    elapsed = int((time.perf_counter() - started) * 1000)
    evaluation.ai_analysis = evaluation.ai_analysis.model_copy(update={"processing_time": elapsed})
    return evaluation


evaluation_service = EvaluationService()

__all__ = ["BUILTIN_MODEL", "EvaluationService", "evaluation_service"]
