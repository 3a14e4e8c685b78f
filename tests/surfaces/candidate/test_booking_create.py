"""POST /api/sessions with a mentorId (000): validation, availability, the
overlap rules on the mentor's and the candidate's calendars, the buffer, and
GET /api/sessions/{id} of a booking."""

from __future__ import annotations

from datetime import timedelta

import pytest

from interviewd.domain.notifications.booking import INVITATION_JOB, REMINDER_JOB
from tests.domain.booking.factories import (
    book,
    booked,
    booking_body,
    holds_of,
    iso,
    jobs_named,
    make_mentor,
    make_user,
    slot,
)

pytestmark = pytest.mark.asyncio


async def test_booking_answers_000_shape_and_queues_invitation_and_reminder(client):
    mentor = await make_mentor(buffer=10)
    user = await make_user()
    when = slot(days=3, hour=9, minute=30)
    response = await book(client, user, mentor, when, 45, specialRequests="Focus on graphs",
                          meetingLink="https://meet.example.com/abc", participantEmail="me@example.org",
                          participantName="  Ada  ", recordSession=True)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["success"] is True and body["emailSent"] is True
    session = body["session"]
    assert session["id"] and session["kind"] == "booking" and session["role"] == "candidate"
    assert {k: session[k] for k in ("userId", "mentorId", "sessionType", "scheduledAt", "duration",
                                    "meetingType", "meetingLink", "status", "recordSession",
                                    "specialRequests")} == {
        "userId": user["uid"], "mentorId": mentor["uid"], "sessionType": "Mock Technical Interview",
        "scheduledAt": iso(when), "duration": 45, "meetingType": "video",
        "meetingLink": "https://meet.example.com/abc", "status": "pending", "recordSession": True,
        "specialRequests": "Focus on graphs"}
    assert session["createdAt"].endswith("Z") and session["participantName"] == "Ada"
    # 45 minutes on the candidate's calendar; 45 + the 10 minute buffer on the mentor's.
    assert await holds_of(session["id"]) == {f"user:{user['id']}": 45, f"mentor:{mentor['id']}": 55,
                                             f"user:{mentor['user']['id']}": 45}
    invitations = await jobs_named(INVITATION_JOB)
    reminders = await jobs_named(REMINDER_JOB)
    assert len(invitations) == 1 and len(reminders) == 1
    assert reminders[0]["run_at"] == when - timedelta(days=1)


async def test_contract_validation_example(client):
    mentor = await make_mentor()
    user = await make_user()
    response = await book(client, user, mentor, slot(), -30)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["message"] == "Invalid session duration"
    assert error["details"]["field"] == "duration" and error["details"]["value"] == -30


@pytest.mark.parametrize(("change", "field"), [
    ({"duration": 14}, "duration"),
    ({"duration": 241}, "duration"),
    ({"duration": "long"}, "duration"),
    ({"meetingType": "telepathy"}, "meetingType"),
    ({"scheduledAt": "next tuesday"}, "scheduledAt"),
    ({"scheduledAt": "2020-01-01T10:00:00Z"}, "scheduledAt"),
    ({"scheduledAt": "9999-12-31T23:00:00Z"}, "scheduledAt"),
    ({"meetingLink": "javascript:alert(1)"}, "meetingLink"),
    ({"participantEmail": "not-an-address"}, "participantEmail"),
    ({"mentorId": "no-such-mentor"}, "mentorId"),
])
async def test_invalid_requests_name_the_field(client, change, field):
    mentor = await make_mentor()
    user = await make_user()
    body = {**booking_body(mentor["uid"], slot()), **change}
    response = await client.post("/api/sessions", headers=user["headers"], json=body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"]["field"] == field
    assert error["details"]["value"] == change[field]


async def test_scheduled_at_must_be_a_whole_minute(client):
    mentor = await make_mentor()
    user = await make_user()
    body = {**booking_body(mentor["uid"], slot()), "scheduledAt": iso(slot() + timedelta(seconds=30))}
    response = await client.post("/api/sessions", headers=user["headers"], json=body)
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "scheduledAt"


async def test_inactive_mentor_and_own_mentor_profile_are_refused(client):
    inactive = await make_mentor(active=False)
    user = await make_user()
    response = await book(client, user, inactive, slot())
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "field": "mentorId", "value": inactive["uid"], "issue": "Mentor not found or not accepting bookings"}
    mentor = await make_mentor()
    response = await book(client, mentor["user"], mentor, slot())
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "You cannot book a session with yourself"


async def test_unauthenticated_booking_is_401(client):
    mentor = await make_mentor()
    response = await client.post("/api/sessions", json=booking_body(mentor["uid"], slot()))
    assert response.status_code == 401


async def test_time_outside_availability_or_notice_is_refused(client):
    # Mondays to Fridays 09:00-12:00 UTC, two days' notice.
    mentor = await make_mentor(rules=[(d, 9 * 60, 12 * 60) for d in range(5)], notice=2 * 24 * 60)
    user = await make_user()
    weekday = next(slot(days=d, hour=9) for d in range(3, 10) if slot(days=d).weekday() < 5)
    weekend = next(slot(days=d, hour=10) for d in range(3, 10) if slot(days=d).weekday() == 5)
    for when, duration in [(weekday.replace(hour=11, minute=30), 60),  # runs past 12:00
                           (weekday.replace(hour=8, minute=30), 60),  # starts before 09:00
                           (weekend, 30),  # no rule that day
                           (slot(days=1, hour=10), 30)]:  # less than two days ahead
        response = await book(client, user, mentor, when, duration)
        assert response.status_code == 409, (when, response.text)
        error = response.json()["error"]
        assert error["code"] == "CONFLICT"
        assert error["details"]["reason"] == "outside_availability"
        assert error["details"]["field"] == "scheduledAt"
    assert (await book(client, user, mentor, weekday.replace(hour=11), 60)).status_code == 201


