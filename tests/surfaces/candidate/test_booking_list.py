"""GET /api/sessions (000's shape): every kind of the caller's sessions,
the stats, the status filters and paging, and a mentor's view."""

from __future__ import annotations

import pytest

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.kit.clock import utcnow
from interviewd.models import InterviewSession
from tests.domain.booking.factories import booked, make_mentor, make_user, move_to_past, slot

pytestmark = pytest.mark.asyncio

BOOKING_KEYS = {"id", "kind", "role", "userId", "mentorId", "mentorName", "mentorAvatar", "mentorCompany",
                "sessionType", "scheduledAt", "duration", "meetingType", "meetingLink", "status", "rating",
                "feedback", "recordingUrl"}
STATS_KEYS = {"totalSessions", "completedSessions", "upcomingSessions", "averageRating", "totalHours"}


async def _other_kind(user: dict, kind: str, status: str, seconds: int | None) -> str:
    async with unit_of_work(runtime.current().sessionmaker) as session:
        row = InterviewSession(kind=kind, user_id=user["id"], status=status, title=f"A {kind} session",
                               duration_seconds=seconds, details={}, started_at=utcnow())
        session.add(row)
        await session.flush()
        return row.uid


async def _world(client) -> dict:
    mentor, other_mentor = await make_mentor(), await make_mentor()
    user, stranger = await make_user(), await make_user()

    async def patch(who, sid, **body):
        response = await client.patch(f"/api/sessions/{sid}", headers=who["headers"], json=body)
        assert response.status_code == 200, response.text

    pending = await booked(client, user, mentor, slot(days=3), 60)
    confirmed = await booked(client, user, mentor, slot(days=4), 30)
    await patch(mentor["user"], confirmed["id"], status="confirmed")
    completed = await booked(client, user, mentor, slot(days=5), 60)
    await patch(mentor["user"], completed["id"], status="confirmed")
    await move_to_past(completed["id"], hours=24 * 6)
    await patch(mentor["user"], completed["id"], status="completed")
    await patch(user, completed["id"], rating=4, feedback="Useful")
    cancelled = await booked(client, user, mentor, slot(days=6), 45)
    await patch(user, cancelled["id"], status="cancelled")
    ai = await client.post("/api/sessions", headers=user["headers"], json={"mode": "technical"})
    assert ai.status_code == 201, ai.text
    practice = await _other_kind(user, "practice", "completed", 1800)
    oneway = await _other_kind(user, "oneway", "completed", 600)
    # Not the user's: a stranger's booking, and the mentor's own booking as a candidate.
    await booked(client, stranger, other_mentor, slot(days=3), 60)
    mentors_own = await booked(client, mentor["user"], other_mentor, slot(days=9), 30)
    return {"mentor": mentor, "user": user, "stranger": stranger, "pending": pending["id"],
            "confirmed": confirmed["id"], "completed": completed["id"], "cancelled": cancelled["id"],
            "ai": ai.json()["session"]["sessionId"], "practice": practice, "oneway": oneway,
            "mentors_own": mentors_own["id"]}


