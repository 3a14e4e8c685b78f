"""Reminders: scheduled BOOKING_REMINDER_LEAD before the start, and sent only
for a booking that still takes place at the time they were scheduled for."""

from __future__ import annotations

from datetime import timedelta

from interviewd.domain.notifications.booking import REMINDER_JOB
from interviewd.kit.clock import as_utc, utcnow
from tests.conftest import run_due_jobs
from tests.domain.notifications.factories import (
    STARTS_AT,
    change_booking,
    jobs,
    make_booking,
    make_due,
    queue,
)


async def test_reminder_is_scheduled_a_day_before_and_reaches_both_sides(mail_client, smtp_sink):
    booking = await make_booking()
    assert await queue("reminder", booking, starts_at=booking.starts_at) is True
    [job] = await jobs(REMINDER_JOB)
    assert as_utc(job.run_at) == STARTS_AT - timedelta(hours=24)

    # Not due yet: the runner leaves it alone.
    assert await run_due_jobs() == ["skipped"]
    assert smtp_sink.messages == []

    await make_due(REMINDER_JOB)
    assert await run_due_jobs() == ["done"]
    assert await run_due_jobs() == ["done", "done"]
    [to_candidate] = smtp_sink.to(booking.candidate_email)
    [to_mentor] = smtp_sink.to(booking.mentor_email)
    assert to_candidate.message["Subject"] == (
        "Reminder: System Design with Grace Hopper on Monday, 7 January 2030 at 10:00 EST")
    text = to_candidate.part("text/plain")
    assert "your session with Grace Hopper starts on Monday, 7 January 2030 at 10:00 EST" in text
    assert "(America/New_York time)" in text and "https://meet.jit.si/interviewd-demo" in text
    assert "https://meet.jit.si/interviewd-demo" in to_candidate.part("text/html")
    assert "your session with Ada Lovelace starts on Monday, 7 January 2030 at 16:00 CET" in (
        to_mentor.part("text/plain"))
    # A reminder carries no calendar part: the invitation already did.
    assert not [p for p in to_candidate.message.walk() if p.get_content_type() == "text/calendar"]


async def test_a_cancelled_booking_gets_no_reminder(mail_client, smtp_sink):
    booking = await make_booking()
    await queue("reminder", booking, starts_at=booking.starts_at)
    await change_booking(booking, status="cancelled", cancellation_reason="Changed my mind")
    await make_due(REMINDER_JOB)
    assert await run_due_jobs() == ["done"]
    assert await jobs("send_email") == []
    assert smtp_sink.messages == []


async def test_a_moved_booking_gets_only_the_reminder_for_its_new_time(mail_client, smtp_sink):
    booking = await make_booking()
    await queue("reminder", booking, starts_at=booking.starts_at)
    new_start = STARTS_AT + timedelta(days=2)
    await change_booking(booking, starts_at=new_start)
    await queue("reminder", booking, starts_at=new_start)

    await make_due(REMINDER_JOB)
    assert await run_due_jobs() == ["done", "done"]  # the stale one runs and sends nothing
    assert await run_due_jobs() == ["done", "done"]
    [mail] = smtp_sink.to(booking.candidate_email)
    assert "Wednesday, 9 January 2030 at 10:00 EST" in mail.part("text/plain")
    assert len(smtp_sink.to(booking.mentor_email)) == 1


async def test_a_booking_less_than_a_day_away_gets_no_reminder(mail_client, smtp_sink):
    soon = utcnow() + timedelta(hours=3)
    booking = await make_booking(starts_at=soon)
    assert await queue("reminder", booking, starts_at=soon) is False
    assert await jobs() == []
    assert await run_due_jobs() == []
    assert smtp_sink.messages == []


async def test_a_completed_booking_gets_no_reminder(mail_client, smtp_sink):
    booking = await make_booking()
    await queue("reminder", booking, starts_at=booking.starts_at)
    await change_booking(booking, status="completed")
    await make_due(REMINDER_JOB)
    assert await run_due_jobs() == ["done"]
    assert await jobs("send_email") == [] and smtp_sink.messages == []
