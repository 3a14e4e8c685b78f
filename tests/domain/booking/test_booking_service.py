"""booking_service called directly: the hold rows and how they are written,
time boundaries of completion, and the reminder for a booking made late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.domain.booking.repository import minutes
from interviewd.domain.booking.schemas import BookingCreate, BookingUpdate
from interviewd.domain.booking.service import booking_service
from interviewd.domain.notifications.booking import INVITATION_JOB, REMINDER_JOB
from interviewd.errors import Conflict
from interviewd.kit.principal import Principal
from interviewd.models.user import User
from tests.domain.booking.factories import jobs_named, make_mentor, make_user, slot


def test_minutes_are_whole_sorted_and_unique():
    start = datetime(2030, 1, 1, 10, 0, tzinfo=UTC)
    spans = [("user:7", start, start + timedelta(minutes=3)),
             ("mentor:10", start + timedelta(minutes=1), start + timedelta(minutes=3)),
             ("mentor:10", start, start + timedelta(minutes=2))]
    assert minutes(spans) == [
        ("mentor:10", start), ("mentor:10", start + timedelta(minutes=1)),
        ("mentor:10", start + timedelta(minutes=2)),
        ("user:7", start), ("user:7", start + timedelta(minutes=1)), ("user:7", start + timedelta(minutes=2))]


async def _principal(session, user: dict) -> Principal:
    return Principal(user=await session.scalar(select(User).where(User.id == user["id"])))


async def test_holds_are_written_in_one_statement(client):
    mentor = await make_mentor(buffer=30)
    user = await make_user()
    statements: list[tuple[str, bool]] = []

    def record(_conn, _cursor, statement, _params, _context, executemany):
        if "booking_holds" in statement and statement.lstrip().upper().startswith("INSERT"):
            statements.append((statement, executemany))

    engine = runtime.current().engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        async with unit_of_work(runtime.current().sessionmaker) as session:
            view = await booking_service.create(session, await _principal(session, user), data=BookingCreate(
                mentorId=mentor["uid"], scheduledAt=slot(days=4), duration=240, meetingType="audio"))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert view.session.status == "pending" and view.booking.duration_minutes == 240
    # 240 + 30 minutes on the mentor's calendar and 240 on the candidate's, one statement.
    assert len(statements) == 1


async def test_completion_is_allowed_from_the_start_minute(client):
    mentor = await make_mentor()
    user = await make_user()
    when = slot(days=2)
    async with unit_of_work(runtime.current().sessionmaker) as session:
        view = await booking_service.create(session, await _principal(session, user), data=BookingCreate(
            mentorId=mentor["uid"], scheduledAt=when, duration=30))
        sid = view.session.uid
    async with unit_of_work(runtime.current().sessionmaker) as session:
        mentor_principal = await _principal(session, mentor["user"])
        await booking_service.update(session, mentor_principal, session_id=sid,
                                     data=BookingUpdate(status="confirmed"))
    with pytest.raises(Conflict):
        async with unit_of_work(runtime.current().sessionmaker) as session:
            await booking_service.update(session, await _principal(session, mentor["user"]), session_id=sid,
                                         data=BookingUpdate(status="completed"),
                                         now=when - timedelta(seconds=1))
    async with unit_of_work(runtime.current().sessionmaker) as session:
        done = await booking_service.update(session, await _principal(session, mentor["user"]),
                                            session_id=sid, data=BookingUpdate(status="completed"), now=when)
        assert done.session.status == "completed" and done.session.duration_seconds == 30 * 60


async def test_a_booking_inside_the_reminder_lead_gets_no_reminder(client):
    mentor = await make_mentor()
    user = await make_user()
    soon = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
    async with unit_of_work(runtime.current().sessionmaker) as session:
        view = await booking_service.create(session, await _principal(session, user), data=BookingCreate(
            mentorId=mentor["uid"], scheduledAt=soon, duration=30))
    assert view.email_sent is True
    assert len(await jobs_named(INVITATION_JOB)) == 1
    assert await jobs_named(REMINDER_JOB) == []
