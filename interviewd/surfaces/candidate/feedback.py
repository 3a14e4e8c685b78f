"""/api/feedback/* (003): a completed session's report and its share link."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.feedback.service import ReportView, download_url, feedback_service, share_url
from interviewd.kit.clock import isoformat_z
from interviewd.kit.principal import Principal
from interviewd.models.ai import FeedbackReport
from interviewd.web.deps import current_principal, db_session

router = APIRouter(tags=["feedback"])


def feedback_summary(report: FeedbackReport) -> dict:
    """The feedback block of POST /api/sessions/{id}/complete."""
    return {
        "feedbackId": report.uid,
        "summary": report.summary,
        "overallScore": report.overall_score,
        "strengths": list(report.strengths),
        "improvementAreas": list(report.improvement_areas),
        "recommendations": list(report.recommendations),
        "percentileRank": report.percentile_rank,
        "generatedAt": isoformat_z(report.generated_at),
    }


def feedback_detail(view: ReportView) -> dict:
    """003's GET /api/feedback/{feedbackId} shape."""
    report = view.report
    bench = dict(report.benchmark or {})
    return {
        **feedback_summary(report),
        "sessionId": view.session.uid,
        "mode": view.details.mode,
        "jobType": view.details.job_type,
        "technicalSkills": dict(report.technical_skills or {}),
        "communication": dict(report.communication or {}),
        "benchmarkComparison": {
            "role": bench.get("role", view.details.job_type),
            "categoryAverage": bench.get("categoryAverage"),
            "topQuartile": bench.get("topQuartile"),
            "difference": bench.get("difference"),
            "sampleSize": bench.get("sampleSize", 0),
        },
        "transcript": {"downloadUrl": download_url(view.session.uid), "shareableLink": share_url(view)},
    }


@router.get("/feedback/{feedback_id}", summary="Detailed feedback of a completed session")
async def get_feedback(
    feedback_id: str, principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Technical skills and communication blocks, strengths, improvement
    areas, recommendations, and the comparison with other users' completed
    sessions of the same mode and role (`percentileRank` and
    `benchmarkComparison`; null while there is nobody to compare with)."""
    view = await feedback_service.get(session, principal, feedback_id=feedback_id)
    return {"success": True, "feedback": feedback_detail(view)}


@router.post("/feedback/{feedback_id}/share", summary="Create a new share link")
async def renew_share(
    feedback_id: str, principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """A fresh public link to the read-only report; earlier links stay dead."""
    view = await feedback_service.renew_share(session, principal, feedback_id=feedback_id)
    return {"success": True, "shareableLink": share_url(view)}


@router.delete("/feedback/{feedback_id}/share", summary="Revoke the share link")
async def revoke_share(
    feedback_id: str, principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """The public page answers 404 from now on."""
    await feedback_service.revoke_share(session, principal, feedback_id=feedback_id)
    return {"success": True, "shareableLink": None}
