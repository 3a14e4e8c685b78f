"""POST /api/rooms and GET /api/rooms/{roomId}/status (000) on the embedded
Jitsi backend and on 100ms: who may create and read a room, idempotent
creation, the booking's meeting link, and status by schedule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import jwt
import pytest

from interviewd.kit.clock import utcnow
from tests.adapters.video.hms_server import FakeHms
from tests.conftest import bearer
from tests.domain.room.factories import admin, booking, details_of, person, practice_session, rooms_of

HMS_KEY = "hms-access-key-123"
HMS_SECRET = "hms-app-secret-that-is-long-enough-0123456789"


@pytest.fixture
def fake_hms() -> Iterator[FakeHms]:
    fake = FakeHms(access_key=HMS_KEY, app_secret=HMS_SECRET)
    fake.start()
    yield fake
    fake.stop()


async def hms_client(make_client, fake: FakeHms, **overrides):
    return await make_client(video_backend="hms", hms_access_key=HMS_KEY, hms_app_secret=HMS_SECRET,
                             hms_api_base=fake.base_url, video_join_url="https://app.example.com/room/{room}",
                             **overrides)


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def room_request(session_uid: str, **extra) -> dict:
    return {"sessionId": session_uid, "duration": 60, "participantName": "Alice",
            "mentorName": "Maria", "recordSession": False, **extra}


async def people(client):
    return await person(client, name="Alice Candidate"), await person(client, name="Maria", role="mentor")


async def test_jitsi_room_is_a_link_and_creating_again_answers_the_same_room(client):
    candidate, mentor = await people(client)
    b = await booking(candidate, mentor)

    first = await client.post("/api/rooms", json=room_request(b.uid), headers=candidate.headers)
    assert first.status_code == 201, first.text
    body = first.json()
    assert set(body) == {"roomId", "roomUrl", "participantToken", "mentorToken", "expiresAt"}
    assert body["roomUrl"] == f"https://meet.jit.si/{body['roomId']}"
    assert body["roomId"].startswith("iv-") and len(body["roomId"]) >= 24
    assert (body["participantToken"], body["mentorToken"]) == (None, None)
    assert body["expiresAt"].endswith("Z")
    assert parse(body["expiresAt"]) == b.ends_at + timedelta(minutes=30)

    again = await client.post("/api/rooms", json=room_request(b.uid), headers=candidate.headers)
    by_mentor = await client.post("/api/rooms", json={"sessionId": b.uid}, headers=mentor.headers)
    assert again.status_code == by_mentor.status_code == 200
    assert again.json()["roomId"] == by_mentor.json()["roomId"] == body["roomId"]
    assert len(await rooms_of(b.id)) == 1
    assert (await details_of(b.id)).meeting_link == body["roomUrl"]


async def test_room_names_are_unguessable(client):
    candidate, mentor = await people(client)
    urls = set()
    for _ in range(3):
        b = await booking(candidate, mentor, starts_in=timedelta(days=len(urls) + 1))
        response = await client.post("/api/rooms", json={"sessionId": b.uid}, headers=candidate.headers)
        urls.add(response.json()["roomUrl"])
    assert len(urls) == 3


async def test_jitsi_status_follows_the_schedule(client):
    candidate, mentor = await people(client)
    later = await booking(candidate, mentor, starts_in=timedelta(days=2))
    now = await booking(candidate, mentor, starts_in=timedelta(minutes=-20), minutes=60)
    over = await booking(candidate, mentor, starts_in=timedelta(minutes=-70), minutes=60)
    seen = {}
    for name, b in (("later", later), ("now", now), ("over", over)):
        created = await client.post("/api/rooms", json={"sessionId": b.uid}, headers=candidate.headers)
        assert created.status_code == 201, created.text
        status = await client.get(f"/api/rooms/{created.json()['roomId']}/status", headers=mentor.headers)
        assert status.status_code == 200, status.text
        seen[name] = status.json()
    assert seen["later"] == {"roomId": seen["later"]["roomId"], "status": "not_started", "participants": [],
                             "recordingUrl": None, "duration": 0}
    assert seen["now"]["status"] == "active" and 19 <= seen["now"]["duration"] <= 21
    assert (seen["over"]["status"], seen["over"]["duration"]) == ("ended", 60)


async def test_only_the_bookings_people_and_admins_may_create_or_read(client):
    candidate, mentor = await people(client)
    stranger = await person(client, name="Eve")
    other_mentor = await person(client, name="Oscar", role="mentor")
    b = await booking(candidate, mentor)

    for outsider in (stranger, other_mentor):
        refused = await client.post("/api/rooms", json=room_request(b.uid), headers=outsider.headers)
        assert refused.status_code == 404
        assert refused.json()["success"] is False and refused.json()["error"]["code"] == "NOT_FOUND"
        assert "roomId" not in refused.text
    assert await rooms_of(b.id) == []

    created = (await client.post("/api/rooms", json=room_request(b.uid), headers=candidate.headers)).json()
    for outsider in (stranger, other_mentor):
        status = await client.get(f"/api/rooms/{created['roomId']}/status", headers=outsider.headers)
        assert status.status_code == 404 and created["roomId"] not in status.text
    boss = await admin(client)
    seen = await client.get(f"/api/rooms/{created['roomId']}/status", headers=boss.headers)
    assert seen.status_code == 200
    again = await client.post("/api/rooms", json=room_request(b.uid), headers=boss.headers)
    assert again.status_code == 200 and again.json()["roomId"] == created["roomId"]
    assert (await client.get("/api/rooms/iv-nosuchroom/status", headers=candidate.headers)).status_code == 404


async def test_sign_in_is_required(client):
    candidate, mentor = await people(client)
    b = await booking(candidate, mentor)
    assert (await client.post("/api/rooms", json=room_request(b.uid))).status_code == 401
    assert (await client.post("/api/rooms", json=room_request(b.uid),
                              headers=bearer("not-a-token"))).status_code == 401
    assert (await client.get("/api/rooms/iv-x/status")).status_code == 401


async def test_sessions_that_are_not_bookings_have_no_room(client):
    candidate, _ = await people(client)
    practice = await practice_session(candidate)
    response = await client.post("/api/rooms", json=room_request(practice), headers=candidate.headers)
    assert response.status_code == 404
    response = await client.post("/api/rooms", json=room_request("no-such-session"),
                                 headers=candidate.headers)
    assert response.status_code == 404


@pytest.mark.parametrize("kwargs, message", [
    ({"status": "cancelled"}, "cancelled"),
    ({"meeting_type": "in-person"}, "in person"),
    ({"starts_in": timedelta(hours=-3)}, "over"),
])
async def test_bookings_that_cannot_meet_by_video_are_409(client, kwargs, message):
    candidate, mentor = await people(client)
    b = await booking(candidate, mentor, **kwargs)
    response = await client.post("/api/rooms", json=room_request(b.uid), headers=candidate.headers)
    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "CONFLICT" and message in response.json()["message"]
    assert await rooms_of(b.id) == []


@pytest.mark.parametrize("body, field", [
    ({"duration": -30}, "duration"),
    ({"duration": 600}, "duration"),
    ({"duration": "long"}, "duration"),
    ({"recordSession": "maybe"}, "recordSession"),
    ({"participantName": "x" * 300}, "participantName"),
])
async def test_bad_input_is_400(client, body, field):
    candidate, mentor = await people(client)
    b = await booking(candidate, mentor)
    response = await client.post("/api/rooms", json={"sessionId": b.uid, **body}, headers=candidate.headers)
    assert response.status_code == 400, response.text
    error = response.json()
    assert error["error"]["code"] == "VALIDATION_ERROR" and field in error["details"]
    missing = await client.post("/api/rooms", json={"duration": 30}, headers=candidate.headers)
    assert missing.status_code == 400 and "sessionId" in missing.json()["details"]
    assert await rooms_of(b.id) == []


async def test_hms_room_gives_each_person_only_their_own_token(make_client, fake_hms):
    client = await hms_client(make_client, fake_hms)
    candidate, mentor = await people(client)
    boss = await admin(client)
    b = await booking(candidate, mentor, record=True)

    created = await client.post("/api/rooms", json=room_request(b.uid, recordSession=None),
                                headers=candidate.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    [request] = fake_hms.requests
    assert request.claims is not None and request.claims["type"] == "management"
    assert request.body["name"] == body["roomId"] and request.body["recording_info"] == {"enabled": True}
    [hms_room_id] = fake_hms.rooms
    assert body["roomUrl"] == f"https://app.example.com/room/{body['roomId']}"
    assert body["mentorToken"] is None
    claims = jwt.decode(body["participantToken"], HMS_SECRET, algorithms=["HS256"])
    assert (claims["room_id"], claims["user_id"], claims["role"], claims["type"]) == (
        hms_room_id, candidate.uid, "guest", "app")
    assert claims["exp"] == int(parse(body["expiresAt"]).timestamp())

    as_mentor = (await client.post("/api/rooms", json={"sessionId": b.uid}, headers=mentor.headers)).json()
    assert as_mentor["roomId"] == body["roomId"] and as_mentor["participantToken"] is None
    claims = jwt.decode(as_mentor["mentorToken"], HMS_SECRET, algorithms=["HS256"])
    assert (claims["room_id"], claims["user_id"], claims["role"]) == (hms_room_id, mentor.uid, "host")

    as_admin = (await client.post("/api/rooms", json={"sessionId": b.uid}, headers=boss.headers)).json()
    assert as_admin["participantToken"] and as_admin["mentorToken"]
    assert len(fake_hms.requests) == 1, "an existing room is not created again at 100ms"
    [room] = await rooms_of(b.id)
    assert (room.provider, room.provider_room_id, room.status) == ("hms", hms_room_id, "not_started")


async def test_hms_failure_is_502_and_leaves_nothing(make_client, fake_hms):
    client = await hms_client(make_client, fake_hms)
    candidate, mentor = await people(client)
    b = await booking(candidate, mentor)
    fake_hms.script = [500]
    response = await client.post("/api/rooms", json=room_request(b.uid), headers=candidate.headers)
    assert response.status_code == 502, response.text
    assert response.json()["success"] is False
    assert await rooms_of(b.id) == [] and (await details_of(b.id)).meeting_link is None
    retried = await client.post("/api/rooms", json=room_request(b.uid), headers=candidate.headers)
    assert retried.status_code == 201


async def test_an_ended_room_is_replaced_by_a_new_one(make_client, fake_hms):
    from tests.domain.room.factories import set_room

    client = await hms_client(make_client, fake_hms)
    candidate, mentor = await people(client)
    b = await booking(candidate, mentor, starts_in=timedelta(minutes=-5))
    first = (await client.post("/api/rooms", json=room_request(b.uid), headers=candidate.headers)).json()
    await set_room(first["roomId"], status="ended", ended_at=utcnow())
    second = await client.post("/api/rooms", json=room_request(b.uid), headers=candidate.headers)
    assert second.status_code == 201 and second.json()["roomId"] != first["roomId"]
    assert (await details_of(b.id)).meeting_link == second.json()["roomUrl"]


async def test_concurrent_creations_make_one_room(make_client, fake_hms):
    import asyncio

    client = await hms_client(make_client, fake_hms)
    candidate, mentor = await people(client)
    b = await booking(candidate, mentor)
    answers = await asyncio.gather(*(
        client.post("/api/rooms", json={"sessionId": b.uid}, headers=who.headers)
        for who in (candidate, mentor, candidate, mentor)
    ))
    assert all(a.status_code in (200, 201) for a in answers), [a.text for a in answers]
    assert len({a.json()["roomId"] for a in answers}) == 1
    [room] = await rooms_of(b.id)
    assert (await details_of(b.id)).meeting_link == room.room_url
