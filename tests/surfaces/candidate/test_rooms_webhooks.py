"""POST /api/rooms/webhooks/{provider} (100ms, LiveKit): signatures, and the
room status, participants, duration and recording they drive."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from livekit import api

from interviewd.kit.clock import isoformat_z, utcnow
from tests.adapters.video.hms_server import FakeHms
from tests.adapters.video.payloads import hms_event, hms_request, livekit_event, livekit_request
from tests.domain.room.factories import booking, details_of, person, rooms_of

HMS_KEY = "hms-access-key-123"
HMS_SECRET = "hms-app-secret-that-is-long-enough-0123456789"
HOOK_HEADER = "X-Interviewd-Webhook-Secret"
HOOK_SECRET = "hook-secret-0123456789"
LK_KEY = "APIlivekitkey"
LK_SECRET = "livekit-secret-that-is-long-enough-0123456789"


@pytest.fixture
def fake_hms() -> Iterator[FakeHms]:
    fake = FakeHms(access_key=HMS_KEY, app_secret=HMS_SECRET)
    fake.start()
    yield fake
    fake.stop()


async def hms_setup(make_client, fake: FakeHms, **overrides):
    values = dict(video_backend="hms", hms_access_key=HMS_KEY, hms_app_secret=HMS_SECRET,
                  hms_api_base=fake.base_url, hms_webhook_secret=HOOK_SECRET)
    values.update(overrides)
    client = await make_client(**values)
    candidate = await person(client, name="Alice Candidate")
    mentor = await person(client, name="Maria", role="mentor")
    b = await booking(candidate, mentor, starts_in=timedelta(minutes=-5))
    created = await client.post("/api/rooms", json={"sessionId": b.uid}, headers=candidate.headers)
    assert created.status_code == 201, created.text
    [hms_room_id] = fake.rooms
    return client, candidate, mentor, b, created.json()["roomId"], hms_room_id


async def send_hms(client, event, *, secret: str | None = HOOK_SECRET):
    body, headers = hms_request(event, header=HOOK_HEADER, secret=secret)
    return await client.post("/api/rooms/webhooks/hms", content=body, headers=headers)


@pytest.fixture
def ts():
    """ISO times `minutes` from one fixed moment of the test."""
    base = utcnow().replace(microsecond=0)
    return lambda minutes: isoformat_z(base + timedelta(minutes=minutes))


async def status_of(client, who, room_id: str) -> dict:
    response = await client.get(f"/api/rooms/{room_id}/status", headers=who.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_hms_events_drive_the_room(make_client, fake_hms, ts):
    client, candidate, mentor, b, room_id, hms_id = await hms_setup(make_client, fake_hms)
    where = {"room_id": hms_id, "room_name": room_id}
    assert (await status_of(client, candidate, room_id))["status"] == "not_started"

    opened = hms_event("session.open.success", session_started_at=ts(-4), session_id="s1", **where)
    alice_in = hms_event("peer.join.success", peer_id="p1", user_id=candidate.uid, user_name="Alice",
                         role="guest", joined_at=ts(-4), **where)
    maria_in = hms_event("peer.join.success", peer_id="p2", user_id=mentor.uid, user_name="Maria",
                         role="host", joined_at=ts(-3), **where)
    for event in (opened, alice_in, maria_in):
        response = await send_hms(client, event)
        assert response.status_code == 200, response.text
    status = await status_of(client, mentor, room_id)
    assert status["status"] == "active" and 3 <= status["duration"] <= 5
    assert status["participants"] == [
        {"name": "Alice", "role": "participant", "joinedAt": ts(-4), "isActive": True},
        {"name": "Maria", "role": "mentor", "joinedAt": ts(-3), "isActive": True},
    ]

    # 100ms retries deliveries: the same events again change nothing.
    for event in (opened, alice_in, maria_in):
        assert (await send_hms(client, event)).json()["applied"] == 0
    assert (await status_of(client, mentor, room_id)) == status

    alice_out = hms_event("peer.leave.success", peer_id="p1", user_id=candidate.uid, joined_at=ts(-4),
                          left_at=ts(-2), **where)
    await send_hms(client, alice_out)
    people = (await status_of(client, candidate, room_id))["participants"]
    assert [p["isActive"] for p in people] == [False, True]

    # A rejoin is a new connection of the same person: still one line.
    await send_hms(client, hms_event("peer.join.success", peer_id="p3", user_id=candidate.uid,
                                     user_name="Alice", role="guest", joined_at=ts(-1), **where))
    people = (await status_of(client, candidate, room_id))["participants"]
    assert people[0] == {"name": "Alice", "role": "participant", "joinedAt": ts(-4), "isActive": True}
    assert len(people) == 2

    closed = hms_event("session.close.success", session_id="s1", session_started_at=ts(-4),
                       session_stopped_at=ts(41), **where)
    assert (await send_hms(client, closed)).json()["applied"] == 1
    recorded = hms_event("beam.recording.success", recording_presigned_url="https://rec.example.com/a.mp4",
                         **where)
    await send_hms(client, recorded)
    final = await status_of(client, candidate, room_id)
    assert final["status"] == "ended" and final["duration"] == 45
    assert final["recordingUrl"] == "https://rec.example.com/a.mp4"
    assert not any(p["isActive"] for p in final["participants"])
    [room] = await rooms_of(b.id)
    assert room.ended_at is not None and room.actual_duration == 45
    assert (await details_of(b.id)).recording_url == "https://rec.example.com/a.mp4"

    # A late start of the closed session does not reopen it; a redelivered close changes nothing.
    assert (await send_hms(client, opened)).json()["applied"] == 0
    assert (await send_hms(client, closed)).json()["applied"] == 0
    assert await status_of(client, candidate, room_id) == final
    # A creation request now answers a new room: the old one is over.
    again = await client.post("/api/rooms", json={"sessionId": b.uid}, headers=candidate.headers)
    assert again.status_code == 201 and again.json()["roomId"] != room_id


async def test_a_new_session_after_the_end_reopens_the_room(make_client, fake_hms, ts):
    client, candidate, _, _, room_id, hms_id = await hms_setup(make_client, fake_hms)
    where = {"room_id": hms_id, "room_name": room_id}
    await send_hms(client, hms_event("session.open.success", session_started_at=ts(-4), **where))
    await send_hms(client, hms_event("session.close.success", session_stopped_at=ts(-3), **where))
    assert (await status_of(client, candidate, room_id))["status"] == "ended"
    await send_hms(client, hms_event("session.open.success", session_started_at=ts(-1), **where))
    assert (await status_of(client, candidate, room_id))["status"] == "active"


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", HOOK_SECRET + "x", HOOK_SECRET.upper()])
async def test_hms_webhooks_without_the_secret_are_401_and_change_nothing(make_client, fake_hms, secret, ts):
    client, candidate, _, b, room_id, hms_id = await hms_setup(make_client, fake_hms)
    event = hms_event("session.open.success", room_id=hms_id, room_name=room_id, session_started_at=ts(-1))
    response = await send_hms(client, event, secret=secret)
    assert response.status_code == 401, response.text
    assert response.json()["success"] is False and response.json()["error"]["code"] == "UNAUTHORIZED"
    [room] = await rooms_of(b.id)
    assert (room.status, room.started_at, room.participants) == ("not_started", None, [])


async def test_hms_webhooks_are_refused_while_no_secret_is_configured(make_client, fake_hms):
    client, _, _, b, room_id, hms_id = await hms_setup(make_client, fake_hms, hms_webhook_secret=None)
    event = hms_event("session.open.success", room_id=hms_id, room_name=room_id)
    assert (await send_hms(client, event)).status_code == 404
    assert (await rooms_of(b.id))[0].status == "not_started"


async def test_unknown_rooms_and_events_are_ignored(make_client, fake_hms, ts):
    client, candidate, _, _, room_id, _ = await hms_setup(make_client, fake_hms)
    unknown = hms_event("peer.join.success", room_id="someone-elses", room_name="other", peer_id="p9",
                        user_id="x", joined_at=ts(0))
    response = await send_hms(client, unknown)
    assert response.status_code == 200 and response.json()["applied"] == 0
    assert (await send_hms(client, hms_event("track.add.success", room_id="r"))).status_code == 200
    assert (await status_of(client, candidate, room_id))["participants"] == []


async def test_signed_but_unreadable_body_is_400(make_client, fake_hms):
    client, *_ = await hms_setup(make_client, fake_hms)
    response = await client.post("/api/rooms/webhooks/hms", content=b"{not json",
                                 headers={HOOK_HEADER: HOOK_SECRET})
    assert response.status_code == 400 and response.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_unknown_or_unconfigured_providers_are_404(client):
    for provider in ("zoom", "jitsi", "livekit", "hms"):
        response = await client.post(f"/api/rooms/webhooks/{provider}", content=b"{}")
        assert response.status_code == 404, (provider, response.text)


async def livekit_setup(make_client):
    client = await make_client(video_backend="livekit", livekit_url="wss://video.example.com",
                               livekit_api_key=LK_KEY, livekit_api_secret=LK_SECRET)
    candidate = await person(client, name="Alice Candidate")
    mentor = await person(client, name="Maria", role="mentor")
    b = await booking(candidate, mentor, starts_in=timedelta(minutes=-5))
    return client, candidate, mentor, b


async def send_livekit(client, event, *, key: str = LK_KEY, secret: str = LK_SECRET, tamper: bool = False):
    body, headers = livekit_request(event, key=key, secret=secret)
    if tamper:
        data = json.loads(body)
        data["event"] = "room_finished"
        body = json.dumps(data).encode()
    return await client.post("/api/rooms/webhooks/livekit", content=body, headers=headers)


async def test_livekit_rooms_tokens_and_webhooks(make_client):
    client, candidate, mentor, b = await livekit_setup(make_client)
    created = await client.post("/api/rooms", json={"sessionId": b.uid, "participantName": "Alice"},
                                headers=candidate.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    room_id = body["roomId"]
    assert body["roomUrl"] == f"wss://video.example.com/{room_id}" and body["mentorToken"] is None
    claims = api.TokenVerifier(LK_KEY, LK_SECRET).verify(body["participantToken"])
    assert (claims.identity, claims.name, claims.video.room, claims.video.room_join) == (
        candidate.uid, "Alice", room_id, True)
    mentor_token = (await client.post("/api/rooms", json={"sessionId": b.uid},
                                      headers=mentor.headers)).json()["mentorToken"]
    claims = api.TokenVerifier(LK_KEY, LK_SECRET).verify(mentor_token)
    assert (claims.identity, claims.name, claims.video.room_admin) == (mentor.uid, "Maria Mentor", True)

    started = int(utcnow().timestamp()) - 240
    alice = api.ParticipantInfo(sid="PA_1", identity=candidate.uid, name="Alice", joined_at=started)
    joined = livekit_event("participant_joined", room=room_id, created_at=started, participant=alice)
    for event in (livekit_event("room_started", room=room_id, created_at=started), joined, joined):
        response = await send_livekit(client, event)
        assert response.status_code == 200, response.text
    status = await status_of(client, mentor, room_id)
    assert status["status"] == "active"
    assert [(p["name"], p["role"], p["isActive"]) for p in status["participants"]] == [
        ("Alice", "participant", True)]

    finished = livekit_event("room_finished", room=room_id, created_at=started + 30 * 60)
    await send_livekit(client, finished)
    egress = livekit_event("egress_ended", room=room_id, egress_info=api.EgressInfo(
        room_name=room_id, status=api.EgressStatus.EGRESS_COMPLETE,
        file_results=[api.FileInfo(location="https://rec.example.com/lk.mp4")]))
    await send_livekit(client, egress)
    final = await status_of(client, candidate, room_id)
    assert (final["status"], final["duration"], final["recordingUrl"]) == (
        "ended", 30, "https://rec.example.com/lk.mp4")
    assert final["participants"][0]["isActive"] is False


@pytest.mark.parametrize("how", ["wrong secret", "wrong key", "tampered body", "missing header"])
async def test_livekit_webhooks_with_a_bad_signature_are_401(make_client, how):
    client, candidate, _, b = await livekit_setup(make_client)
    room_id = (await client.post("/api/rooms", json={"sessionId": b.uid},
                                 headers=candidate.headers)).json()["roomId"]
    event = livekit_event("room_started", room=room_id)
    if how == "missing header":
        body, _ = livekit_request(event, key=LK_KEY, secret=LK_SECRET)
        response = await client.post("/api/rooms/webhooks/livekit", content=body,
                                     headers={"Content-Type": "application/webhook+json"})
    else:
        response = await send_livekit(client, event, secret="x" * 40 if how == "wrong secret" else LK_SECRET,
                                      key="APIother" if how == "wrong key" else LK_KEY,
                                      tamper=how == "tampered body")
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "UNAUTHORIZED"
    [room] = await rooms_of(b.id)
    assert (room.status, room.started_at, room.ended_at) == ("not_started", None, None)
