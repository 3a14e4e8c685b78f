"""GET /api/sessions and PATCH /api/sessions/{sessionId} for mentor bookings (000).

POST, GET, PUT and DELETE /api/sessions[/{id}] are shared with AI sessions;
their routes (surfaces/candidate/ai_sessions.py) hand bookings to the
functions here."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Query, Response
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.booking.schemas import BookingCreate, BookingUpdate, BookingView, SessionEntry
from interviewd.domain.booking.service import booking_service
from interviewd.kit.clock import isoformat_z
from interviewd.kit.principal import Principal
from interviewd.surfaces.candidate.bodies import parse_body
from interviewd.web.deps import current_principal, db_session

router = APIRouter(tags=["bookings"])


def booking_body(view: BookingView) -> dict:
    """A booking in 000's field names, with its `kind` and the caller's `role`."""
    s, b, m = view.session, view.booking, view.mentor
    return {
        "id": s.uid,
        "sessionId": s.uid,
        "kind": s.kind,
        "role": view.role,
        "userId": view.candidate_uid,
        "mentorId": m.uid,
        "mentorName": m.name,
        "mentorAvatar": m.avatar,
        "mentorCompany": m.current_company,
        "sessionType": b.session_type,
        "title": s.title,
        "scheduledAt": isoformat_z(b.starts_at),
        "endsAt": isoformat_z(b.ends_at),
        "duration": b.duration_minutes,
        "meetingType": b.meeting_type,
        "meetingLink": b.meeting_link,
        "status": s.status,
        "recordSession": b.record_session,
        "specialRequests": b.special_requests,
        "participantEmail": b.participant_email,
        "participantName": b.participant_name,
        "rating": b.rating,
        "feedback": b.feedback,
        "cancellationReason": b.cancellation_reason,
        "cancelledBy": b.cancelled_by,
        "recordingUrl": b.recording_url,
        "createdAt": isoformat_z(s.created_at),
        "updatedAt": isoformat_z(s.updated_at),
        "completedAt": isoformat_z(s.completed_at),
    }


def list_item(entry: SessionEntry) -> dict:
    """000's session list item for a session of any kind; mentor and meeting
    fields are null for kinds other than `booking`."""
    s, b, m = entry.session, entry.booking, entry.mentor
    if b is not None and m is not None:
        view = BookingView(s, b, m, entry.candidate.uid if entry.candidate else None, entry.role)
        return {**booking_body(view),
                "candidateName": entry.candidate.name if entry.candidate else None,
                "overallScore": s.overall_score}
    when = s.scheduled_at or s.started_at or s.created_at
    return {
        "id": s.uid,
        "sessionId": s.uid,
        "kind": s.kind,
        "role": entry.role,
        "userId": entry.candidate.uid if entry.candidate else None,
        "mentorId": None,
        "mentorName": None,
        "mentorAvatar": None,
        "mentorCompany": None,
        "sessionType": s.title,
        "title": s.title,
        "scheduledAt": isoformat_z(when),
        "endsAt": None,
        "duration": None if s.duration_seconds is None else round(s.duration_seconds / 60),
        "meetingType": None,
        "meetingLink": None,
        "status": s.status,
        "rating": None,
        "feedback": None,
        "recordingUrl": None,
        "createdAt": isoformat_z(s.created_at),
        "updatedAt": isoformat_z(s.updated_at),
        "completedAt": isoformat_z(s.completed_at),
        "overallScore": s.overall_score,
    }


# -- called by the shared /api/sessions routes --------------------------------
async def book_mentor(body: dict[str, Any], principal: Principal, session: AsyncSession) -> dict:
    data = parse_body(BookingCreate, body)
    view = await booking_service.create(session, principal, data=data)
    return {"success": True, "session": booking_body(view), "emailSent": view.email_sent}


async def show_booking(session_id: str, principal: Principal, session: AsyncSession) -> dict:
    view = await booking_service.get(session, principal, session_id=session_id)
    return {"success": True, "session": booking_body(view)}


async def change_booking(session_id: str, body: dict[str, Any], principal: Principal,
                         session: AsyncSession) -> dict:
    data = parse_body(BookingUpdate, body)
    view = await booking_service.update(session, principal, session_id=session_id, data=data)
    return {"success": True, "session": booking_body(view)}


async def cancel_booking(session_id: str, principal: Principal, session: AsyncSession) -> Response:
    await booking_service.cancel(session, principal, session_id=session_id)
    return Response(status_code=204)


# -- routes only bookings have ---------------------------------------------------
@router.get("/sessions", summary="The caller's sessions and their stats")
async def list_sessions(
    status: str | None = Query(default=None, description="upcoming | past | completed | cancelled "
                                                         "| pending | confirmed"),
    page: int = Query(default=1),
    limit: int = Query(default=10),
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """000's session history: every session of the caller, of every `kind`
    (booking, ai, practice, oneway), newest first (`status=upcoming`: soonest
    first). A user with a mentor profile also gets the bookings made with them,
    with `role: "mentor"` (their own sessions have `role: "candidate"`).
    `upcoming`: pending or confirmed bookings that have not ended; `past`:
    everything else. `stats` covers all the listed sessions, whatever the
    filter: `averageRating` of rated bookings (0 when none), `totalHours` of
    completed sessions."""
    result = await booking_service.list_sessions(session, principal, status=status, page=page, limit=limit)
    stats = result.stats
    return {
        "success": True,
        "sessions": [list_item(entry) for entry in result.entries],
        "stats": {
            "totalSessions": stats.total_sessions,
            "completedSessions": stats.completed_sessions,
            "upcomingSessions": stats.upcoming_sessions,
            "averageRating": stats.average_rating,
            "totalHours": stats.total_hours,
        },
        "pagination": {
            "page": result.page,
            "limit": result.limit,
            "total": result.total,
            "totalPages": (result.total + result.limit - 1) // result.limit,
        },
    }


@router.patch("/sessions/{session_id}", summary="Confirm, complete, cancel or rate a booking")
async def patch_session(
    session_id: str,
    body: BookingUpdate = Body(...),
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """000: `status` confirmed (the mentor, from pending), completed (the
    mentor, from confirmed, once the start time has passed) or cancelled (the
    candidate or the mentor, from pending or confirmed, with an optional
    `cancellationReason`; the time is freed). `rating` 1-5 and `feedback`: the
    candidate, once, after completion. Any other move is 409 naming from and
    to; another user's booking is 404."""
    view = await booking_service.update(session, principal, session_id=session_id, data=body)
    return {"success": True, "session": booking_body(view)}
