"""The Jitsi adapter (the embedded default) and the port's factory."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from interviewd.adapters.video import (
    JitsiVideo,
    ProviderNotConfigured,
    RoomPeer,
    WebhooksNotSupported,
    create_video_backend,
)
from interviewd.adapters.video.hms import HmsVideo
from interviewd.adapters.video.livekit import LiveKitVideo
from interviewd.kit.clock import utcnow

ALICE = RoomPeer(identity="user-alice", name="Alice")
MARIA = RoomPeer(identity="user-maria", name="Maria")


async def test_a_room_is_a_link_without_tokens():
    expires_at = utcnow() + timedelta(hours=1)
    made = await JitsiVideo(base_url="https://meet.jit.si/").create_room(
        "iv-abc", duration_minutes=60, record=False, participant=ALICE, mentor=MARIA, expires_at=expires_at)
    assert made.room_url == "https://meet.jit.si/iv-abc"
    assert (made.participant_token, made.mentor_token) == (None, None)
    assert made.expires_at == expires_at


async def test_a_jitsi_app_gets_a_jwt_per_person():
    secret = "jitsi-secret-that-is-long-enough-0123456789"
    jitsi = JitsiVideo(base_url="https://meet.example.com", app_id="interviewd", app_secret=secret)
    made = await jitsi.create_room("iv-abc", duration_minutes=60, record=False, participant=ALICE,
                                   mentor=MARIA, expires_at=utcnow() + timedelta(hours=1))
    participant = jwt.decode(made.participant_token, secret, algorithms=["HS256"], audience="jitsi")
    mentor = jwt.decode(made.mentor_token, secret, algorithms=["HS256"], audience="jitsi")
    assert (participant["iss"], participant["sub"], participant["room"]) == ("interviewd", "meet.example.com",
                                                                             "iv-abc")
    assert participant["context"]["user"] == {"id": "user-alice", "name": "Alice", "moderator": "false"}
    assert mentor["context"]["user"]["moderator"] == "true"


def test_jitsi_has_no_webhooks():
    with pytest.raises(WebhooksNotSupported):
        JitsiVideo(base_url="https://meet.jit.si").parse_webhook({}, b"{}")


def test_factory_picks_by_name(make_settings):
    assert isinstance(create_video_backend(make_settings()), JitsiVideo)
    settings = make_settings(video_backend="hms", hms_access_key="k", hms_app_secret="s",
                             livekit_url="wss://x", livekit_api_key="k", livekit_api_secret="s")
    assert isinstance(create_video_backend(settings), HmsVideo)
    assert isinstance(create_video_backend(settings, "livekit"), LiveKitVideo)
    with pytest.raises(ProviderNotConfigured):
        create_video_backend(make_settings(), "hms")
    with pytest.raises(ProviderNotConfigured):
        create_video_backend(make_settings(), "zoom")


def test_a_provider_without_credentials_is_a_configuration_error(make_settings):
    with pytest.raises(ValueError, match="HMS_ACCESS_KEY"):
        make_settings(video_backend="hms")
    with pytest.raises(ValueError, match="LIVEKIT_URL"):
        make_settings(video_backend="livekit", livekit_api_key="k", livekit_api_secret="s")
