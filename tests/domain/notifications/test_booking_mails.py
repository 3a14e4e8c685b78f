"""The e-mails around a mentor booking, delivered to a real SMTP server on
loopback: invitation with an .ics, cancellation with a cancelling .ics,
feedback request and welcome."""

from __future__ import annotations

import base64
from datetime import timedelta

from icalendar import Calendar

from interviewd.domain.notifications.booking import (
    CANCELLATION_JOB,
    FEEDBACK_REQUEST_JOB,
    INVITATION_JOB,
    WELCOME_JOB,
)
from interviewd.domain.notifications.calendar import booking_uid
from interviewd.kit.clock import utcnow
from tests.adapters.servers import FakeResend
from tests.conftest import run_due_jobs
from tests.domain.notifications.factories import (
    STARTS_AT,
    attendees,
    calendar_of,
    change_booking,
    jobs,
    make_booking,
    make_user,
    queue,
)

ORGANIZER = "no-reply@interviewd.test"


async def _deliver() -> None:
    """Run the booking job, then the send_email jobs it queued."""
    first = await run_due_jobs()
    assert first and set(first) == {"done"}, first
    second = await run_due_jobs()
    assert set(second) <= {"done"}, second


async def test_invitation_reaches_candidate_and_mentor_with_a_calendar_invite(mail_client, smtp_sink):
    booking = await make_booking()
    await queue("invitation", booking)
    assert [j.name for j in await jobs()] == [INVITATION_JOB]

    await _deliver()
    [to_candidate] = smtp_sink.to(booking.candidate_email)
    [to_mentor] = smtp_sink.to(booking.mentor_email)

    # The candidate reads the time in their own zone (New York), the mentor in theirs (Berlin).
    message = to_candidate.message
    assert message["Subject"] == (
        "Booked: System Design with Grace Hopper on Monday, 7 January 2030 at 10:00 EST")
    text, html = to_candidate.part("text/plain"), to_candidate.part("text/html")
    assert "Hello Ada Lovelace" in text
    assert "10:00–11:00 EST (America/New_York time)" in text
    assert "Duration: 60 minutes" in text and "Grace Hopper, Example Corp" in text
    assert "Join the call: https://meet.jit.si/interviewd-demo" in text
    assert "Focus on <caching> & queues" in text  # text is not HTML-escaped...
    assert "Focus on &lt;caching&gt; &amp; queues" in html  # ...the HTML is
    assert '<a href="https://meet.jit.si/interviewd-demo"' in html
    assert "10:00–11:00 EST (America/New_York time)" in html

    mentor_text = to_mentor.part("text/plain")
    assert "Hello Grace Hopper" in mentor_text and "Ada Lovelace booked a session with you" in mentor_text
    assert "16:00–17:00 CET (Europe/Berlin time)" in mentor_text

    for mail in (to_candidate, to_mentor):
        part, cal = calendar_of(mail.message)
        assert part.get_param("method") == "REQUEST" and part.get_filename() == "invite.ics"
        assert cal["method"] == "REQUEST"
        [event] = cal.walk("VEVENT")
        assert str(event["uid"]) == booking_uid(booking.session_uid)
        assert event.decoded("dtstart") == STARTS_AT
        assert event.decoded("dtstart").utcoffset() == timedelta(0)
        assert event.decoded("dtend") == STARTS_AT + timedelta(minutes=60)
        assert event.to_ical().decode().count("DTSTART:20300107T150000Z") == 1
        assert attendees(event) == {booking.candidate_email, booking.mentor_email}
        assert str(event["organizer"]) == f"mailto:{ORGANIZER}"
        assert str(event["summary"]) == "System Design with Grace Hopper"
        assert str(event["location"]) == str(event["url"]) == "https://meet.jit.si/interviewd-demo"
        assert str(event["status"]) == "CONFIRMED"
        assert int(event["sequence"]) >= 0


async def test_participant_address_and_no_mentor_account(mail_client, smtp_sink):
    booking = await make_booking(participant_email="someone.else@example.org", participant_name="Sam Else",
                                 mentor_has_account=False, candidate_timezone=None)
    await queue("invitation", booking)
    await _deliver()
    # Only the participant address: the account's own address gets nothing, and
    # a mentor without an account has no address to write to.
    assert [m.rcpt_tos for m in smtp_sink.messages] == [["someone.else@example.org"]]
    [mail] = smtp_sink.messages
    text = mail.part("text/plain")
    assert "Hello Sam Else" in text and "15:00–16:00 UTC (UTC time)" in text
    _, cal = calendar_of(mail.message)
    assert attendees(cal.walk("VEVENT")[0]) == {"someone.else@example.org"}


async def test_invitation_for_a_booking_cancelled_before_the_job_ran_is_not_sent(mail_client, smtp_sink):
    booking = await make_booking()
    await queue("invitation", booking)
    await change_booking(booking, status="cancelled")
    assert await run_due_jobs() == ["done"]
    assert await jobs("send_email") == []
    assert smtp_sink.messages == []


