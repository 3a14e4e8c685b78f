"""004's answer analysis outside a session: evaluate a question and an answer,
keep the AnalysisResult for the caller, and show it (and session ones) back."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import AliasChoices, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.interview.evaluate import QUESTION_TYPES, analysis_from, evaluate, store
from interviewd.domain.interview.repository import analysis_repository
from interviewd.errors import NotFound, ValidationFailed
from interviewd.kit.clock import utcnow
from interviewd.kit.principal import Principal
from interviewd.models.ai import AnalysisResult


class AnalysisRequest(BaseModel):
    """A question (its text, or a bank `questionId`) and an answer."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    question: str | None = Field(default=None, max_length=5000)
    question_id: str | None = Field(default=None, max_length=64)
    answer: str | None = Field(default=None, validation_alias=AliasChoices(
        "answer", "answerText", "userAnswer", "answer_text", "user_answer"))
    question_type: str | None = Field(default=None, validation_alias=AliasChoices(
        "questionType", "type", "question_type"))
    category: str | None = Field(default=None, max_length=60,
                                 validation_alias=AliasChoices("category", "jobCategory"))
    difficulty: str | None = None
    language: str | None = None
    job_type: str | None = Field(default=None, max_length=120,
                                 validation_alias=AliasChoices("jobType", "job_type", "role"))
    previous_answers: list[str] = Field(default_factory=list, max_length=20)


@dataclass
class AnalysisView:
    analysis: AnalysisResult
    session_uid: str | None = None
    question_uid: str | None = None


class AnalysisService:
    async def analyze(self, session: AsyncSession, principal: Principal, *, data: AnalysisRequest,
                      field_prefix: str = "") -> AnalysisView:
        """Evaluate one answer and store the result for the caller."""
        from interviewd.domain.questions.service import question_service

        settings = runtime.current().settings
        answer = (data.answer or "").strip()
        low, high = settings.ai_answer_min_chars, settings.ai_answer_max_chars
        if not low <= len(answer) <= high:
            raise ValidationFailed(f"answer must be {low} to {high} characters long",
                                   field=f"{field_prefix}answer", details={"length": len(answer)})
        question = None
        if data.question_id:
            try:
                question = await question_service.get(session, question_id=data.question_id)
            except NotFound:
                raise ValidationFailed("Unknown question", field=f"{field_prefix}questionId",
                                       details={"value": data.question_id}) from None
        text = question.text if question is not None else (data.question or "").strip()
        if len(text) < 5:
            raise ValidationFailed("question (its text) or questionId is required",
                                   field=f"{field_prefix}question")
        qtype = data.question_type if data.question_type in QUESTION_TYPES else None
        if data.difficulty is not None and data.difficulty not in ("easy", "medium", "hard"):
            raise ValidationFailed("difficulty must be easy, medium or hard",
                                   field=f"{field_prefix}difficulty")
        language = data.language or (question.language if question is not None else None) or (
            (principal.user.preferences or {}).get("language") or "en")
        if language not in ("en", "ko"):
            raise ValidationFailed("language must be en or ko", field=f"{field_prefix}language")
        evaluation = await evaluate(
            question_text=text, question=question, answer_text=answer, language=language,
            question_type=qtype or (None if question is not None else "technical"),
            category=data.category, difficulty=data.difficulty, role=data.job_type,
            previous_answers=data.previous_answers,
        )
        analysis = await store(session, analysis_from(
            evaluation, user_id=principal.user_id, question_id=question.id if question else None,
            question_text=text, user_answer=answer, created_at=utcnow(),
        ))
        return AnalysisView(analysis, None, question.uid if question is not None else None)

    async def analyze_batch(self, session: AsyncSession, principal: Principal, *,
                            items: list[AnalysisRequest]) -> list[AnalysisView]:
        """Evaluate several answers at once (at most ai_analysis_batch_max)."""
        limit = runtime.current().settings.ai_analysis_batch_max
        if not 1 <= len(items) <= limit:
            raise ValidationFailed(f"items must hold 1 to {limit} answers", field="items",
                                   details={"count": len(items)})
        return [await self.analyze(session, principal, data=item, field_prefix=f"items.{i}.")
                for i, item in enumerate(items)]

    async def get(self, session: AsyncSession, principal: Principal, *, analysis_id: str) -> AnalysisView:
        """The caller's own analysis (standalone or of a session answer);
        anyone else's is not found."""
        analysis = await analysis_repository.by_uid(session, analysis_id)
        if analysis is None or analysis.user_id != principal.user_id:
            raise NotFound("Analysis not found")
        session_uid, question_uid = await analysis_repository.link_uids(session, analysis)
        return AnalysisView(analysis, session_uid, question_uid)


analysis_service = AnalysisService()
