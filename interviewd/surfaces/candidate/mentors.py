"""/api/mentors and mentor availability (000)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.mentor.schemas import (
    WEEKDAYS,
    AvailabilityUpdate,
    AvailabilityView,
    MentorCreate,
    MentorDetail,
    MentorProfileFields,
    MentorSearch,
    clock_text,
)
from interviewd.domain.mentor.service import mentor_service
from interviewd.errors import ValidationFailed
from interviewd.kit.clock import as_utc, isoformat_z, utcnow
from interviewd.kit.principal import Principal
from interviewd.models.mentor import Mentor
from interviewd.web.deps import bearer_token, current_principal, db_session

router = APIRouter(tags=["mentors"])
MentorId = Annotated[str, Path(alias="mentorId", min_length=1, max_length=64, description="the mentor's id")]


async def optional_principal(
    request: Request, session: AsyncSession = Depends(db_session)
) -> Principal | None:
    """The caller when a bearer token is sent (a bad one is still 401), else None."""
    if bearer_token(request) is None:
        return None
    return await current_principal(request, session)


def _list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def mentor_body(mentor: Mentor, slots: list[datetime]) -> dict:
    """000's mentor item; `availability` is the next free slot starts (UTC ISO)."""
    return {
        "id": mentor.uid,
        "name": mentor.name,
        "title": mentor.title,
        "currentCompany": mentor.current_company,
        "previousCompanies": list(mentor.previous_companies or []),
        "avatar": mentor.avatar,
        "bio": mentor.bio,
        "specialties": list(mentor.specialties or []),
        "skills": list(mentor.skills or []),
        "languages": list(mentor.languages or []),
        "experience": mentor.experience or 0,
        "rating": round(mentor.rating or 0.0, 2),
        "reviewCount": mentor.review_count or 0,
        "hourlyRate": mentor.hourly_rate,
        "responseTime": mentor.response_time,
        "timezone": mentor.timezone,
        "availability": [isoformat_z(s) for s in slots],
    }


def detail_body(detail: MentorDetail, *, manage: bool = False) -> dict:
    mentor = detail.mentor
    body = {
        **mentor_body(mentor, detail.slots),
        "reviews": [
            {
                "id": r.review.uid,
                "userId": r.user_uid,
                "userName": r.user_name,
                "rating": r.review.rating,
                "comment": r.review.comment,
                "date": isoformat_z(r.review.created_at),
                "sessionType": r.session_type,
            }
            for r in detail.reviews
        ],
        "upcomingSlots": [isoformat_z(s) for s in detail.slots],
        "isAvailable": bool(detail.slots),
    }
    if manage:
        body.update(owner_fields(mentor, detail.owner_uid))
    return body


def owner_fields(mentor: Mentor, owner_uid: str | None) -> dict:
    """What only the mentor and admins see besides the public profile."""
    return {
        "userId": owner_uid,
        "isActive": mentor.is_active,
        "bufferMinutes": mentor.buffer_minutes,
        "minNoticeMinutes": mentor.min_notice_minutes,
        "createdAt": isoformat_z(mentor.created_at),
        "updatedAt": isoformat_z(mentor.updated_at),
    }


def availability_body(view: AvailabilityView) -> dict:
    mentor = view.mentor
    return {
        "mentorId": mentor.uid,
        "timezone": mentor.timezone,
        "bufferMinutes": mentor.buffer_minutes,
        "minNoticeMinutes": mentor.min_notice_minutes,
        "weekly": [
            {"weekday": r.weekday, "day": WEEKDAYS[r.weekday], "start": clock_text(r.start_minute),
             "end": clock_text(r.end_minute)}
            for r in view.rules
        ],
        "exceptions": [
            {"date": e.on_date.isoformat(), "start": clock_text(e.start_minute),
             "end": clock_text(e.end_minute), "available": e.available, "reason": e.reason}
            for e in view.exceptions
        ],
    }


