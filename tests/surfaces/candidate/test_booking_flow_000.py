"""Prime Interviews' documented booking flow (000), walked over HTTP as its
frontend does: sign in through the identity provider (RS256 tokens checked
against a JWKS on loopback), create profiles, search mentors, book, receive
the invitation at a real SMTP server on loopback, create the room, complete,
rate."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from tests.conftest import run_due_jobs
from tests.domain.booking.factories import iso, move_to_past, slot
from tests.domain.profile.factories import ISSUER, ClerkUser

pytestmark = pytest.mark.asyncio


def _calendar_of(mail) -> Calendar | None:
    for part in mail.message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    return None


async def _deliver() -> None:
    # A booking job queues one mail job per recipient: two rounds deliver them.
    for _ in range(2):
        await run_due_jobs()


async def test_sign_in_search_book_mail_room_complete_and_rate(make_client, jwks, smtp_sink):
    client = await make_client(external_jwt_issuer=ISSUER, external_jwt_jwks_url=jwks.url,
                               email_backend="smtp", smtp_host=smtp_sink.host, smtp_port=smtp_sink.port)

    mentor_user = ClerkUser(first_name="Grace", last_name="Hopper")
    await mentor_user.create_profile(client, email=mentor_user.claims["email"], firstName="Grace",
                                     lastName="Hopper", role="mentor")
    created = await client.post("/api/mentors", headers=mentor_user.headers, json={
        "name": "Grace Hopper", "title": "Principal Engineer", "currentCompany": "Navy Labs",
        "skills": ["Compilers", "System Design"], "languages": ["English"], "experience": 30,
        "hourlyRate": 150, "timezone": "America/New_York", "bio": "Writes compilers for a living."})
    assert created.status_code == 201, created.text
    mentor_id = created.json()["id"]
    availability = await client.put(f"/api/mentors/{mentor_id}/availability", headers=mentor_user.headers,
                                    json={"timezone": "UTC", "weekly": [
                                        {"weekday": day, "start": "00:00", "end": "24:00"}
                                        for day in range(7)]})
    assert availability.status_code == 200, availability.text

    candidate = ClerkUser(first_name="Ada", last_name="Lovelace")
    profile = await candidate.create_profile(client, email=candidate.claims["email"], firstName="Ada",
                                             lastName="Lovelace", role="candidate",
                                             preferences={"timezone": "Europe/London"})
    assert profile["user"]["userId"] == candidate.sub

    found = await client.get("/api/mentors", params={"search": "compilers", "skills": "System Design",
                                                     "rating_min": 0}, headers=candidate.headers)
    assert found.status_code == 200, found.text
    assert [m["id"] for m in found.json()["mentors"]] == [mentor_id]

    when = slot(days=5, hour=15)
    booked = await client.post("/api/sessions", headers=candidate.headers, json={
        "mentorId": mentor_id, "sessionType": "System Design", "scheduledAt": iso(when), "duration": 60,
        "meetingType": "video", "recordSession": False, "specialRequests": "Distributed caches, please",
        "participantEmail": candidate.claims["email"], "participantName": "Ada Lovelace"})
    assert booked.status_code == 201, booked.text
    assert booked.json()["success"] is True and booked.json()["emailSent"] is True
    session = booked.json()["session"]
    assert (session["mentorId"], session["status"]) == (mentor_id, "pending")
    assert session["scheduledAt"] == iso(when)

    await _deliver()
    # The welcome mail of the first profile, then the invitation with its calendar file.
    mails = await smtp_sink.wait_for(candidate.claims["email"], count=2)
    [invitation] = [m for m in mails if _calendar_of(m) is not None]
    assert "Grace Hopper" in invitation.part("text/plain")
    assert "<html" in invitation.part("text/html").lower()
    event = _calendar_of(invitation).walk("VEVENT")[0]
    assert str(_calendar_of(invitation)["METHOD"]) == "REQUEST"
    assert event.decoded("DTSTART") == when
    assert (await smtp_sink.wait_for(mentor_user.claims["email"]))

    room = await client.post("/api/rooms", headers=candidate.headers, json={
        "sessionId": session["id"], "duration": 60, "participantName": "Ada Lovelace",
        "mentorName": "Grace Hopper", "recordSession": False})
    assert room.status_code == 201, room.text
    assert room.json()["roomUrl"].startswith("https://")
    status = await client.get(f"/api/rooms/{room.json()['roomId']}/status", headers=mentor_user.headers)
    assert status.status_code == 200 and status.json()["status"] == "not_started"

    confirmed = await client.patch(f"/api/sessions/{session['id']}", headers=mentor_user.headers,
                                   json={"status": "confirmed"})
    assert confirmed.status_code == 200, confirmed.text
    await move_to_past(session["id"], hours=24 * 6)
    completed = await client.patch(f"/api/sessions/{session['id']}", headers=mentor_user.headers,
                                   json={"status": "completed"})
    assert completed.status_code == 200, completed.text
    await _deliver()
    mails = await smtp_sink.wait_for(candidate.claims["email"], count=3)
    [feedback_request] = [m for m in mails if m.message["Subject"].startswith("How was your session")]
    assert session["id"] in feedback_request.part("text/plain")
    rated = await client.patch(f"/api/sessions/{session['id']}", headers=candidate.headers,
                               json={"rating": 5, "feedback": "Sharp questions about cache invalidation."})
    assert rated.status_code == 200, rated.text

    page = (await client.get(f"/api/mentors/{mentor_id}")).json()
    assert (page["rating"], page["reviewCount"]) == (5, 1)
    assert page["reviews"][0]["comment"] == "Sharp questions about cache invalidation."
    listed = (await client.get("/api/sessions", headers=candidate.headers)).json()
    assert listed["stats"]["completedSessions"] == 1 and listed["stats"]["averageRating"] == 5
    assert listed["sessions"][0]["rating"] == 5
