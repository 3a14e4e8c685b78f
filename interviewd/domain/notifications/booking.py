"""The e-mails around a mentor booking (000), queued in the caller's
transaction. Each one is a job carrying only ids: the handler in
`booking_tasks` reads the booking as it is when the job runs, so a reminder
for a booking cancelled in the meantime is not sent."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.kit.clock import utcnow
from interviewd.kit.jobs import enqueue

INVITATION_JOB = "mail.booking_invitation"
REMINDER_JOB = "mail.booking_reminder"
CANCELLATION_JOB = "mail.booking_cancellation"
FEEDBACK_REQUEST_JOB = "mail.booking_feedback_request"
WELCOME_JOB = "mail.welcome"


async def queue_invitation(session: AsyncSession, *, session_id: int) -> None:
    """Invitation with an .ics to the candidate and the mentor."""
    await enqueue(session, INVITATION_JOB, {"session_id": session_id})


async def queue_reminder(session: AsyncSession, *, session_id: int, starts_at: datetime) -> bool:
    """Schedule the reminder BOOKING_REMINDER_LEAD before the start; False
    (nothing queued) when that moment has already passed."""
    lead = timedelta(seconds=runtime.current().settings.booking_reminder_lead)
    run_at = starts_at - lead
    if run_at <= utcnow():
        return False
    await enqueue(session, REMINDER_JOB,
                  {"session_id": session_id, "starts_at": starts_at.isoformat()}, run_at=run_at)
    return True


async def queue_cancellation(session: AsyncSession, *, session_id: int) -> None:
    await enqueue(session, CANCELLATION_JOB, {"session_id": session_id})


async def queue_feedback_request(session: AsyncSession, *, session_id: int) -> None:
    await enqueue(session, FEEDBACK_REQUEST_JOB, {"session_id": session_id})


async def queue_welcome(session: AsyncSession, *, user_id: int) -> None:
    await enqueue(session, WELCOME_JOB, {"user_id": user_id})
