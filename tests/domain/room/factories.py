"""People, bookings and rooms for the room tests, written straight through
the models (the booking routes are not needed to have a booking)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select, update

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.kit.clock import utcnow
from interviewd.models import BookingDetails, InterviewSession, Mentor, User, VideoRoom
from tests.conftest import bearer, register
from tests.domain.auth.factories import admin_token, create_admin


@dataclass(frozen=True)
class Person:
    id: int
    uid: str
    email: str
    headers: dict


async def person(client: httpx.AsyncClient, *, name: str = "Alice Candidate",
                 role: str = "candidate") -> Person:
    registered = await register(client, name=name)
    async with unit_of_work(runtime.current().sessionmaker) as session:
        await session.execute(update(User).where(User.uid == registered["userId"]).values(role=role))
        user_id = await session.scalar(select(User.id).where(User.uid == registered["userId"]))
    return Person(user_id, registered["userId"], registered["email"],
                  bearer(registered["tokens"]["accessToken"]))


async def admin(client: httpx.AsyncClient) -> Person:
    made = await create_admin()
    token = await admin_token(client, made)
    async with runtime.current().sessionmaker() as session:
        uid = await session.scalar(select(User.uid).where(User.id == made["id"]))
    return Person(made["id"], uid, made["email"], bearer(token))


@dataclass(frozen=True)
class Booking:
    uid: str
    id: int
    starts_at: datetime
    ends_at: datetime


async def booking(candidate: Person, mentor: Person | None, *, starts_in: timedelta = timedelta(days=1),
                  minutes: int = 60, status: str = "confirmed", meeting_type: str = "video",
                  record: bool = False, mentor_name: str = "Maria Mentor",
                  participant_name: str | None = "Alice Candidate") -> Booking:
    """A booking of `candidate` with the mentor profile of `mentor` (None: a mentor without an account)."""
    starts_at = (utcnow() + starts_in).replace(microsecond=0)
    ends_at = starts_at + timedelta(minutes=minutes)
    async with unit_of_work(runtime.current().sessionmaker) as session:
        profile = None
        if mentor is not None:
            profile = await session.scalar(select(Mentor).where(Mentor.user_id == mentor.id))
        if profile is None:
            profile = Mentor(user_id=mentor.id if mentor else None, name=mentor_name, title="Staff Engineer")
            session.add(profile)
            await session.flush()
        row = InterviewSession(kind="booking", user_id=candidate.id, status=status, title="Mock interview",
                               scheduled_at=starts_at)
        session.add(row)
        await session.flush()
        session.add(BookingDetails(session_id=row.id, mentor_id=profile.id, session_type="System Design",
                                   starts_at=starts_at, ends_at=ends_at, duration_minutes=minutes,
                                   meeting_type=meeting_type, record_session=record,
                                   participant_name=participant_name, participant_email=candidate.email))
        await session.flush()
        return Booking(row.uid, row.id, starts_at, ends_at)


async def practice_session(candidate: Person) -> str:
    async with unit_of_work(runtime.current().sessionmaker) as session:
        row = InterviewSession(kind="practice", user_id=candidate.id, status="scheduled")
        session.add(row)
        await session.flush()
        return row.uid


async def rooms_of(booking_id: int) -> list[VideoRoom]:
    async with runtime.current().sessionmaker() as session:
        return list(await session.scalars(
            select(VideoRoom).where(VideoRoom.session_id == booking_id).order_by(VideoRoom.id)))


async def details_of(booking_id: int) -> BookingDetails:
    async with runtime.current().sessionmaker() as session:
        return await session.get(BookingDetails, booking_id)


async def set_room(room_id: str, **values) -> None:
    async with unit_of_work(runtime.current().sessionmaker) as session:
        await session.execute(update(VideoRoom).where(VideoRoom.room_id == room_id).values(**values))
