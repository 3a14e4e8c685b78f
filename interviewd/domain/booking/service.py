"""Mentor bookings (000).

A booking is a session of kind `booking` (status pending -> confirmed ->
completed, or cancelled) with its `booking_details` row. Overlaps are refused
by the database: a booking inserts one `booking_holds` row per minute it takes
on the mentor's calendar (its end extended by the mentor's buffer) and on the
candidate's, and (calendar, minute) is unique. Of any number of concurrent
requests for overlapping time exactly one inserts its holds; the others get
CONFLICT naming the session that holds the time. Cancelling deletes the holds,
so the time can be booked again.

Moves: the mentor (or an administrator) confirms a pending booking and
completes a confirmed one once it has started; the candidate, the mentor or
an administrator cancels a pending or confirmed one. The candidate rates a
completed booking once (1-5, with optional feedback), which writes a review
and recomputes the mentor's rating and review count from all reviews.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.audit.service import audit_service
from interviewd.domain.booking.repository import (
    booking_repository,
    mentor_calendar,
    user_calendar,
)
from interviewd.domain.booking.schemas import (
    LIST_FILTERS,
    MAX_DURATION,
    MEETING_TYPES,
    MIN_DURATION,
    TARGET_STATUSES,
    BookingCreate,
    BookingUpdate,
    BookingView,
    Role,
    SessionEntry,
    SessionPage,
    SessionStats,
)
from interviewd.domain.mentor import availability
from interviewd.domain.notifications import booking as booking_mail
from interviewd.errors import Conflict, Forbidden, NotFound, ValidationFailed
from interviewd.kit.clock import as_utc, isoformat_z, utcnow
from interviewd.kit.principal import Principal
from interviewd.models.mentor import BookingDetails, Review
from interviewd.models.session import InterviewSession, SessionKind

SLOT_TAKEN = "Selected time slot is no longer available"
SLOT_UNAVAILABLE = "Selected time slot is not within the mentor's availability"
# (from, to) moves a booking may make.
MOVES = {("pending", "confirmed"), ("confirmed", "completed"), ("pending", "cancelled"),
         ("confirmed", "cancelled")}
BOOKING_STATUSES = ("pending", "confirmed", "completed", "cancelled")


def _invalid(message: str, field: str, value) -> ValidationFailed:
    """000's validation error: details {field, value}."""
    if isinstance(value, datetime):
        value = isoformat_z(value)
    return ValidationFailed(message, field=field, details={"field": field, "value": value})


def _illegal(from_: str, to: str) -> Conflict:
    return Conflict(f"Cannot change a booking from {from_} to {to}", field="status",
                    details={"field": "status", "from": from_, "to": to})


