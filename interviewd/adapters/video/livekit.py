"""LiveKit: join tokens minted with livekit-api's AccessToken; rooms are
created by LiveKit itself when the first person joins. Webhooks carry a JWT
in the Authorization header, signed with the API secret, whose `sha256`
claim is the body's hash; livekit-api's WebhookReceiver checks both."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime

from google.protobuf.json_format import ParseError
from livekit import api

from interviewd.adapters.video.base import (
    EventKind,
    InvalidWebhook,
    JoinOnFirstUse,
    RoomEvent,
    RoomPeer,
    WebhookSignatureError,
    header,
)
from interviewd.kit.clock import utcnow

PARTICIPANT = "participant"
MENTOR = "mentor"


class LiveKitVideo(JoinOnFirstUse):
    # LiveKit opens a room on its first join (auto_create), so a booking made
    # far ahead holds nothing at LiveKit until it starts.
    name = "livekit"
    has_webhooks = True

    def __init__(self, *, url: str, api_key: str, api_secret: str, join_url: str | None = None) -> None:
        self.url = self.base_url = url.rstrip("/")
        self.api_key = api_key
        self.api_secret = api_secret
        self.join_url = join_url

    def join_tokens(self, *, provider_room_id: str, name: str, participant: RoomPeer | None,
                    mentor: RoomPeer | None, expires_at: datetime) -> tuple[str | None, str | None]:
        return (self._token(name, participant, PARTICIPANT, expires_at) if participant else None,
                self._token(name, mentor, MENTOR, expires_at) if mentor else None)

    def _token(self, room: str, peer: RoomPeer, role: str, expires_at: datetime) -> str:
        grants = api.VideoGrants(room_join=True, room=room, room_admin=role == MENTOR,
                                 room_record=role == MENTOR)
        return (api.AccessToken(self.api_key, self.api_secret)
                .with_identity(peer.identity).with_name(peer.name)
                .with_metadata(json.dumps({"role": role}))
                .with_grants(grants).with_ttl(expires_at - utcnow()).to_jwt())

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[RoomEvent]:
        token = (header(headers, "Authorization") or "").strip()
        if token.lower().startswith("bearer "):
            token = token[7:].strip()
        if not token:
            raise WebhookSignatureError("missing Authorization header")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WebhookSignatureError("the body does not match its signature") from exc
        receiver = api.WebhookReceiver(api.TokenVerifier(self.api_key, self.api_secret))
        try:
            event = receiver.receive(text, token)
        except ParseError as exc:
            raise InvalidWebhook("the body is not a LiveKit webhook event") from exc
        except Exception as exc:  # a plain Exception for a wrong hash, PyJWT's errors otherwise
            raise WebhookSignatureError(f"invalid webhook signature: {exc}") from exc
        parsed = _event(event)
        return [parsed] if parsed is not None else []


def _event(event: api.WebhookEvent) -> RoomEvent | None:
    at = _seconds(event.created_at)
    room_name = event.room.name or None
    common = {"provider_room_id": room_name, "room_name": room_name, "event_id": event.id or None}
    if event.event == "room_started":
        return RoomEvent(kind=EventKind.ROOM_STARTED, at=_seconds(event.room.creation_time) or at, **common)
    if event.event == "room_finished":
        return RoomEvent(kind=EventKind.ROOM_ENDED, at=at, **common)
    if event.event in ("participant_joined", "participant_left"):
        person = event.participant
        joined = _millis(person.joined_at_ms) or _seconds(person.joined_at)
        joining = event.event == "participant_joined"
        kind = EventKind.PARTICIPANT_JOINED if joining else EventKind.PARTICIPANT_LEFT
        return RoomEvent(kind=kind, at=joined if kind is EventKind.PARTICIPANT_JOINED else at,
                         peer_id=person.sid or None, identity=person.identity or None,
                         name=person.name or None, provider_role=_role(person.metadata),
                         joined_at=joined, **common)
    if event.event == "egress_ended":
        info = event.egress_info
        if info.status != api.EgressStatus.EGRESS_COMPLETE:
            return None
        locations = [f.location for f in info.file_results if f.location]
        if not locations and info.file.location:
            locations = [info.file.location]
        if not locations:
            return None
        name = info.room_name or room_name
        return RoomEvent(kind=EventKind.RECORDING_READY, provider_room_id=name, room_name=name,
                         event_id=event.id or None, at=at, recording_url=locations[0])
    return None


def _role(metadata: str) -> str | None:
    try:
        role = json.loads(metadata).get("role") if metadata else None
    except (ValueError, AttributeError):
        return None
    return role if isinstance(role, str) else None


def _seconds(value: int) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value else None


def _millis(value: int) -> datetime | None:
    return datetime.fromtimestamp(value / 1000, UTC) if value else None
