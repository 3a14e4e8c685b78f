"""/api/analytics/dashboard and /api/analytics/sessions/{id} (001)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.practice.dashboard import dashboard_service
from interviewd.domain.practice.schemas import METRIC_FIELDS
from interviewd.domain.practice.service import practice_service
from interviewd.kit.clock import isoformat_z
from interviewd.kit.principal import Principal
from interviewd.web.deps import current_principal, db_session

router = APIRouter(tags=["analytics"])


@router.get("/analytics/dashboard", summary="Practice dashboard")
async def dashboard(
    user_id: str | None = Query(default=None, alias="userId", max_length=64),
    timezone: str | None = Query(default=None, max_length=64),
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Totals, streaks (calendar days of `timezone`, else the user's
    `preferences.timezone`, else UTC), experience points, recent sessions,
    progress per domain and unlocked achievements. Another user's `userId` is
    403 unless the caller is an admin."""
    board = await dashboard_service.dashboard(session, principal, user_id=user_id, timezone=timezone)
    return {
        "totalSessions": board.total_sessions,
        "averageScore": board.average_score,
        "currentStreak": board.current_streak,
        "bestStreak": board.best_streak,
        "experiencePoints": board.experience_points,
        "timezone": board.timezone,
        "recentSessions": [{**item, "completedAt": isoformat_z(item["completedAt"])}
                           for item in board.recent_sessions],
        "domainProgress": board.domain_progress,
        "achievements": [{"code": a.code, "title": a.title, "description": a.description,
                          "unlockedAt": isoformat_z(a.unlocked_at)} for a in board.achievements],
    }


@router.get("/analytics/sessions/{session_id}", summary="A practice session's metrics")
async def session_analytics(
    session_id: str, principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """The submitted metrics and the recommendations derived from them. A
    session without metrics yet answers 200 with null figures and empty lists;
    another user's session is 404."""
    view = await practice_service.session_analytics(session, principal, session_id=session_id)
    metrics = view.details.metrics or {}
    body = {"sessionId": view.session.uid}
    body.update({key: metrics.get(key) for key in METRIC_FIELDS})
    body["emotionTimeline"] = metrics.get("emotionTimeline") or []
    if body["overallPerformanceScore"] is None:
        body["overallPerformanceScore"] = view.session.overall_score
    body.update({
        "status": view.session.status,
        "completedAt": isoformat_z(view.session.completed_at),
        "feedback": view.details.feedback or [],
        "recommendations": view.details.recommendations or [],
        "measuredMetrics": view.details.measured_metrics,
    })
    return body
