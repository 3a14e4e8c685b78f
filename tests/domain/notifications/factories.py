"""Bookings written straight through the models (the booking routes are not
needed to test their e-mails), the mail jobs queued as the booking service
queues them, and readers for what the SMTP server received."""

from __future__ import annotations

import email.message
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select, update

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.domain.notifications import booking as booking_mail
from interviewd.kit.clock import utcnow
from interviewd.models import Job, JobStatus
from interviewd.models.mentor import BookingDetails, Mentor
from interviewd.models.session import InterviewSession
from interviewd.models.user import User
from tests.conftest import unique_email

# A Monday; 15:00 UTC is 10:00 in New York (EST) and 16:00 in Berlin (CET).
STARTS_AT = datetime(2030, 1, 7, 15, 0, tzinfo=UTC)


@dataclass
class Booking:
    session_id: int
    session_uid: str
    candidate_email: str
    mentor_email: str | None
    starts_at: datetime


async def make_user(*, email: str | None = None, name: str = "Ada Lovelace", role: str = "candidate",
                    timezone: str | None = None, status: str = "active") -> User:
    async with unit_of_work(runtime.current().sessionmaker) as session:
        user = User(email=email or unique_email(role), name=name, role=role, status=status,
                    preferences={"timezone": timezone} if timezone else {})
        session.add(user)
        await session.flush()
        session.expunge(user)
    return user


async def make_booking(
    *, starts_at: datetime = STARTS_AT, duration: int = 60, status: str = "confirmed",
    candidate_timezone: str | None = "America/New_York", mentor_timezone: str = "Europe/Berlin",
    mentor_has_account: bool = True, participant_email: str | None = None,
    participant_name: str | None = None, meeting_link: str | None = "https://meet.jit.si/interviewd-demo",
    special_requests: str | None = "Focus on <caching> & queues",
) -> Booking:
    candidate = await make_user(name="Ada Lovelace", timezone=candidate_timezone)
    mentor_user = await make_user(name="Grace Hopper", role="mentor") if mentor_has_account else None
    async with unit_of_work(runtime.current().sessionmaker) as session:
        mentor = Mentor(name="Grace Hopper", title="Staff Engineer", current_company="Example Corp",
                        timezone=mentor_timezone, user_id=mentor_user.id if mentor_user else None,
                        search_text="grace hopper")
        session.add(mentor)
        await session.flush()
        interview = InterviewSession(kind="booking", user_id=candidate.id, status=status,
                                     scheduled_at=starts_at, details={})
        session.add(interview)
        await session.flush()
        session.add(BookingDetails(
            session_id=interview.id, mentor_id=mentor.id, session_type="System Design",
            starts_at=starts_at, ends_at=starts_at + timedelta(minutes=duration),
            duration_minutes=duration, meeting_type="video", meeting_link=meeting_link,
            special_requests=special_requests, participant_email=participant_email,
            participant_name=participant_name,
        ))
        session_id, session_uid = interview.id, interview.uid
    return Booking(session_id, session_uid, participant_email or candidate.email,
                   mentor_user.email if mentor_user else None, starts_at)


async def change_booking(booking: Booking, *, status: str | None = None, starts_at: datetime | None = None,
                         **details) -> None:
    """Change the booking as the booking service would (the session row is
    updated too, which moves its updated_at)."""
    async with unit_of_work(runtime.current().sessionmaker) as session:
        interview = await session.get(InterviewSession, booking.session_id)
        row = await session.get(BookingDetails, booking.session_id)
        if status is not None:
            interview.status = status
        if starts_at is not None:
            interview.scheduled_at = starts_at
            row.starts_at, row.ends_at = starts_at, starts_at + timedelta(minutes=row.duration_minutes)
        for key, value in details.items():
            setattr(row, key, value)


async def queue(kind: str, booking: Booking | None = None, **kwargs) -> object:
    """Queue one booking mail job in its own transaction, as a request would."""
    async with unit_of_work(runtime.current().sessionmaker) as session:
        func = getattr(booking_mail, f"queue_{kind}")
        if booking is not None:
            kwargs.setdefault("session_id", booking.session_id)
        return await func(session, **kwargs)


async def jobs(name: str | None = None) -> list[Job]:
    async with runtime.current().sessionmaker() as session:
        query = select(Job).order_by(Job.created_at)
        if name is not None:
            query = query.where(Job.name == name)
        return list(await session.scalars(query))


async def make_due(name: str) -> None:
    """Let time pass for scheduled jobs of `name`: they are due now."""
    async with unit_of_work(runtime.current().sessionmaker) as session:
        await session.execute(update(Job).where(Job.name == name, Job.status == JobStatus.PENDING.value)
                              .values(run_at=utcnow() - timedelta(seconds=1)))


def calendar_of(message: email.message.EmailMessage) -> tuple[email.message.EmailMessage, Calendar]:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return part, Calendar.from_ical(part.get_content())


def attendees(event) -> set[str]:
    found = event.get("attendee")
    found = found if isinstance(found, list) else [found]
    return {str(a).removeprefix("mailto:") for a in found}
