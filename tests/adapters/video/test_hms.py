"""The 100ms adapter against a 100ms-shaped API on loopback: the management
token it signs, the room it asks for, the auth tokens it mints, and the
webhooks it accepts or refuses."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from interviewd.adapters.video import EventKind, RoomPeer, VideoProviderError, WebhookSignatureError
from interviewd.adapters.video.hms import HmsVideo
from interviewd.kit.clock import utcnow
from tests.adapters.video.conftest import HMS_ACCESS_KEY, HMS_SECRET
from tests.adapters.video.hms_server import FakeHms
from tests.adapters.video.payloads import hms_event, hms_request

HEADER = "X-Hook-Secret"
HOOK_SECRET = "hook-secret-456"
ALICE = RoomPeer(identity="user-alice", name="Alice")
MARIA = RoomPeer(identity="user-maria", name="Maria")


def backend(fake: FakeHms, **overrides) -> HmsVideo:
    values = dict(access_key=HMS_ACCESS_KEY, app_secret=HMS_SECRET, api_base=fake.base_url,
                  webhook_header=HEADER, webhook_secret=HOOK_SECRET, public_base_url="https://app.example.com")
    values.update(overrides)
    return HmsVideo(**values)


def decode(token: str, secret: str = HMS_SECRET) -> dict:
    return jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "iat", "nbf", "jti"]})


async def test_room_is_created_with_a_valid_management_token(fake_hms):
    expires_at = utcnow() + timedelta(hours=2)
    made = await backend(fake_hms, template_id="tpl-1").create_room(
        "iv-room-one", duration_minutes=45, record=True, participant=ALICE, mentor=MARIA,
        expires_at=expires_at)

    [request] = fake_hms.requests
    assert (request.method, request.path) == ("POST", "/v2/rooms")
    claims = request.claims
    assert claims is not None, "the fake refused the management token"
    assert (claims["access_key"], claims["type"], claims["version"]) == (HMS_ACCESS_KEY, "management", 2)
    assert claims["iat"] <= claims["nbf"] + 1 and claims["exp"] > claims["iat"]
    assert request.body["name"] == "iv-room-one"
    assert request.body["recording_info"] == {"enabled": True}
    assert request.body["template_id"] == "tpl-1"
    assert made.provider_room_id in fake_hms.rooms
    assert made.room_url == "https://app.example.com/rooms/iv-room-one"
    assert made.expires_at == expires_at


async def test_management_tokens_are_unique(fake_hms):
    hms = backend(fake_hms)
    first, second = decode(hms.management_token()), decode(hms.management_token())
    assert first["jti"] != second["jti"]


async def test_auth_tokens_carry_100ms_claims_per_person(fake_hms):
    expires_at = utcnow() + timedelta(hours=2)
    made = await backend(fake_hms).create_room("iv-room-two", duration_minutes=60, record=False,
                                               participant=ALICE, mentor=MARIA, expires_at=expires_at)
    participant, mentor = decode(made.participant_token), decode(made.mentor_token)
    for claims, peer, role in ((participant, ALICE, "guest"), (mentor, MARIA, "host")):
        assert claims["access_key"] == HMS_ACCESS_KEY
        assert claims["room_id"] == made.provider_room_id
        assert claims["user_id"] == peer.identity
        assert claims["role"] == role
        assert (claims["type"], claims["version"]) == ("app", 2)
        assert claims["exp"] == int(expires_at.timestamp())
    assert participant["jti"] != mentor["jti"]
    with pytest.raises(jwt.InvalidSignatureError):
        decode(made.participant_token, secret="another-secret-that-is-long-enough-012345")


async def test_join_tokens_only_for_the_people_asked(fake_hms):
    participant, mentor = backend(fake_hms).join_tokens(
        provider_room_id="r1", name="iv-x", participant=None, mentor=MARIA,
        expires_at=utcnow() + timedelta(hours=1))
    assert participant is None
    assert decode(mentor)["user_id"] == MARIA.identity


async def test_wrong_secret_is_refused_by_100ms(fake_hms):
    hms = backend(fake_hms, app_secret="not-the-app-secret-but-long-enough-0123456789")
    with pytest.raises(VideoProviderError, match="401"):
        await hms.create_room("iv-room-three", duration_minutes=30, record=False, participant=ALICE,
                              mentor=MARIA, expires_at=utcnow() + timedelta(hours=1))
    assert fake_hms.rooms == {}


async def test_server_error_and_unreachable_api_are_provider_errors(fake_hms):
    fake_hms.script = [503]
    with pytest.raises(VideoProviderError, match="503"):
        await backend(fake_hms).create_room("iv-a", duration_minutes=30, record=False, participant=ALICE,
                                            mentor=MARIA, expires_at=utcnow() + timedelta(hours=1))
    gone = backend(fake_hms, api_base="http://127.0.0.1:9/v2", timeout=2.0)
    with pytest.raises(VideoProviderError, match="unreachable"):
        await gone.create_room("iv-b", duration_minutes=30, record=False, participant=ALICE, mentor=MARIA,
                               expires_at=utcnow() + timedelta(hours=1))


def test_webhook_events_are_translated(fake_hms):
    hms = backend(fake_hms)
    events = [
        hms_event("session.open.success", room_id="r1", room_name="iv-a", session_id="s1",
                  session_started_at="2026-03-02T10:00:00.123456789Z"),
        hms_event("peer.join.success", room_id="r1", room_name="iv-a", peer_id="p1", user_id="user-alice",
                  user_name="Alice", role="guest", joined_at="2026-03-02T10:00:01Z"),
        hms_event("peer.leave.success", room_id="r1", room_name="iv-a", peer_id="p1", user_id="user-alice",
                  joined_at="2026-03-02T10:00:01Z", left_at="2026-03-02T10:40:00Z"),
        hms_event("session.close.success", room_id="r1", room_name="iv-a", session_id="s1",
                  session_stopped_at="2026-03-02T10:45:00Z"),
        hms_event("beam.recording.success", room_id="r1", room_name="iv-a",
                  recording_presigned_url="https://storage.example.com/rec.mp4"),
        hms_event("track.add.success", room_id="r1"),
    ]
    parsed = []
    for event in events:
        body, headers = hms_request(event, header=HEADER, secret=HOOK_SECRET)
        parsed += hms.parse_webhook(headers, body)
    kinds = [e.kind for e in parsed]
    assert kinds == [EventKind.ROOM_STARTED, EventKind.PARTICIPANT_JOINED, EventKind.PARTICIPANT_LEFT,
                     EventKind.ROOM_ENDED, EventKind.RECORDING_READY]
    started, joined, left, ended, recording = parsed
    assert started.at.isoformat() == "2026-03-02T10:00:00.123456+00:00"
    assert (joined.provider_room_id, joined.room_name, joined.peer_id, joined.identity, joined.name,
            joined.provider_role) == ("r1", "iv-a", "p1", "user-alice", "Alice", "guest")
    assert left.at.isoformat() == "2026-03-02T10:40:00+00:00"
    assert ended.at.isoformat() == "2026-03-02T10:45:00+00:00"
    assert recording.recording_url == "https://storage.example.com/rec.mp4"


def test_webhook_header_name_is_case_insensitive(fake_hms):
    body, _ = hms_request(hms_event("session.open.success", room_id="r1"), header=HEADER, secret=HOOK_SECRET)
    [event] = backend(fake_hms).parse_webhook({HEADER.lower(): HOOK_SECRET}, body)
    assert event.kind is EventKind.ROOM_STARTED


@pytest.mark.parametrize("secret", [None, "", "hook-secret-45", "hook-secret-4567", "HOOK-SECRET-456"])
def test_webhooks_without_the_right_secret_are_refused(fake_hms, secret):
    body, headers = hms_request(hms_event("session.open.success", room_id="r1"), header=HEADER, secret=secret)
    with pytest.raises(WebhookSignatureError):
        backend(fake_hms).parse_webhook(headers, body)


def test_the_secret_must_come_in_the_configured_header(fake_hms):
    body, headers = hms_request(hms_event("session.open.success", room_id="r1"), header="X-Other",
                                secret=HOOK_SECRET)
    with pytest.raises(WebhookSignatureError):
        backend(fake_hms).parse_webhook(headers, body)
