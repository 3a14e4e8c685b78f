"""/api/domains and /api/interviews/sessions* (001): self-practice sessions."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.practice.schemas import (
    Page,
    PracticeMetrics,
    PracticeSessionCreate,
    PracticeSessionView,
)
from interviewd.domain.practice.service import practice_service
from interviewd.kit.clock import isoformat_z
from interviewd.kit.principal import Principal
from interviewd.surfaces.candidate.shapes import CamelModel
from interviewd.web.deps import current_principal, db_session

router = APIRouter(tags=["practice"])


class MetricsUpdate(CamelModel):
    metrics: PracticeMetrics


def session_summary(view: PracticeSessionView) -> dict:
    s, details = view.session, view.details
    return {
        "_id": s.uid,
        "user": view.user_uid,
        "domain": view.domain.uid,
        "domainSlug": view.domain.slug,
        "sessionType": details.session_type,
        "status": s.status,
        "scheduledAt": isoformat_z(s.scheduled_at),
        "completedAt": isoformat_z(s.completed_at),
        "overallScore": s.overall_score,
        "createdAt": isoformat_z(s.created_at),
    }


def session_body(view: PracticeSessionView) -> dict:
    return {
        **session_summary(view),
        "recording": view.recording,
        "feedback": view.details.feedback or [],
        "recommendations": view.details.recommendations or [],
        "metrics": view.details.metrics,
        "measuredMetrics": view.details.measured_metrics,
    }


@router.get("/domains", summary="Practice domains")
async def list_domains(
    principal: Principal = Depends(current_principal), session: AsyncSession = Depends(db_session)
) -> list[dict]:
    """The active practice domains: `[{_id, slug, name, description}]`. A
    session's `domainId` is a domain's `_id` or its `slug`."""
    domains = await practice_service.list_domains(session, principal)
    return [{"_id": d.uid, "slug": d.slug, "name": d.name, "description": d.description} for d in domains]


@router.post("/interviews/sessions", status_code=201, summary="Create a practice session")
async def create_session(
    body: PracticeSessionCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Schedules a session (status `scheduled`). `userId`, when given, must be
    the caller's unless the caller is an admin; `sessionType` is one of
    mock, video, audio, text."""
    view = await practice_service.create_session(session, principal, data=body)
    return session_summary(view)


@router.get("/interviews/sessions", summary="List practice sessions")
async def list_sessions(
    user_id: str | None = Query(default=None, alias="userId", max_length=64),
    page: int | None = Query(default=None),
    page_size: int | None = Query(default=None, alias="pageSize"),
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> list[dict] | dict:
    """Newest first. A plain array; with `page` or `pageSize` the envelope
    `{items, total, page, pageSize, totalPages}`. Another user's `userId` is
    403 unless the caller is an admin."""
    result = await practice_service.list_sessions(session, principal, user_id=user_id, page=page,
                                                  page_size=page_size)
    if isinstance(result, Page):
        return {"items": [session_summary(v) for v in result.items], "total": result.total,
                "page": result.page, "pageSize": result.page_size, "totalPages": result.total_pages}
    return [session_summary(v) for v in result]


@router.get("/interviews/sessions/{session_id}", summary="A practice session")
async def get_session(
    session_id: str, principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """With `recording` (or null), `overallScore`, `feedback` and `recommendations`."""
    return session_body(await practice_service.get_session(session, principal, session_id=session_id))


@router.patch("/interviews/sessions/{session_id}/metrics", summary="Submit a session's final metrics")
async def submit_metrics(
    session_id: str,
    body: MetricsUpdate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Completes the session and derives overallScore, feedback and
    recommendations (rules in docs/practice.md). Scores are 0-100,
    speechPaceWpm 0-400, fillerWordFrequency 0-1; emotionTimeline entries need
    a label, a probability 0-1 and a timestamp >= 0."""
    view = await practice_service.submit_metrics(session, principal, session_id=session_id,
                                                 metrics=body.metrics)
    return {**session_body(view), "_id": view.session.uid}
