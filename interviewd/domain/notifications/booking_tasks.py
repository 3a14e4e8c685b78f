"""Job handlers of the booking e-mails queued by `notifications.booking`.

Each handler reads the booking as it is when the job runs and queues one
`send_email` outbox job per recipient, in the transaction that marks its own
job done. So a handler that fails queues nothing (it is retried whole), one
that succeeds queues each mail exactly once, and every mail is then retried
on its own when a mail server is down, without re-sending the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.notifications.booking import (
    CANCELLATION_JOB,
    FEEDBACK_REQUEST_JOB,
    INVITATION_JOB,
    REMINDER_JOB,
    WELCOME_JOB,
)
from interviewd.domain.notifications.calendar import (
    CalendarEvent,
    CalendarPerson,
    booking_uid,
    ics_attachment,
    organizer_from,
)
from interviewd.domain.notifications.repository import BookingMailView, notification_repository
from interviewd.domain.notifications.service import notification_service
from interviewd.kit.clock import as_utc, utcnow
from interviewd.kit.jobs import job_handler
from interviewd.models.user import User, UserStatus

log = structlog.get_logger(__name__)

CANCELLED = "cancelled"
COMPLETED = "completed"
# A booking in one of these will not take place (again): no invitation, no reminder.
_OVER = {CANCELLED, COMPLETED, "no_show", "no-show"}


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    timezone: ZoneInfo
    role: str  # candidate | mentor


def _zone(*names: object) -> ZoneInfo:
    """The first valid IANA zone among `names`; UTC when none is."""
    for name in names:
        if isinstance(name, str) and name.strip():
            try:
                return ZoneInfo(name.strip())
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def _display_name(user: User | None) -> str:
    if user is None:
        return ""
    full = " ".join(p for p in (user.first_name, user.last_name) if p)
    return user.name or full or user.email.split("@")[0]


def _preferred_zone(user: User | None) -> str | None:
    prefs = user.preferences if user is not None and isinstance(user.preferences, dict) else {}
    return prefs.get("timezone")


def recipients(view: BookingMailView) -> list[Recipient]:
    """The candidate (at the booking's participant address when one was given)
    and the mentor's account, when the mentor has one."""
    found: list[Recipient] = []
    candidate_email = view.booking.participant_email or (view.candidate.email if view.candidate else None)
    if candidate_email:
        found.append(Recipient(
            email=candidate_email,
            name=view.booking.participant_name or _display_name(view.candidate) or candidate_email,
            timezone=_zone(_preferred_zone(view.candidate)),
            role="candidate",
        ))
    if view.mentor_user is not None and view.mentor_user.email:
        found.append(Recipient(
            email=view.mentor_user.email,
            name=view.mentor.name or _display_name(view.mentor_user),
            # The mentor's calendar is kept in the mentor profile's zone.
            timezone=_zone(view.mentor.timezone, _preferred_zone(view.mentor_user)),
            role="mentor",
        ))
    return found


def _candidate_name(view: BookingMailView) -> str:
    return view.booking.participant_name or _display_name(view.candidate) or "your candidate"


def meeting_title(view: BookingMailView) -> str:
    kind = view.booking.session_type or "Mock interview"
    return view.session.title or f"{kind} with {view.mentor.name}"


def meeting_link(view: BookingMailView) -> str | None:
    return view.booking.meeting_link or view.room_url


def _when(starts_at: datetime, ends_at: datetime, zone: ZoneInfo) -> dict:
    start, end = as_utc(starts_at).astimezone(zone), as_utc(ends_at).astimezone(zone)
    return {
        "meeting_date": f"{start:%A}, {start.day} {start:%B %Y}",
        "meeting_time": f"{start:%H:%M}–{end:%H:%M}",
        "start_time": f"{start:%H:%M}",
        "timezone": zone.key,
        "timezone_abbr": start.tzname() or zone.key,
        "starts_at_utc": as_utc(starts_at).strftime("%Y-%m-%d %H:%M UTC"),
    }


def mail_context(view: BookingMailView, recipient: Recipient) -> dict:
    """The template data of 000 ("Email Template Data Structure") and the
    few fields the booking mails add to it."""
    booking = view.booking
    link = meeting_link(view)
    return {
        "to_name": recipient.name,
        "role": recipient.role,
        "meeting_title": meeting_title(view),
        **_when(booking.starts_at, booking.ends_at, recipient.timezone),
        "meeting_duration": f"{booking.duration_minutes} minutes",
        "meeting_description": booking.special_requests or "",
        "meeting_link": link or "",
        "meeting_type": booking.meeting_type or "video",
        "session_type": booking.session_type or "",
        "mentor_name": view.mentor.name,
        "mentor_company": view.mentor.current_company or "",
        "candidate_name": _candidate_name(view),
        "counterpart_name": view.mentor.name if recipient.role == "candidate" else _candidate_name(view),
    }


def calendar_sequence(view: BookingMailView, *, cancel: bool) -> int:
    """SEQUENCE without a stored counter: whole seconds from the booking's
    creation to its last change, so every later version of the booking (a new
    time, a cancellation) carries a higher number; +1 on a cancel so that one
    made within the same second still outranks the invitation."""
    elapsed = as_utc(view.session.updated_at) - as_utc(view.session.created_at)
    return max(int(elapsed.total_seconds()), 0) + (1 if cancel else 0)


def calendar_event(view: BookingMailView, people: list[Recipient], *, cancel: bool) -> CalendarEvent:
    settings = runtime.current().settings
    booking = view.booking
    link = meeting_link(view)
    lines = [f"{booking.session_type or 'Mock interview'} with {view.mentor.name}"
             + (f" ({view.mentor.current_company})" if view.mentor.current_company else ""),
             f"Candidate: {_candidate_name(view)}", f"Duration: {booking.duration_minutes} minutes"]
    if link:
        lines.append(f"Join: {link}")
    if booking.special_requests:
        lines.append(f"Notes: {booking.special_requests}")
    if cancel and booking.cancellation_reason:
        lines.append(f"Cancelled: {booking.cancellation_reason}")
    return CalendarEvent(
        uid=booking_uid(view.session.uid),
        sequence=calendar_sequence(view, cancel=cancel),
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        summary=meeting_title(view),
        description="\n".join(lines),
        link=link,
        organizer=organizer_from(settings.email_from),
        attendees=[CalendarPerson(email=p.email, name=p.name) for p in people],
    )


@job_handler(INVITATION_JOB)
async def send_invitation(session: AsyncSession, payload: dict) -> None:
    """Invitation with an .ics (METHOD:REQUEST) to the candidate and the mentor."""
    view = await notification_repository.booking(session, payload["session_id"])
    if view is None or view.session.status in _OVER:
        log.info("booking_mail_skipped", job=INVITATION_JOB, session_id=payload["session_id"])
        return
    people = recipients(view)
    invite = ics_attachment(calendar_event(view, people, cancel=False), method="REQUEST")
    for person in people:
        await notification_service.send_email(
            session, to=person.email, template="booking_invitation",
            context=mail_context(view, person), attachments=[invite],
        )


@job_handler(REMINDER_JOB)
async def send_reminder(session: AsyncSession, payload: dict) -> None:
    """The reminder before the start, unless the booking was cancelled,
    completed or moved since it was scheduled (a move schedules a new one)."""
    view = await notification_repository.booking(session, payload["session_id"])
    if view is None or view.session.status in _OVER:
        log.info("booking_mail_skipped", job=REMINDER_JOB, session_id=payload["session_id"])
        return
    scheduled_for = as_utc(datetime.fromisoformat(payload["starts_at"]))
    if abs(as_utc(view.booking.starts_at) - scheduled_for) >= timedelta(seconds=1):
        log.info("booking_mail_skipped", job=REMINDER_JOB, session_id=payload["session_id"],
                 reason="moved")
        return
    if as_utc(view.booking.starts_at) <= utcnow():
        # A queue that was down past the start: a reminder now would only confuse.
        log.info("booking_mail_skipped", job=REMINDER_JOB, session_id=payload["session_id"],
                 reason="started")
        return
    for person in recipients(view):
        await notification_service.send_email(
            session, to=person.email, template="booking_reminder", context=mail_context(view, person),
        )


@job_handler(CANCELLATION_JOB)
async def send_cancellation(session: AsyncSession, payload: dict) -> None:
    """The cancellation notice, with the reason and an .ics (METHOD:CANCEL,
    same UID, higher SEQUENCE) that removes the event from calendars."""
    view = await notification_repository.booking(session, payload["session_id"])
    if view is None or view.session.status != CANCELLED:
        log.info("booking_mail_skipped", job=CANCELLATION_JOB, session_id=payload["session_id"])
        return
    people = recipients(view)
    cancel = ics_attachment(calendar_event(view, people, cancel=True), method="CANCEL")
    for person in people:
        context = {
            **mail_context(view, person),
            "cancellation_reason": view.booking.cancellation_reason or "",
            "cancelled_by": view.booking.cancelled_by or "",
        }
        await notification_service.send_email(
            session, to=person.email, template="booking_cancellation", context=context,
            attachments=[cancel],
        )


def feedback_url(session_uid: str) -> str:
    settings = runtime.current().settings
    path = settings.booking_feedback_path.replace("{sessionId}", session_uid)
    return settings.public_base_url.rstrip("/") + "/" + path.lstrip("/")


@job_handler(FEEDBACK_REQUEST_JOB)
async def send_feedback_request(session: AsyncSession, payload: dict) -> None:
    """After a completed booking, ask the candidate to rate it (once it is
    rated, there is nothing to ask)."""
    view = await notification_repository.booking(session, payload["session_id"])
    if view is None or view.session.status != COMPLETED or view.booking.rating is not None:
        log.info("booking_mail_skipped", job=FEEDBACK_REQUEST_JOB, session_id=payload["session_id"])
        return
    candidate = next((p for p in recipients(view) if p.role == "candidate"), None)
    if candidate is None:
        return
    context = {**mail_context(view, candidate), "feedback_url": feedback_url(view.session.uid)}
    await notification_service.send_email(
        session, to=candidate.email, template="booking_feedback_request", context=context,
    )


@job_handler(WELCOME_JOB)
async def send_welcome(session: AsyncSession, payload: dict) -> None:
    """The welcome mail of a new profile; none for a removed or disabled account
    or one without a real address."""
    user = await notification_repository.user(session, payload["user_id"])
    # An account made from a provider token without an e-mail claim has a
    # placeholder address under the reserved .invalid domain: nothing to send.
    if user is None or user.status == UserStatus.DISABLED.value or user.email.endswith(".invalid"):
        log.info("booking_mail_skipped", job=WELCOME_JOB, user_id=payload["user_id"])
        return
    await notification_service.send_email(
        session, to=user.email, template="welcome",
        context={"name": _display_name(user), "email": user.email,
                 "pending": user.status == UserStatus.PENDING.value},
    )