async def test_mentor_calendar_refuses_overlap_and_names_the_holder(client):
    mentor = await make_mentor()
    first, second = await make_user(), await make_user()
    held = await booked(client, first, mentor, slot(hour=10), 60)
    for when, duration in [(slot(hour=10), 60), (slot(hour=9, minute=30), 31), (slot(hour=10, minute=59), 15),
                           (slot(hour=9), 180)]:
        response = await book(client, second, mentor, when, duration)
        assert response.status_code == 409, response.text
        error = response.json()["error"]
        assert error["message"] == "Selected time slot is no longer available"
        assert error["details"]["conflictingSessionId"] == held["id"]
    # Touching ends are not an overlap.
    assert (await book(client, second, mentor, slot(hour=9), 60)).status_code == 201
    assert (await book(client, second, mentor, slot(hour=11), 60)).status_code == 201


async def test_candidate_calendar_refuses_two_mentors_at_once(client):
    one, other = await make_mentor(), await make_mentor()
    user = await make_user()
    held = await booked(client, user, one, slot(hour=14), 60)
    response = await book(client, user, other, slot(hour=14, minute=30), 60)
    assert response.status_code == 409
    assert response.json()["error"]["details"]["conflictingSessionId"] == held["id"]
    assert (await book(client, user, other, slot(hour=15), 60)).status_code == 201


async def test_a_mentor_booked_as_a_candidate_is_not_bookable_at_that_time(client):
    # The mentor's own bookings with other mentors and the sessions they give share one calendar.
    busy, other = await make_mentor(), await make_mentor()
    candidate = await make_user()
    own = await booked(client, busy["user"], other, slot(hour=16), 60)
    response = await book(client, candidate, busy, slot(hour=16, minute=30), 30)
    assert response.status_code == 409, response.text
    assert response.json()["error"]["details"]["conflictingSessionId"] == own["id"]
    given = await booked(client, candidate, busy, slot(hour=18), 60)
    response = await book(client, busy["user"], other, slot(hour=18), 60)
    assert response.status_code == 409, response.text
    assert response.json()["error"]["details"]["conflictingSessionId"] == given["id"]


async def test_mentor_buffer_keeps_time_free_after_a_booking_only_for_the_mentor(client):
    mentor = await make_mentor(buffer=15)
    other_mentor = await make_mentor()
    first, second = await make_user(), await make_user()
    held = await booked(client, first, mentor, slot(hour=10), 60)
    response = await book(client, second, mentor, slot(hour=11), 30)
    assert response.status_code == 409
    assert response.json()["error"]["details"]["conflictingSessionId"] == held["id"]
    response = await book(client, second, mentor, slot(hour=11, minute=14), 30)
    assert response.status_code == 409
    assert (await book(client, second, mentor, slot(hour=11, minute=15), 30)).status_code == 201
    # The buffer is the mentor's: the candidate may book someone else right away.
    assert (await book(client, first, other_mentor, slot(hour=11), 30)).status_code == 201
    # A new booking keeps the buffer before the next one too: 09:00-09:50 + 15 reaches 10:05.
    response = await book(client, second, mentor, slot(hour=9), 50)
    assert response.status_code == 409
    assert (await book(client, second, mentor, slot(hour=8, minute=45), 60)).status_code == 201


async def test_get_booking_for_candidate_mentor_admin_but_not_others(client):
    mentor = await make_mentor()
    user, stranger, admin = await make_user(), await make_user(), await make_user(role="admin")
    held = await booked(client, user, mentor, slot(), 30)
    mine = await client.get(f"/api/sessions/{held['id']}", headers=user["headers"])
    assert mine.status_code == 200
    assert mine.json()["session"] == {**held, "role": "candidate"}
    as_mentor = await client.get(f"/api/sessions/{held['id']}", headers=mentor["user"]["headers"])
    assert as_mentor.status_code == 200 and as_mentor.json()["session"]["role"] == "mentor"
    as_admin = await client.get(f"/api/sessions/{held['id']}", headers=admin["headers"])
    assert as_admin.status_code == 200 and as_admin.json()["session"]["role"] == "admin"
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        response = await client.request(method, f"/api/sessions/{held['id']}", headers=stranger["headers"],
                                        json={"status": "cancelled"} if method in ("PUT", "PATCH") else None)
        assert response.status_code == 404, (method, response.text)
        assert held["id"] not in response.text
    unchanged = await client.get(f"/api/sessions/{held['id']}", headers=user["headers"])
    assert unchanged.json()["session"]["status"] == "pending"


async def test_body_without_mentor_id_still_starts_an_ai_session(client):
    user = await make_user()
    response = await client.post("/api/sessions", headers=user["headers"], json={"mode": "behavioral"})
    assert response.status_code == 201, response.text
    assert response.json()["session"]["kind"] == "ai"
    assert "emailSent" not in response.json()
