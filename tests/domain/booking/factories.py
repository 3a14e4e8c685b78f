"""People, mentors and availability for the booking tests, written through
the ORM; bookings are made through HTTP the way a client makes them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.kit import tokens
from interviewd.kit.ids import new_uid
from interviewd.models import InterviewSession, Job
from interviewd.models.mentor import AvailabilityRule, BookingDetails, BookingHold, Mentor
from interviewd.models.user import User
from tests.conftest import bearer, unique_email

ALL_DAY = [(weekday, 0, 1440) for weekday in range(7)]


async def make_user(*, role: str = "candidate", name: str | None = None) -> dict:
    """An active account and a signed access token for it (no password round trip)."""
    async with unit_of_work(runtime.current().sessionmaker) as session:
        address = unique_email(role)
        user = User(email=address, name=name or f"{role.title()} {uuid.uuid4().hex[:4]}",
                    role=role, status="active", profile={}, preferences={})
        session.add(user)
        await session.flush()
        user_id, uid = user.id, user.uid
    settings = runtime.current().settings
    token = tokens.issue(settings.secret_key, sub=uid, typ="access", ttl=settings.access_token_ttl,
                         claims={"role": role, "fam": new_uid(), "ver": 0}).token
    return {"id": user_id, "uid": uid, "email": address, "headers": bearer(token), "role": role}


async def make_mentor(*, rules=ALL_DAY, buffer: int = 0, notice: int = 0, timezone: str = "UTC",
                      active: bool = True, company: str = "Acme") -> dict:
    """A mentor profile owned by a new mentor account, with weekly rules
    (weekday, start minute, end minute) in `timezone`."""
    user = await make_user(role="mentor")
    async with unit_of_work(runtime.current().sessionmaker) as session:
        mentor = Mentor(user_id=user["id"], name="Grace Hopper", title="Staff Engineer",
                        current_company=company, avatar="https://example.com/grace.png",
                        timezone=timezone, buffer_minutes=buffer, min_notice_minutes=notice,
                        is_active=active, previous_companies=[], specialties=[], skills=[], languages=[],
                        search_text="grace hopper")
        session.add(mentor)
        await session.flush()
        for weekday, start, end in rules:
            session.add(AvailabilityRule(mentor_id=mentor.id, weekday=weekday, start_minute=start,
                                         end_minute=end))
        mentor_id, mentor_uid = mentor.id, mentor.uid
    return {"id": mentor_id, "uid": mentor_uid, "user": user}


def slot(days: int = 3, hour: int = 10, minute: int = 0) -> datetime:
    """A whole-minute UTC time `days` ahead."""
    day = datetime.now(UTC).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def booking_body(mentor_uid: str, when: datetime, duration: int = 60, **extra) -> dict:
    return {"mentorId": mentor_uid, "sessionType": "Mock Technical Interview", "scheduledAt": iso(when),
            "duration": duration, "meetingType": "video", "recordSession": False, **extra}


async def book(client: httpx.AsyncClient, user: dict, mentor: dict, when: datetime, duration: int = 60,
               **extra) -> httpx.Response:
    return await client.post("/api/sessions", headers=user["headers"],
                             json=booking_body(mentor["uid"], when, duration, **extra))


async def booked(client: httpx.AsyncClient, user: dict, mentor: dict, when: datetime,
                 duration: int = 60, **extra) -> dict:
    response = await book(client, user, mentor, when, duration, **extra)
    assert response.status_code == 201, response.text
    return response.json()["session"]


async def move_to_past(session_uid: str, *, hours: int = 48) -> None:
    """Shift a booking back in time, as if it had been made earlier for a time
    now past (its holds stay where they were: only completion reads the time)."""
    shift = timedelta(hours=hours)
    async with unit_of_work(runtime.current().sessionmaker) as session:
        row = await session.scalar(select(InterviewSession).where(InterviewSession.uid == session_uid))
        booking = await session.get(BookingDetails, row.id)
        row.scheduled_at = row.scheduled_at - shift
        booking.starts_at, booking.ends_at = booking.starts_at - shift, booking.ends_at - shift


async def holds_of(session_uid: str) -> dict[str, int]:
    """Held minutes of a session, per calendar."""
    async with unit_of_work(runtime.current().sessionmaker) as session:
        rows = await session.execute(
            select(BookingHold.calendar, func.count())
            .join(InterviewSession, InterviewSession.id == BookingHold.session_id)
            .where(InterviewSession.uid == session_uid).group_by(BookingHold.calendar))
        return {calendar: count for calendar, count in rows}


async def jobs_named(name: str) -> list[dict]:
    async with unit_of_work(runtime.current().sessionmaker) as session:
        rows = await session.scalars(select(Job).where(Job.name == name).order_by(Job.id))
        return [{"payload": dict(job.payload), "run_at": job.run_at} for job in rows]


async def mentor_row(mentor_id: int) -> Mentor:
    async with unit_of_work(runtime.current().sessionmaker) as session:
        return await session.get(Mentor, mentor_id)
