"""/api/users/me/analytics (003) and /api/analytics/{user-stats,progress,skills,benchmarks,export} (004)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.analytics.export import ExportFile, export_service
from interviewd.domain.analytics.service import SkillFigure, analytics_service
from interviewd.errors import ValidationFailed
from interviewd.kit.clock import isoformat_z
from interviewd.kit.principal import Principal
from interviewd.surfaces.candidate.shapes import CamelModel
from interviewd.web.deps import current_principal, db_session

router = APIRouter(tags=["analytics"])

TIMEZONE = Query(default=None, max_length=64,
                 description="IANA time zone (e.g. Asia/Seoul); default: the user's preferences.timezone, "
                             "else UTC. An unknown name is a 400.")
CHUNK = 64 * 1024


def _breakdown(skills: list[SkillFigure]) -> dict:
    """004's skillBreakdown: {skill: {score, trend, questionsCount}}."""
    return {s.skill: {"score": s.score, "trend": s.trend, "questionsCount": s.questions} for s in skills}


@router.get("/users/me/analytics", summary="Your analytics and progress (003)")
async def my_analytics(
    timezone: str | None = TIMEZONE,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """003's overview of the caller's AI interview and practice sessions:
    totals, completion rate (completed among sessions no longer open), the
    current streak of local days with a completed session, hours spent;
    performance and level per question category with its trend; the days of
    the last two weeks with activity; recommendations."""
    view = await analytics_service.overview(session, principal, timezone=timezone)
    totals = view.totals
    return {"success": True, "analytics": {
        "overview": {
            "totalSessions": totals.sessions,
            "averageScore": None if totals.average_score is None else round(totals.average_score, 1),
            "completionRate": view.completion_rate,
            "streakDays": view.streak_days,
            "totalHours": round(totals.seconds / 3600, 1),
        },
        "performanceByCategory": [
            {"category": s.skill, "averageScore": s.score, "sessionCount": s.sessions, "trend": s.trend,
             "questionCount": s.questions}
            for s in sorted(view.categories, key=lambda s: (-s.sessions, s.skill))
        ],
        "skillProgress": [
            {"skill": s.name, "currentLevel": s.level, "progress": round(s.score or 0),
             "nextMilestone": s.next_milestone}
            for s in view.categories
        ],
        "recentActivity": [
            {"date": day.isoformat(), "sessions": figures.sessions,
             "averageScore": None if figures.average_score is None else round(figures.average_score, 1)}
            for day, figures in view.recent
        ],
        "recommendations": view.recommendations,
        "timezone": view.timezone,
    }}


@router.get("/analytics/user-stats", summary="Performance stats (004 UserAnalytics)")
async def user_stats(
    timezone: str | None = TIMEZONE,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """004's UserAnalytics for today in the caller's time zone: metrics
    (`sessionsCompleted`, `averageScore` 0-100, `timeSpent` in seconds,
    `questionsAnswered`, `improvementRate`: the later half of the completed
    sessions' mean score against the earlier half's, in percent) and the
    `skillBreakdown` per question category."""
    stats = await analytics_service.user_stats(session, principal, timezone=timezone)
    totals = stats.totals
    return {"success": True, "stats": {
        "id": f"{stats.user.uid}-{stats.today.isoformat()}",
        "userId": stats.user.uid,
        "date": stats.today.isoformat(),
        "timezone": stats.timezone,
        "metrics": {
            "sessionsCompleted": totals.completed,
            "averageScore": None if totals.average_score is None else round(totals.average_score, 1),
            "timeSpent": totals.seconds,
            "questionsAnswered": totals.questions_answered,
            "improvementRate": stats.improvement_rate,
        },
        "skillBreakdown": _breakdown(stats.skills),
        "totalSessions": totals.sessions,
        "createdAt": isoformat_z(stats.generated_at),
    }}


@router.get("/analytics/progress", summary="Progress over time")
async def progress(
    period: str | None = Query(default=None, max_length=16, description="day|week|month (default day)"),
    granularity: str | None = Query(default=None, max_length=16, description="the same as `period`"),
    timezone: str | None = TIMEZONE,
    start_date: str | None = Query(default=None, alias="startDate", max_length=40,
                                   description="first local date, YYYY-MM-DD (alias `from`)"),
    end_date: str | None = Query(default=None, alias="endDate", max_length=40,
                                 description="last local date, YYYY-MM-DD, included (alias `to`)"),
    from_: str | None = Query(default=None, alias="from", max_length=40, include_in_schema=False),
    to: str | None = Query(default=None, max_length=40, include_in_schema=False),
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Per day, ISO week (Monday first) or month of the caller's time zone:
    sessions, completed sessions, their mean score, seconds spent, questions
    answered and the improvement rate against the previous bucket with a
    score. A session counts in the bucket of its completion (of its creation
    while not completed). Default range: the last 30 days, 12 weeks or 12
    months up to today; at most ANALYTICS_MAX_BUCKETS buckets."""
    if period and granularity and period.strip().lower() != granularity.strip().lower():
        raise ValidationFailed("period and granularity disagree; give one", field="period",
                               details={"period": period, "granularity": granularity})
    view = await analytics_service.progress(session, principal, period=period or granularity,
                                            timezone=timezone, start=start_date or from_, end=end_date or to)
    return {"success": True, "progress": {
        "period": view.period,
        "timezone": view.timezone,
        "startDate": view.start.isoformat(),
        "endDate": view.end.isoformat(),
        "buckets": [{
            "date": b.label.isoformat(),
            "periodStart": isoformat_z(b.start),
            "periodEnd": isoformat_z(b.end),
            "sessions": b.figures.sessions,
            "sessionsCompleted": b.figures.completed,
            "averageScore": None if b.figures.average_score is None else round(b.figures.average_score, 1),
            "timeSpent": b.figures.seconds,
            "questionsAnswered": b.figures.questions_answered,
            "improvementRate": b.improvement_rate,
        } for b in view.buckets],
    }}


@router.get("/analytics/skills", summary="Skill analysis")
async def skills(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Per question category (the skill): mean score 0-100, level, trend
    (improving|stable|declining: the later half of its scored answers against
    the earlier half, by at least ANALYTICS_TREND_THRESHOLD points, with at
    least ANALYTICS_TREND_MIN_ANSWERS answers), answers and sessions; and the
    same for each rubric axis (0-25)."""
    view = await analytics_service.skills(session, principal)
    return {"success": True, "skills": [
        {"skill": s.skill, "name": s.name, "score": s.score, "trend": s.trend, "questionsCount": s.questions,
         "sessionCount": s.sessions, "level": s.level, "nextMilestone": s.next_milestone}
        for s in view.skills
    ], "skillBreakdown": _breakdown(view.skills), "rubric": view.rubric, "evaluationCount": view.evaluations,
        "trendRule": {"threshold": view.threshold, "minimumAnswers": view.minimum}}


@router.get("/analytics/benchmarks", summary="Comparison with other users")
async def benchmarks(
    category: str | None = Query(default=None, max_length=60, description="004 JobCategory of AI sessions"),
    job_type: str | None = Query(default=None, alias="jobType", max_length=120,
                                 description="job type of AI sessions (case and spacing ignored)"),
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """The caller's percentile rank among users with completed, scored
    sessions (optionally AI sessions of one `category` and/or `jobType`),
    each user counted once by their mean score; ties count half. Only
    aggregates of the others are shown (average, median, top quartile), and
    none at all while the cohort is smaller than
    ANALYTICS_BENCHMARK_MIN_COHORT: then `sufficientData` is false and
    `reason` says why."""
    view = await analytics_service.benchmarks(session, principal, category=category, job_type=job_type)
    return {"success": True, "benchmarks": {
        "filters": {"category": view.category, "jobType": view.job_type},
        "cohortSize": view.cohort_size,
        "minimumCohortSize": view.minimum,
        "sufficientData": view.sufficient,
        "yourScore": view.your_score,
        "yourSessionCount": view.your_sessions,
        "percentileRank": view.percentile_rank,
        "cohortAverage": view.average,
        "median": view.median,
        "topQuartile": view.top_quartile,
        "difference": view.difference,
        "reason": view.reason,
    }}


class ExportRequest(CamelModel):
    format: Literal["json", "csv", "pdf"] = Field(default="json", description="json|csv|pdf")
    timezone: str | None = Field(default=None, max_length=64)


def _chunks(export: ExportFile) -> Iterator[bytes]:
    try:
        while chunk := export.file.read(CHUNK):
            yield chunk
    finally:
        export.file.close()


@router.post("/analytics/export", summary="Export all your data", response_class=StreamingResponse,
             responses={200: {"content": {"application/json": {}, "application/zip": {},
                                          "application/pdf": {}}}})
async def export(
    body: ExportRequest | None = Body(default=None),
    format_: Literal["json", "csv", "pdf"] | None = Query(default=None, alias="format",
                                                        description="used when the body names no format"),
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> StreamingResponse:
    """Everything the caller owns, as an attachment. `format` (in the body,
    else the query): `json` (default; one document), `csv` (a zip with one
    CSV per record type and a README) or `pdf` (a readable summary).
    Account, profile and preferences, sessions of every kind, questions,
    answers, evaluations, feedback reports, practice metrics, recordings'
    metadata and transcripts, bookings, reviews, favourites. Never password
    hashes or token values. 2 per hour per user (RATE_LIMIT_API_EXPORT)."""
    chosen = body.format if body is not None and "format" in body.model_fields_set else (format_ or "json")
    result = await export_service.export(session, principal, format=chosen,
                                         timezone=body.timezone if body is not None else None)
    return StreamingResponse(_chunks(result), media_type=result.media_type, headers={
        "Content-Disposition": f'attachment; filename="{result.filename}"',
        "Content-Length": str(result.size),
        "Cache-Control": "no-store",
    })
