"""/api/analysis/* (004): evaluate answers outside a session, and read any
of the caller's evaluations back (session answers' ones included)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import AliasChoices, Field
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.interview.analysis import AnalysisRequest, AnalysisView, analysis_service
from interviewd.kit.clock import isoformat_z
from interviewd.kit.principal import Principal
from interviewd.surfaces.candidate.shapes import CamelModel
from interviewd.web.deps import current_principal, db_session

router = APIRouter(tags=["analysis"])


class BatchRequest(CamelModel):
    items: list[AnalysisRequest] = Field(validation_alias=AliasChoices("items", "answers", "analyses"))


def analysis_body(view: AnalysisView) -> dict:
    """004's AnalysisResult: `scores` is its rubric (0-25 each); 003's
    completeness/correctness/communication are `answerScores`."""
    a = view.analysis
    return {
        "id": a.uid,
        "analysisId": a.uid,
        "sessionId": view.session_uid,
        "questionId": view.question_uid,
        "question": a.question_text,
        "userAnswer": a.user_answer,
        "scores": dict(a.rubric),
        "totalScore": a.total_score,
        "answerScores": dict(a.scores),
        "strengths": list(a.strengths),
        "improvements": list(a.improvements),
        "detailedFeedback": dict(a.detailed_feedback),
        "aiAnalysis": dict(a.ai_analysis),
        "idealAnswer": a.ideal_answer,
        "followUpQuestion": a.follow_up_question,
        "sentiment": a.sentiment,
        "summary": a.summary,
        "createdAt": isoformat_z(a.created_at),
    }


@router.post("/analysis/answer", status_code=201, summary="Analyze an answer")
async def analyze_answer(
    body: AnalysisRequest, principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """`question` (its text) or `questionId` (a bank question), and `answer`
    (10-5000 characters); optional `questionType`, `category`, `difficulty`,
    `language` (en|ko), `jobType`. The result is kept for the caller."""
    view = await analysis_service.analyze(session, principal, data=body)
    return {"success": True, "analysis": analysis_body(view)}


@router.post("/analysis/batch", status_code=201, summary="Analyze several answers")
async def analyze_batch(
    body: BatchRequest, principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """`items`: a list of what POST /api/analysis/answer takes, at most
    `ai_analysis_batch_max` (10 by default). All are stored, or none."""
    views = await analysis_service.analyze_batch(session, principal, items=body.items)
    return {"success": True, "count": len(views), "analyses": [analysis_body(v) for v in views]}


@router.get("/analysis/feedback/{analysis_id}", summary="Detailed feedback of an analysis")
async def analysis_feedback(
    analysis_id: str, principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """The detailed feedback (grammar, structure, content) with suggestions,
    strengths, improvements and an ideal answer."""
    view = await analysis_service.get(session, principal, analysis_id=analysis_id)
    a = view.analysis
    detailed = dict(a.detailed_feedback)
    return {"success": True, "feedback": {
        "analysisId": a.uid,
        "totalScore": a.total_score,
        "detailedFeedback": detailed,
        "suggestions": list(detailed.get("suggestions") or []),
        "strengths": list(a.strengths),
        "improvements": list(a.improvements),
        "idealAnswer": a.ideal_answer,
        "createdAt": isoformat_z(a.created_at),
    }}


@router.get("/analysis/{analysis_id}", summary="An analysis result")
async def get_analysis(
    analysis_id: str, principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """The caller's own analysis; anyone else's is 404."""
    view = await analysis_service.get(session, principal, analysis_id=analysis_id)
    return {"success": True, "analysis": analysis_body(view)}
