"""Mentors, availability rows and booking holds for the mentor tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.domain.mentor.schemas import clock_minutes
from interviewd.domain.mentor.service import search_text
from interviewd.models.mentor import AvailabilityException, AvailabilityRule, BookingHold, Mentor
from interviewd.models.session import InterviewSession

EVERY_DAY = [(d, "09:00", "17:00") for d in range(7)]


async def make_mentor(
    *, tz: str = "UTC", rules=EVERY_DAY, exceptions=(), buffer: int = 0, notice: int = 0,
    user_id: int | None = None, active: bool = True, **fields,
) -> Mentor:
    """A mentor with weekly `rules` [(weekday, "HH:MM", "HH:MM")] and `exceptions`
    [(date, "HH:MM" | None, "HH:MM" | None, available)]."""
    async with unit_of_work(runtime.current().sessionmaker) as session:
        mentor = Mentor(name=fields.pop("name", "Test Mentor"), timezone=tz, buffer_minutes=buffer,
                        min_notice_minutes=notice, user_id=user_id, is_active=active, **fields)
        mentor.search_text = search_text(mentor)
        session.add(mentor)
        await session.flush()
        for weekday, start, end in rules:
            session.add(AvailabilityRule(mentor_id=mentor.id, weekday=weekday,
                                         start_minute=clock_minutes(start), end_minute=clock_minutes(end)))
        for on_date, start, end, available in exceptions:
            session.add(AvailabilityException(
                mentor_id=mentor.id, on_date=on_date, available=available,
                start_minute=clock_minutes(start) if start else None,
                end_minute=clock_minutes(end) if end else None,
            ))
        await session.flush()
    return mentor


async def hold(mentor: Mentor, start: datetime, minutes: int) -> int:
    """A booking of `minutes` at `start` holding the mentor's calendar as the
    booking flow does: its minutes plus the mentor's buffer after it."""
    async with unit_of_work(runtime.current().sessionmaker) as session:
        booking = InterviewSession(kind="booking", status="scheduled", scheduled_at=start)
        session.add(booking)
        await session.flush()
        for i in range(minutes + mentor.buffer_minutes):
            session.add(BookingHold(session_id=booking.id, calendar=f"mentor:{mentor.id}",
                                    minute=start + timedelta(minutes=i)))
        await session.flush()
        return booking.id


def day(value: str) -> date:
    return date.fromisoformat(value)


async def account(client, *, role: str = "mentor", name: str = "Mentor Person") -> dict:
    """A signed-in account of `role`: {email, userId, token, id}."""
    from interviewd.seed import upsert_user
    from tests.conftest import STRONG_PASSWORD, unique_email

    email = unique_email(role)
    async with unit_of_work(runtime.current().sessionmaker) as session:
        user, _ = await upsert_user(session, email=email, password=STRONG_PASSWORD, name=name, role=role)
        user_id = user.id
    response = await client.post("/api/auth/login", json={"email": email, "password": STRONG_PASSWORD})
    assert response.status_code == 200, response.text
    body = response.json()
    return {"email": email, "userId": body["userId"], "token": body["tokens"]["accessToken"], "id": user_id}


async def review(mentor: Mentor, *, user_id: int | None, rating: int, comment: str, when: datetime,
                 public: bool = True, session_type: str = "Mock Interview") -> None:
    """A completed booking with its review, and the mentor's rating refreshed."""
    from interviewd.domain.mentor.service import mentor_service
    from interviewd.models.mentor import BookingDetails, Review

    async with unit_of_work(runtime.current().sessionmaker) as session:
        booking = InterviewSession(kind="booking", status="completed", user_id=user_id, scheduled_at=when)
        session.add(booking)
        await session.flush()
        session.add(BookingDetails(session_id=booking.id, mentor_id=mentor.id, session_type=session_type,
                                   starts_at=when, ends_at=when + timedelta(hours=1), duration_minutes=60))
        session.add(Review(session_id=booking.id, mentor_id=mentor.id, user_id=user_id, rating=rating,
                           comment=comment, is_public=public, created_at=when + timedelta(hours=1)))
        await session.flush()
        await mentor_service.refresh_rating(session, mentor_id=mentor.id)