@router.get("/mentors", summary="Search mentors")
async def list_mentors(
    page: int = Query(default=1, ge=1, le=100_000),
    limit: int = Query(default=20, ge=1, le=100),
    skills: str | None = Query(default=None, max_length=2000, description="comma list, any matches"),
    companies: str | None = Query(default=None, max_length=2000,
                                  description="comma list; current or previous company"),
    rating_min: float | None = Query(default=None, ge=0, le=5),
    price_min: float | None = Query(default=None, ge=0),
    price_max: float | None = Query(default=None, ge=0),
    experience_min: int | None = Query(default=None, ge=0, le=100),
    languages: str | None = Query(default=None, max_length=2000, description="comma list, any matches"),
    search: str | None = Query(default=None, max_length=200,
                               description="words over name, title, bio, specialties and skills; "
                               "all must match"),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Active mentors, best rated first. List filters are comma-separated and
    match any value, case-insensitively; `search` needs every word. Each
    mentor's `availability` lists its next free slot starts (UTC ISO 8601).
    `filters` describes all active mentors, not only the matching ones."""
    result = await mentor_service.search(
        session, None,
        filters=MentorSearch(
            page=page, limit=limit, skills=_list(skills), companies=_list(companies),
            languages=_list(languages), rating_min=rating_min, price_min=price_min, price_max=price_max,
            experience_min=experience_min, search=search,
        ),
        now=utcnow(),
    )
    facets = result.facets
    return {
        "mentors": [mentor_body(card.mentor, card.slots) for card in result.cards],
        "pagination": {"page": result.page, "limit": result.limit, "total": result.total,
                       "totalPages": result.total_pages},
        "filters": {
            "availableSkills": facets.skills,
            "availableCompanies": facets.companies,
            "availableLanguages": facets.languages,
            "priceRange": {"min": facets.price_range[0], "max": facets.price_range[1]},
            "experienceRange": {"min": facets.experience_range[0], "max": facets.experience_range[1]},
        },
    }


@router.post("/mentors", status_code=201, summary="Create a mentor profile")
async def create_mentor(
    body: MentorCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """A mentor creates their own profile (409 when they have one). An admin
    may create one for the user `userId` (a candidate becomes a mentor) or,
    without `userId`, one no user owns. Other roles: 403."""
    mentor = await mentor_service.create_profile(session, principal, data=body)
    detail = MentorDetail(mentor=mentor, owner_uid=await mentor_service.owner_uid(session, mentor),
                          reviews=[], slots=[])
    return detail_body(detail, manage=True)


@router.get("/mentors/me", summary="The caller's mentor profile")
async def my_mentor(
    principal: Principal = Depends(current_principal), session: AsyncSession = Depends(db_session)
) -> dict:
    """The caller's profile as its page shows it, with `isActive`,
    `bufferMinutes` and `minNoticeMinutes`; 404 when they have none."""
    detail = await mentor_service.my_detail(session, principal, now=utcnow())
    return detail_body(detail, manage=True)


@router.get("/mentors/{mentorId}", summary="A mentor's profile")
async def get_mentor(
    mentor_id: MentorId,
    principal: Principal | None = Depends(optional_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """The profile with its newest public `reviews`, `upcomingSlots` (free
    starts over the next days, UTC) and `isAvailable` (at least one). Unknown
    or inactive mentors are 404 (the owner and admins still see theirs)."""
    detail = await mentor_service.detail(session, principal, mentor_uid=mentor_id, now=utcnow())
    manage = principal is not None and (principal.is_admin or detail.mentor.user_id == principal.user_id)
    return detail_body(detail, manage=manage)


async def _update(mentor_id: str, body: MentorProfileFields, principal: Principal, session: AsyncSession,
                  *, replace: bool) -> dict:
    mentor = await mentor_service.update_profile(session, principal, mentor_uid=mentor_id, data=body,
                                                 replace=replace)
    detail = await mentor_service.detail(session, principal, mentor_uid=mentor.uid, now=utcnow())
    return detail_body(detail, manage=True)


@router.put("/mentors/{mentorId}", summary="Replace a mentor profile")
async def replace_mentor(
    mentor_id: MentorId,
    body: MentorProfileFields,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """The owner or an admin replaces the profile: `name` is required and
    omitted optional fields are cleared. Others: 403."""
    return await _update(mentor_id, body, principal, session, replace=True)


@router.patch("/mentors/{mentorId}", summary="Change a mentor profile")
async def patch_mentor(
    mentor_id: MentorId,
    body: MentorProfileFields,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """The owner or an admin changes the given fields only. Others: 403."""
    return await _update(mentor_id, body, principal, session, replace=False)


@router.get("/mentors/{mentorId}/availability", summary="A mentor's weekly availability")
async def get_availability(
    mentor_id: MentorId,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Weekly rules (`weekday` 0=Monday, `day`, local `start`/`end` HH:MM),
    dated `exceptions`, `timezone`, `bufferMinutes`, `minNoticeMinutes`.
    Owner or admin only."""
    return availability_body(await mentor_service.get_availability(session, principal, mentor_uid=mentor_id))


@router.put("/mentors/{mentorId}/availability", summary="Set a mentor's availability")
async def put_availability(
    mentor_id: MentorId,
    body: AvailabilityUpdate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """`weekly`: `[{weekday: 0-6 or a day name, start: "HH:MM", end: "HH:MM"}]`
    in the mentor's `timezone` (IANA); `exceptions`: `[{date, start?, end?,
    available, reason?}]` (no times: the whole day). A given list replaces the
    stored one; omitted parts stay. Unknown timezone, end not after start or
    overlapping rules of one day: 400. Owner or admin only."""
    view = await mentor_service.set_availability(session, principal, mentor_uid=mentor_id, data=body)
    return availability_body(view)


@router.get("/mentors/{mentorId}/slots", summary="A mentor's free slots")
async def get_slots(
    mentor_id: MentorId,
    start: datetime | None = Query(default=None, alias="from", description="ISO 8601; default now"),
    end: datetime | None = Query(default=None, alias="to", description="ISO 8601; default from + 14 days"),
    duration: int = Query(default=60, ge=15, le=240, description="minutes"),
    principal: Principal | None = Depends(optional_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Bookable session starts (UTC ISO 8601) in [from, to) for a session of
    `duration` minutes: inside the mentor's availability, with their notice,
    clear of other bookings and their buffers. A time without an offset is UTC."""
    now = utcnow()
    settings = runtime.current().settings
    start = as_utc(start) if start is not None else now
    end = as_utc(end) if end is not None else start + timedelta(days=settings.mentor_slot_horizon_days)
    if end <= start:
        raise ValidationFailed("`to` must be after `from`", field="to", details={"field": "to"})
    mentor, slots = await mentor_service.slots(session, principal, mentor_uid=mentor_id, start=start,
                                               end=end, duration_minutes=duration, now=now)
    return {
        "mentorId": mentor.uid,
        "timezone": mentor.timezone,
        "duration": duration,
        "from": isoformat_z(start),
        "to": isoformat_z(end),
        "slots": [isoformat_z(s) for s in slots],
    }
