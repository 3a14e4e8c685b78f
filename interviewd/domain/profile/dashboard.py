"""000's dashboard analytics: counts and sums in SQL over the user's sessions
of every kind (bookings, AI interviews, practice, one-way), shaped here."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.profile.repository import profile_repository
from interviewd.domain.profile.schemas import Activity, Dashboard, SkillAssessment, Stats
from interviewd.kit.clock import isoformat_z
from interviewd.models.user import User


def _months_back(now: datetime, count: int) -> list[str]:
    """The `count` calendar months (UTC) ending with now's, oldest first."""
    year, month = now.astimezone(UTC).year, now.astimezone(UTC).month
    months = []
    for _ in range(max(count, 1)):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def _score(value) -> float | None:
    return None if value is None else round(float(value), 1)


def _upcoming_item(row: tuple) -> dict:
    s, booking, mentor, ai, practice = row
    kind_type = (booking.session_type if booking else None) or (practice.session_type if practice else None) \
        or (ai.mode if ai else None) or s.kind
    return {
        "id": s.uid,
        "kind": s.kind,
        "mentorId": mentor.uid if mentor else None,
        "mentorName": mentor.name if mentor else None,
        "company": mentor.current_company if mentor else None,
        "title": s.title or (booking.session_type if booking else None) or (ai.job_type if ai else None)
        or kind_type,
        "scheduledAt": isoformat_z(s.scheduled_at),
        "type": kind_type,
        "difficulty": (ai.difficulty if ai else None) or (s.details or {}).get("difficulty"),
    }


async def _activity(session: AsyncSession, user: User, limit: int) -> list[Activity]:
    """The newest events of four kinds, merged: each source gives at most
    `limit`, so the merge is exact for the first `limit`."""
    events: list[Activity] = []
    for s, mentor_name in await profile_repository.recently_completed(session, user.id, limit=limit):
        what = s.title or s.kind
        description = f"Completed {what} with {mentor_name}" if mentor_name else f"Completed {what}"
        if s.overall_score is not None:
            description += f" (score {round(s.overall_score)})"
        events.append(Activity("session_completed", description, s.completed_at, {
            "sessionId": s.uid, "kind": s.kind, "score": _score(s.overall_score),
        }))
    for s, booking, mentor_uid, mentor_name in await profile_repository.recent_bookings(
            session, user.id, limit=limit):
        what = booking.session_type or "a session"
        events.append(Activity("session_booked", f"Booked {what} with {mentor_name}", s.created_at, {
            "sessionId": s.uid, "mentorId": mentor_uid, "scheduledAt": isoformat_z(booking.starts_at),
            "status": s.status,
        }))
    for session_uid, skill, score, answers, latest in await profile_repository.recent_assessments(
            session, user.id, limit=limit):
        events.append(Activity("skill_assessed", f"{skill} assessed at {round(float(score))}/100", latest, {
            "skill": skill, "score": round(float(score)), "answers": int(answers), "sessionId": session_uid,
        }))
    for mentor_uid, mentor_name, added in await profile_repository.recent_favorites(
            session, user.id, limit=limit):
        events.append(Activity("mentor_favorited", f"Added {mentor_name} to favourite mentors", added,
                               {"mentorId": mentor_uid}))
    events.sort(key=lambda e: e.date, reverse=True)
    return events[:limit]


def skill_assessments(rows: list[tuple]) -> list[SkillAssessment]:
    """Latest scored answer per question category, as a whole number 0-100."""
    return [SkillAssessment(skill=skill, score=max(0, min(100, round(float(score)))), assessed_at=when)
            for skill, score, when in rows if score is not None]


async def build_dashboard(session: AsyncSession, user: User, *, now: datetime) -> Dashboard:
    settings = runtime.current().settings
    total, completed, upcoming, average, seconds = await profile_repository.stats(session, user.id, now=now)
    stats = Stats(
        total_interviews=int(total or 0), completed_count=int(completed or 0),
        # 000 types it a number: 0 until some session has a score.
        upcoming_count=int(upcoming or 0), average_score=_score(average) or 0.0,
        total_hours_spent=round(float(seconds or 0) / 3600, 1),
    )
    months = _months_back(now, settings.users_progress_months)
    first = datetime.strptime(months[0] + "-01", "%Y-%m-%d").replace(tzinfo=UTC)
    found = {month: (score, count) for month, score, count
             in await profile_repository.monthly_progress(session, user.id, since=first)}
    progress = []
    for month in months:
        score, count = found.get(month, (None, 0))
        progress.append({"month": month, "score": _score(score), "interviews": int(count)})
    skills: list[SkillAssessment] = skill_assessments(
        await profile_repository.latest_skill_scores(session, user.id))
    upcoming_items = [_upcoming_item(row) for row in await profile_repository.upcoming(
        session, user.id, now=now, limit=settings.users_upcoming_limit)]
    return Dashboard(stats=stats, progress=progress, skills=skills, upcoming=upcoming_items,
                     activity=await _activity(session, user, settings.users_recent_activity))