async def _list(client, who: dict, **params) -> dict:
    response = await client.get("/api/sessions", headers=who["headers"], params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_every_kind_with_000_fields_and_stats(client):
    w = await _world(client)
    body = await _list(client, w["user"], limit=50)
    items = {item["id"]: item for item in body["sessions"]}
    assert set(items) == {w[k] for k in ("pending", "confirmed", "completed", "cancelled", "ai", "practice",
                                         "oneway")}
    assert {items[w[k]]["kind"] for k in ("pending", "ai", "practice", "oneway")} == {
        "booking", "ai", "practice", "oneway"}
    for item in body["sessions"]:
        assert set(item) >= BOOKING_KEYS, item
        assert item["role"] == "candidate"
    done = items[w["completed"]]
    assert (done["status"], done["rating"], done["feedback"], done["duration"]) == (
        "completed", 4, "Useful", 60)
    assert done["mentorName"] == "Grace Hopper" and done["mentorCompany"] == "Acme"
    practice = items[w["practice"]]
    assert practice["mentorId"] is None and practice["mentorName"] is None and practice["meetingType"] is None
    assert practice["duration"] == 30 and practice["scheduledAt"].endswith("Z")
    assert set(body["stats"]) == STATS_KEYS
    # Completed: the booking (60 min), the practice (30) and the one-way session (10).
    assert body["stats"] == {"totalSessions": 7, "completedSessions": 3, "upcomingSessions": 2,
                             "averageRating": 4.0, "totalHours": 1.67}
    assert body["pagination"] == {"page": 1, "limit": 50, "total": 7, "totalPages": 1}


async def test_status_filters(client):
    w = await _world(client)
    user = w["user"]

    async def ids(status):
        return [item["id"] for item in (await _list(client, user, status=status, limit=50))["sessions"]]

    assert await ids("upcoming") == [w["pending"], w["confirmed"]]  # soonest first
    assert set(await ids("past")) == {w["completed"], w["cancelled"], w["ai"], w["practice"], w["oneway"]}
    assert set(await ids("completed")) == {w["completed"], w["practice"], w["oneway"]}
    assert await ids("cancelled") == [w["cancelled"]]
    assert set(await ids("pending")) == {w["pending"], w["ai"]}
    assert await ids("confirmed") == [w["confirmed"]]
    # Stats cover all the caller's sessions whatever the filter.
    assert (await _list(client, user, status="cancelled"))["stats"]["totalSessions"] == 7


async def test_paging_and_invalid_parameters(client):
    w = await _world(client)
    pages = [await _list(client, w["user"], limit=3, page=page) for page in (1, 2, 3)]
    seen = [item["id"] for page in pages for item in page["sessions"]]
    assert [len(page["sessions"]) for page in pages] == [3, 3, 1]
    assert len(set(seen)) == 7
    assert pages[0]["pagination"] == {"page": 1, "limit": 3, "total": 7, "totalPages": 3}
    assert (await _list(client, w["user"], limit=3, page=4))["sessions"] == []
    for params, field in [({"page": 0}, "page"), ({"limit": 0}, "limit"), ({"limit": 101}, "limit"),
                          ({"status": "soon"}, "status"), ({"page": "two"}, "page")]:
        response = await client.get("/api/sessions", headers=w["user"]["headers"], params=params)
        assert response.status_code == 400, (params, response.text)
        assert response.json()["error"]["code"] == "VALIDATION_ERROR"
        assert response.json()["error"]["details"]["field"] == field


async def test_mentor_sees_bookings_made_with_them_beside_their_own(client):
    w = await _world(client)
    body = await _list(client, w["mentor"]["user"], limit=50)
    roles = {item["id"]: item["role"] for item in body["sessions"]}
    assert roles == {w["pending"]: "mentor", w["confirmed"]: "mentor", w["completed"]: "mentor",
                     w["cancelled"]: "mentor", w["mentors_own"]: "candidate"}
    item = next(i for i in body["sessions"] if i["id"] == w["pending"])
    assert item["userId"] == w["user"]["uid"] and item["candidateName"]
    assert body["stats"] == {"totalSessions": 5, "completedSessions": 1, "upcomingSessions": 3,
                             "averageRating": 4.0, "totalHours": 1.0}


async def test_other_users_see_nothing_of_it(client):
    w = await _world(client)
    stranger = await _list(client, w["stranger"])
    assert {item["kind"] for item in stranger["sessions"]} == {"booking"}
    assert len(stranger["sessions"]) == 1
    newcomer = await _list(client, await make_user())
    assert newcomer["sessions"] == []
    assert newcomer["stats"] == {"totalSessions": 0, "completedSessions": 0, "upcomingSessions": 0,
                                 "averageRating": 0.0, "totalHours": 0.0}
    assert (await client.get("/api/sessions")).status_code == 401