class BookingService:
    # -- booking ---------------------------------------------------------------
    async def create(self, session: AsyncSession, principal: Principal, *, data: BookingCreate,
                     now: datetime | None = None) -> BookingView:
        """Book a mentor: validate, check the mentor's availability, take the
        minutes (CONFLICT naming the holder when any is taken), and queue the
        invitation and the reminder. The booking starts `pending`."""
        now = now or utcnow()
        starts_at = as_utc(data.scheduled_at)
        duration = data.duration
        if not MIN_DURATION <= duration <= MAX_DURATION:
            raise _invalid("Invalid session duration", "duration", duration)
        if starts_at <= now:
            raise _invalid("Session time must be in the future", "scheduledAt", starts_at)
        if starts_at > now + timedelta(days=runtime.current().settings.booking_max_advance_days):
            raise _invalid("Session time is too far ahead", "scheduledAt", starts_at)
        if starts_at.second or starts_at.microsecond:
            raise _invalid("Session time must be on a whole minute", "scheduledAt", starts_at)
        if data.meeting_type not in MEETING_TYPES:
            raise _invalid("Invalid meeting type", "meetingType", data.meeting_type)
        if data.meeting_link and urlsplit(data.meeting_link).scheme not in ("http", "https"):
            raise _invalid("Invalid meeting link", "meetingLink", data.meeting_link)
        mentor = await booking_repository.mentor_by_uid(session, data.mentor_id)
        if mentor is None or not mentor.is_active:
            raise _invalid("Mentor not found or not accepting bookings", "mentorId", data.mentor_id)
        if mentor.user_id == principal.user_id:
            raise _invalid("You cannot book a session with yourself", "mentorId", data.mentor_id)
        if not await availability.is_bookable(session, mentor, starts_at=starts_at,
                                              duration_minutes=duration, now=now):
            raise Conflict(SLOT_UNAVAILABLE, field="scheduledAt", details={
                "field": "scheduledAt", "value": isoformat_z(starts_at), "reason": "outside_availability"})

        ends_at = starts_at + timedelta(minutes=duration)
        spans = [
            (mentor_calendar(mentor.id), starts_at, ends_at + timedelta(minutes=mentor.buffer_minutes or 0)),
            (user_calendar(principal.user_id), starts_at, ends_at),
        ]
        if mentor.user_id is not None:
            # The mentor is a person too: their own bookings as a candidate and the
            # sessions they give share one personal calendar.
            spans.append((user_calendar(mentor.user_id), starts_at, ends_at))
        # Cheap refusal first: most requests for a taken slot stop here,
        # without writing. The insert below is what guarantees it.
        holder = await booking_repository.holder(session, spans)
        if holder is not None:
            raise self._taken(holder)

        row = InterviewSession(
            kind=SessionKind.BOOKING.value, user_id=principal.user_id, status="pending",
            title=data.session_type or f"Session with {mentor.name}", scheduled_at=starts_at,
            details={}, created_at=now, updated_at=now,
        )
        details = BookingDetails(
            mentor_id=mentor.id, session_type=data.session_type, starts_at=starts_at, ends_at=ends_at,
            duration_minutes=duration, meeting_type=data.meeting_type, meeting_link=data.meeting_link,
            record_session=data.record_session, special_requests=data.special_requests,
            participant_email=str(data.participant_email) if data.participant_email else None,
            participant_name=(data.participant_name or "").strip() or None,
        )
        await booking_repository.add_booking(session, row, details)
        try:
            # A savepoint, so that after a refused insert the transaction can
            # still ask who holds the time (PostgreSQL aborts it otherwise).
            async with session.begin_nested():
                await booking_repository.hold(session, row.id, spans)
        except IntegrityError:
            raise self._taken(await booking_repository.holder(session, spans)) from None

        await booking_mail.queue_invitation(session, session_id=row.id)
        await booking_mail.queue_reminder(session, session_id=row.id, starts_at=starts_at)
        return BookingView(row, details, mentor, principal.user.uid, "candidate", email_sent=True)

    @staticmethod
    def _taken(holder: str | None) -> Conflict:
        return Conflict(SLOT_TAKEN, details={"conflictingSessionId": holder, "reason": "slot_taken"})

    # -- reading ---------------------------------------------------------------
    async def is_booking(self, session: AsyncSession, *, session_id: str) -> bool:
        """Whether `session_id` names a booking (for routes shared with other kinds)."""
        return await booking_repository.kind_of(session, session_id) == SessionKind.BOOKING.value

    async def get(self, session: AsyncSession, principal: Principal, *, session_id: str) -> BookingView:
        """The booking, for its candidate, its mentor or an administrator."""
        return await self._visible(session, principal, session_id)

    async def list_sessions(
        self, session: AsyncSession, principal: Principal, *, status: str | None = None, page: int = 1,
        limit: int = 10, now: datetime | None = None,
    ) -> SessionPage:
        """The caller's sessions of every kind, newest first (`upcoming`:
        soonest first), and the stats of all of them. A user with a mentor
        profile also sees the bookings made with them (`role` mentor)."""
        now = now or utcnow()
        max_limit = runtime.current().settings.sessions_list_max_limit
        if status is not None and status not in LIST_FILTERS:
            raise _invalid(f"status must be one of {', '.join(LIST_FILTERS)}", "status", status)
        if page < 1:
            raise _invalid("page must be 1 or more", "page", page)
        if not 1 <= limit <= max_limit:
            raise _invalid(f"limit must be between 1 and {max_limit}", "limit", limit)
        mentor = await booking_repository.mentor_by_user(session, principal.user_id)
        mentor_id = mentor.id if mentor else None
        rows, total = await booking_repository.list_sessions(
            session, user_id=principal.user_id, mentor_id=mentor_id, status=status, now=now,
            limit=limit, offset=(page - 1) * limit)
        entries = [SessionEntry(row, booking, mentor_row,
                                "candidate" if row.user_id == principal.user_id else "mentor", owner)
                   for row, booking, mentor_row, owner in rows]
        count, completed, upcoming, average, seconds = await booking_repository.stats(
            session, user_id=principal.user_id, mentor_id=mentor_id, now=now)
        stats = SessionStats(total_sessions=count, completed_sessions=completed, upcoming_sessions=upcoming,
                             average_rating=round(average, 2) if average is not None else 0.0,
                             total_hours=round(seconds / 3600, 2))
        return SessionPage(entries, stats, total, page, limit)

    # -- changing ----------------------------------------------------------------
    async def update(self, session: AsyncSession, principal: Principal, *, session_id: str,
                     data: BookingUpdate, now: datetime | None = None) -> BookingView:
        """Move the status and/or rate the booking; all or nothing."""
        now = now or utcnow()
        view = await self._visible(session, principal, session_id)
        if data.status is None and data.rating is None and data.feedback is None:
            if data.cancellation_reason is not None:
                raise _invalid("cancellationReason needs status cancelled", "cancellationReason",
                               data.cancellation_reason)
            raise ValidationFailed("Nothing to update: send status, rating or feedback", field="status")
        if data.status is not None:
            from_ = view.session.status
            await self._move(session, view, data.status, data.cancellation_reason, now)
            await self._audit_admin_move(session, principal, view, from_, data.status,
                                         data.cancellation_reason)
        elif data.cancellation_reason is not None:
            raise _invalid("cancellationReason needs status cancelled", "cancellationReason",
                           data.cancellation_reason)
        if data.rating is not None or data.feedback is not None:
            await self._rate(session, view, data.rating, data.feedback, now)
        return await self._visible(session, principal, session_id)

    async def cancel(self, session: AsyncSession, principal: Principal, *, session_id: str,
                     reason: str | None = None, now: datetime | None = None) -> BookingView:
        """Cancel (DELETE): the record stays for both sides' history; cancelling
        a cancelled booking changes nothing."""
        view = await self._visible(session, principal, session_id)
        if view.session.status != "cancelled":
            from_ = view.session.status
            await self._move(session, view, "cancelled", reason, now or utcnow())
            await self._audit_admin_move(session, principal, view, from_, "cancelled", reason)
        return view

    @staticmethod
    async def _audit_admin_move(session: AsyncSession, principal: Principal, view: BookingView, from_: str,
                                to: str, reason: str | None) -> None:
        """An administrator acting on someone else's booking is an admin write."""
        if view.role == "admin":
            await audit_service.record(session, principal, action=f"booking.{to}", target_type="session",
                                       target_id=view.session.uid,
                                       details={"from": from_, "to": to, "reason": reason})

    async def _move(self, session: AsyncSession, view: BookingView, to: str, reason: str | None,
                    now: datetime) -> None:
        from_ = view.session.status
        if to not in BOOKING_STATUSES:
            raise _invalid(f"status must be one of {', '.join(TARGET_STATUSES)}", "status", to)
        if to in ("confirmed", "completed") and view.role not in ("mentor", "admin"):
            raise Forbidden(f"Only the mentor can mark a booking {to}", field="status")
        if (from_, to) not in MOVES:
            raise _illegal(from_, to)
        if to == "completed" and now < as_utc(view.booking.starts_at):
            raise Conflict("A booking can be completed only after it starts", field="status",
                           details={"field": "status", "from": from_, "to": to,
                                    "scheduledAt": isoformat_z(view.booking.starts_at)})
        values: dict = {"updated_at": now}
        if to == "completed":
            values.update(completed_at=now, duration_seconds=view.booking.duration_minutes * 60)
        if not await booking_repository.transition(session, view.session.id, from_=from_, to=to,
                                                   values=values):
            # Someone else moved it first; report the move as it now stands.
            current = await booking_repository.booking_by_uid(session, view.session.uid)
            raise _illegal(current[0].status if current else from_, to)
        if to == "cancelled":
            await booking_repository.update_details(session, view.session.id, {
                "cancellation_reason": (reason or "").strip() or None, "cancelled_by": view.role})
            await booking_repository.release(session, view.session.id)
            await booking_mail.queue_cancellation(session, session_id=view.session.id)
        elif to == "completed":
            await booking_mail.queue_feedback_request(session, session_id=view.session.id)

    async def _rate(self, session: AsyncSession, view: BookingView, rating: int | None,
                    feedback: str | None, now: datetime) -> None:
        if view.role != "candidate":
            raise Forbidden("Only the candidate can rate a booking", field="rating")
        if rating is None:
            raise _invalid("rating is required with feedback", "rating", None)
        if not 1 <= rating <= 5:
            raise _invalid("Invalid rating: must be 1 to 5", "rating", rating)
        status = view.session.status
        if status != "completed":
            raise Conflict(f"A {status} booking cannot be rated; only completed ones",
                           field="rating", details={"field": "rating", "status": status})
        mentor = await booking_repository.lock_mentor(session, view.mentor.id)
        comment = (feedback or "").strip() or None
        if not await booking_repository.set_rating(session, view.session.id, rating=rating, feedback=comment):
            raise Conflict("This booking has already been rated", field="rating",
                           details={"field": "rating"})
        await booking_repository.add_review(session, Review(
            session_id=view.session.id, mentor_id=mentor.id, user_id=view.session.user_id,
            rating=rating, comment=comment, created_at=now))
        average, count = await booking_repository.review_stats(session, mentor.id)
        mentor.rating, mentor.review_count = average, count
        await session.flush()

    # -- access --------------------------------------------------------------------
    @staticmethod
    async def _visible(session: AsyncSession, principal: Principal, uid: str) -> BookingView:
        found = await booking_repository.booking_by_uid(session, uid)
        if found is None:
            raise NotFound("Session not found")
        row, booking, mentor, candidate_uid = found
        role: Role
        if row.user_id == principal.user_id:
            role = "candidate"
        elif mentor.user_id is not None and mentor.user_id == principal.user_id:
            role = "mentor"
        elif principal.is_admin:
            role = "admin"
        else:
            # Someone else's booking is "not found": ids cannot be probed.
            raise NotFound("Session not found")
        return BookingView(row, booking, mentor, candidate_uid, role)


booking_service = BookingService()
