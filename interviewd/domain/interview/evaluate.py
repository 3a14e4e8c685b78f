"""From an answer to a stored AnalysisResult, through the evaluation port."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.models.ai import AnalysisResult
from interviewd.models.question import Question

QUESTION_TYPES = ("behavioral", "situational", "theory", "technical", "coding")


async def evaluate(
    *, question_text: str, question: Question | None, answer_text: str, language: str,
    question_type: str | None = None, category: str | None = None, difficulty: str | None = None,
    code_result: dict | None = None, role: str | None = None, previous_answers: list[str] | None = None,
):
    """Ask the evaluation service; returns its Evaluation."""
    from interviewd.content.schema import EvaluationCriteria
    from interviewd.domain.evaluation.schemas import CodeResult, EvaluationRequest, JobContext
    from interviewd.domain.evaluation.service import evaluation_service

    criteria = None
    if question is not None and question.evaluation_criteria:
        try:
            criteria = EvaluationCriteria.model_validate(question.evaluation_criteria)
        except ValidationError:  # an admin's terse criteria: evaluate without them
            criteria = None
    request = EvaluationRequest(
        question_text=question_text,
        question_type=question_type or (question.type if question is not None else "technical"),
        category=category or (question.category if question is not None else ""),
        difficulty=difficulty or (question.difficulty if question is not None else "medium"),
        expected_keywords=list(question.expected_keywords) if question is not None else [],
        sample_answer=question.sample_answer if question is not None else "",
        evaluation_criteria=criteria,
        answer_text=answer_text,
        language=language if language in ("en", "ko") else "en",
        code_result=(CodeResult(passed=code_result["passed"], total=code_result["total"],
                                status=code_result.get("status") or "completed")
                     if code_result and "passed" in code_result and "total" in code_result else None),
        job_context=JobContext(role=role) if role else None,
        previous_answers=list(previous_answers or [])[-5:],
    )
    return await evaluation_service.evaluate(request)


def analysis_from(evaluation, **fields) -> AnalysisResult:
    """An unsaved AnalysisResult holding `evaluation`; `fields` give its links."""
    data = evaluation.model_dump(by_alias=True, mode="json")
    return AnalysisResult(
        rubric=data["rubric"],
        total_score=float(data["totalScore"]),
        scores=data["scores"],
        strengths=list(data.get("strengths") or []),
        improvements=list(data.get("improvements") or []),
        detailed_feedback=data.get("detailedFeedback") or {},
        ideal_answer=data.get("idealAnswer") or "",
        follow_up_question=data.get("followUpQuestion"),
        sentiment=data.get("sentiment"),
        summary=data.get("summary") or "",
        ai_analysis=data.get("aiAnalysis") or {},
        **fields,
    )


async def store(session: AsyncSession, analysis: AnalysisResult) -> AnalysisResult:
    session.add(analysis)
    await session.flush()
    return analysis
