"""The LiveKit adapter: tokens checked with livekit-api's own TokenVerifier,
webhooks signed as LiveKit signs them, and every way a signature can be wrong."""

from __future__ import annotations

from datetime import timedelta

import pytest
from livekit import api

from interviewd.adapters.video import EventKind, InvalidWebhook, RoomPeer, WebhookSignatureError
from interviewd.adapters.video.livekit import LiveKitVideo
from interviewd.kit.clock import utcnow
from tests.adapters.video.payloads import livekit_event, livekit_request

KEY = "APIlivekitkey"
SECRET = "livekit-secret-that-is-long-enough-0123456789"
ALICE = RoomPeer(identity="user-alice", name="Alice")
MARIA = RoomPeer(identity="user-maria", name="Maria")


def backend(**overrides) -> LiveKitVideo:
    values = dict(url="wss://video.example.com", api_key=KEY, api_secret=SECRET)
    values.update(overrides)
    return LiveKitVideo(**values)


async def test_tokens_verify_with_livekit_and_grant_only_this_room():
    expires_at = utcnow() + timedelta(hours=2)
    made = await backend().create_room("iv-room", duration_minutes=60, record=False, participant=ALICE,
                                       mentor=MARIA, expires_at=expires_at)
    assert made.room_url == "wss://video.example.com/iv-room"
    assert made.provider_room_id == "iv-room"
    verifier = api.TokenVerifier(KEY, SECRET)
    participant, mentor = verifier.verify(made.participant_token), verifier.verify(made.mentor_token)
    assert (participant.identity, participant.name) == ("user-alice", "Alice")
    assert (mentor.identity, mentor.name) == ("user-maria", "Maria")
    for claims in (participant, mentor):
        assert claims.video.room_join is True
        assert claims.video.room == "iv-room"
    assert not participant.video.room_admin
    assert mentor.video.room_admin is True
    assert '"participant"' in participant.metadata and '"mentor"' in mentor.metadata
    with pytest.raises(Exception, match="Signature"):
        api.TokenVerifier(KEY, "some-other-secret-that-is-long-enough-0123").verify(made.participant_token)


async def test_a_join_url_template_names_the_frontend_page():
    made = await backend(join_url="https://app.example.com/call/{room}").create_room(
        "iv-room", duration_minutes=30, record=False, participant=ALICE, mentor=MARIA,
        expires_at=utcnow() + timedelta(hours=1))
    assert made.room_url == "https://app.example.com/call/iv-room"


def test_signed_webhooks_are_translated():
    lk = backend()
    joined = livekit_event("participant_joined", room="iv-room", participant=api.ParticipantInfo(
        sid="PA_1", identity="user-alice", name="Alice", metadata='{"role": "participant"}',
        joined_at=1_772_445_600))
    egress = livekit_event("egress_ended", room="iv-room", egress_info=api.EgressInfo(
        room_name="iv-room", status=api.EgressStatus.EGRESS_COMPLETE,
        file_results=[api.FileInfo(location="https://storage.example.com/iv-room.mp4")]))
    parsed = []
    for event in (livekit_event("room_started", room="iv-room"), joined,
                  livekit_event("room_finished", room="iv-room"), egress,
                  livekit_event("track_published", room="iv-room")):
        body, headers = livekit_request(event, key=KEY, secret=SECRET)
        parsed += lk.parse_webhook(headers, body)
    assert [e.kind for e in parsed] == [EventKind.ROOM_STARTED, EventKind.PARTICIPANT_JOINED,
                                        EventKind.ROOM_ENDED, EventKind.RECORDING_READY]
    person = parsed[1]
    assert (person.room_name, person.peer_id, person.identity, person.name, person.provider_role) == (
        "iv-room", "PA_1", "user-alice", "Alice", "participant")
    assert person.at.isoformat() == "2026-03-02T10:00:00+00:00"
    assert parsed[3].recording_url == "https://storage.example.com/iv-room.mp4"


def test_a_failed_recording_is_not_a_recording():
    event = livekit_event("egress_ended", room="iv-room", egress_info=api.EgressInfo(
        room_name="iv-room", status=api.EgressStatus.EGRESS_FAILED,
        file_results=[api.FileInfo(location="https://storage.example.com/partial.mp4")]))
    body, headers = livekit_request(event, key=KEY, secret=SECRET)
    assert backend().parse_webhook(headers, body) == []


def test_bearer_prefix_is_accepted():
    body, headers = livekit_request(livekit_event("room_started", room="iv-room"), key=KEY, secret=SECRET)
    [event] = backend().parse_webhook({"authorization": "Bearer " + headers["Authorization"]}, body)
    assert event.kind is EventKind.ROOM_STARTED


def test_webhook_signed_with_another_secret_is_refused():
    body, headers = livekit_request(livekit_event("room_started", room="iv-room"), key=KEY,
                                    secret="wrong-secret-that-is-long-enough-0123456789")
    with pytest.raises(WebhookSignatureError):
        backend().parse_webhook(headers, body)


def test_webhook_from_another_api_key_is_refused():
    event = livekit_event("room_started", room="iv-room")
    body, headers = livekit_request(event, key="APIother", secret=SECRET)
    with pytest.raises(WebhookSignatureError):
        backend().parse_webhook(headers, body)


def test_tampered_body_is_refused():
    body, headers = livekit_request(livekit_event("room_started", room="iv-room"), key=KEY, secret=SECRET)
    tampered = body.replace(b"room_started", b"room_finished")
    assert tampered != body
    with pytest.raises(WebhookSignatureError):
        backend().parse_webhook(headers, tampered)


@pytest.mark.parametrize("headers", [{}, {"Authorization": ""}, {"Authorization": "Bearer "},
                                     {"Authorization": "not-a-jwt"}])
def test_missing_or_garbled_authorization_is_refused(headers):
    body, _ = livekit_request(livekit_event("room_started", room="iv-room"), key=KEY, secret=SECRET)
    with pytest.raises(WebhookSignatureError):
        backend().parse_webhook(headers, body)


def test_expired_signature_is_refused():
    import base64
    import hashlib

    body, _ = livekit_request(livekit_event("room_started", room="iv-room"), key=KEY, secret=SECRET)
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    old = api.AccessToken(KEY, SECRET).with_sha256(digest).with_ttl(timedelta(minutes=-10)).to_jwt()
    with pytest.raises(WebhookSignatureError):
        backend().parse_webhook({"Authorization": old}, body)


def test_signed_garbage_is_invalid_not_unsigned():
    import base64
    import hashlib

    body = b'{"event": 5, "room": "not an object"}'
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    token = api.AccessToken(KEY, SECRET).with_sha256(digest).to_jwt()
    with pytest.raises(InvalidWebhook):
        backend().parse_webhook({"Authorization": token}, body)