async def test_cancellation_tells_both_sides_and_cancels_the_calendar_event(mail_client, smtp_sink):
    booking = await make_booking()
    await queue("invitation", booking)
    await _deliver()
    _, invite = calendar_of(smtp_sink.to(booking.candidate_email)[0].message)
    invite_sequence = int(invite.walk("VEVENT")[0]["sequence"])

    await change_booking(booking, status="cancelled", cancellation_reason="Mentor is ill",
                         cancelled_by="mentor")
    await queue("cancellation", booking)
    assert [j.name for j in await jobs() if j.status == "pending"] == [CANCELLATION_JOB]
    await _deliver()

    _, to_candidate = smtp_sink.to(booking.candidate_email)
    _, to_mentor = smtp_sink.to(booking.mentor_email)
    assert to_candidate.message["Subject"] == (
        "Cancelled: System Design with Grace Hopper on Monday, 7 January 2030")
    candidate_text = to_candidate.part("text/plain")
    assert "was cancelled by the mentor" in candidate_text and "Reason: Mentor is ill" in candidate_text
    assert "10:00 EST (America/New_York time)" in candidate_text
    mentor_text = to_mentor.part("text/plain")
    assert "was cancelled at your request" in mentor_text and "Reason: Mentor is ill" in mentor_text
    assert "Mentor is ill" in to_mentor.part("text/html")

    for mail in (to_candidate, to_mentor):
        part, cal = calendar_of(mail.message)
        assert part.get_param("method") == "CANCEL"
        assert cal["method"] == "CANCEL"
        [event] = cal.walk("VEVENT")
        assert str(event["uid"]) == booking_uid(booking.session_uid)
        assert int(event["sequence"]) > invite_sequence
        assert str(event["status"]) == "CANCELLED"
        assert event.decoded("dtstart") == STARTS_AT
        assert attendees(event) == {booking.candidate_email, booking.mentor_email}


async def test_cancellation_job_for_a_booking_that_is_not_cancelled_sends_nothing(mail_client, smtp_sink):
    booking = await make_booking()
    await queue("cancellation", booking)
    assert await run_due_jobs() == ["done"]
    assert await jobs("send_email") == [] and smtp_sink.messages == []


async def test_feedback_request_after_completion_links_to_the_rating_page(mail_client, smtp_sink):
    booking = await make_booking(starts_at=utcnow() - timedelta(hours=2))
    await change_booking(booking, status="completed")
    await queue("feedback_request", booking)
    assert [j.name for j in await jobs()] == [FEEDBACK_REQUEST_JOB]
    await _deliver()

    assert smtp_sink.to(booking.mentor_email) == []
    [mail] = smtp_sink.to(booking.candidate_email)
    assert mail.message["Subject"] == "How was your session with Grace Hopper?"
    url = f"https://app.example.test/sessions/{booking.session_uid}/feedback"
    assert url in mail.part("text/plain")
    assert f'href="{url}"' in mail.part("text/html")


async def test_no_feedback_request_for_a_rated_or_unfinished_booking(mail_client, smtp_sink):
    rated = await make_booking(starts_at=utcnow() - timedelta(hours=2))
    await change_booking(rated, status="completed", rating=5)
    unfinished = await make_booking()
    await queue("feedback_request", rated)
    await queue("feedback_request", unfinished)
    assert await run_due_jobs() == ["done", "done"]
    assert await jobs("send_email") == [] and smtp_sink.messages == []


async def test_welcome_job_mails_the_new_profile(mail_client, smtp_sink):
    user = await make_user(name="Linus Example")
    await queue("welcome", user_id=user.id)
    assert [j.name for j in await jobs()] == [WELCOME_JOB]
    await _deliver()
    [mail] = smtp_sink.to(user.email)
    assert mail.message["Subject"] == "Welcome to interviewd, Linus Example"
    assert "https://app.example.test" in mail.part("text/plain")

    disabled = await make_user(status="disabled")
    await queue("welcome", user_id=disabled.id)
    assert await run_due_jobs() == ["done"]
    assert smtp_sink.to(disabled.email) == []

    # A provider account without an e-mail claim has a placeholder address: no mail, no send job.
    placeholder = await make_user(email="0123456789abcdef@external.invalid")
    await queue("welcome", user_id=placeholder.id)
    assert await run_due_jobs() == ["done"]
    assert [j for j in await jobs("send_email") if j.status == "pending"] == []


async def test_a_mail_server_outage_retries_the_mail_not_the_booking_job(make_client, smtp_sink):
    await make_client(email_backend="smtp", smtp_host=smtp_sink.host, smtp_port=smtp_sink.port,
                      smtp_timeout=2.0)
    smtp_sink.stop()
    booking = await make_booking()
    await queue("invitation", booking)
    assert await run_due_jobs() == ["done"]
    assert await run_due_jobs() == ["retry", "retry"]
    [invitation] = await jobs(INVITATION_JOB)
    assert invitation.attempts == 1 and invitation.status == "done"
    mails = await jobs("send_email")
    assert len(mails) == 2 and all(m.status == "pending" and m.attempts == 1 for m in mails)


async def test_the_resend_backend_carries_the_calendar_invite(make_client):
    fake = FakeResend()
    fake.start()
    try:
        await make_client(email_backend="resend", resend_api_key="re_test", resend_base_url=fake.base_url)
        booking = await make_booking()
        await queue("invitation", booking)
        await _deliver()
        sent = {tuple(r.body["to"]): r.body for r in fake.requests}
        assert set(sent) == {(booking.candidate_email,), (booking.mentor_email,)}
        body = sent[(booking.candidate_email,)]
        assert "10:00–11:00 EST (America/New_York time)" in body["text"] and body["html"]
        [attachment] = body["attachments"]
        assert attachment["filename"] == "invite.ics"
        assert attachment["content_type"].startswith("text/calendar")
        cal = Calendar.from_ical(base64.b64decode(attachment["content"]))
        assert cal["method"] == "REQUEST"
        assert cal.walk("VEVENT")[0].decoded("dtstart") == STARTS_AT
    finally:
        fake.stop()
