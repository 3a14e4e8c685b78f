"""100ms (HMS): rooms through its REST API, per-person auth tokens, and
webhooks authenticated by a secret header configured on the webhook.

Both token kinds are HS256 JWTs signed with the app secret, with the claims
100ms documents: a management token (`type: management`) authorises REST
calls; an auth token (`type: app`, with room_id, user_id and role) lets one
person join one room."""

from __future__ import annotations

import hmac
import json
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta

import httpx
import jwt

from interviewd.adapters.video.base import (
    CreatedRoom,
    EventKind,
    InvalidWebhook,
    RoomEvent,
    RoomPeer,
    VideoBackend,
    VideoProviderError,
    WebhookSignatureError,
    WebhooksNotSupported,
    header,
    parse_time,
)
from interviewd.kit.clock import utcnow

MANAGEMENT_TOKEN_TTL = timedelta(minutes=10)

# 100ms event types, in the port's words. Recording events of every kind
# (browser "beam", SFU, HLS, stream) carry the file's address.
_EVENT_KINDS = {
    "session.open.success": EventKind.ROOM_STARTED,
    "session.close.success": EventKind.ROOM_ENDED,
    "room.end.success": EventKind.ROOM_ENDED,
    "peer.join.success": EventKind.PARTICIPANT_JOINED,
    "peer.leave.success": EventKind.PARTICIPANT_LEFT,
    "beam.recording.success": EventKind.RECORDING_READY,
    "recording.success": EventKind.RECORDING_READY,
    "hls.recording.success": EventKind.RECORDING_READY,
    "stream.recording.success": EventKind.RECORDING_READY,
}


class HmsVideo(VideoBackend):
    name = "hms"
    has_webhooks = True

    def __init__(self, *, access_key: str, app_secret: str, api_base: str = "https://api.100ms.live/v2",
                 template_id: str | None = None, region: str | None = None,
                 participant_role: str = "guest", mentor_role: str = "host",
                 webhook_header: str = "X-Interviewd-Webhook-Secret", webhook_secret: str | None = None,
                 join_url: str | None = None, public_base_url: str = "", timeout: float = 10.0) -> None:
        self.access_key = access_key
        self.app_secret = app_secret
        self.api_base = api_base.rstrip("/")
        self.template_id = template_id
        self.region = region
        self.participant_role = participant_role
        self.mentor_role = mentor_role
        self.webhook_header = webhook_header
        self.webhook_secret = webhook_secret
        self.join_url = join_url
        self.public_base_url = public_base_url.rstrip("/")
        self.timeout = timeout

    def management_token(self) -> str:
        now = utcnow()
        claims = {"access_key": self.access_key, "type": "management", "version": 2,
                  "jti": str(uuid.uuid4()), "iat": now, "nbf": now, "exp": now + MANAGEMENT_TOKEN_TTL}
        return jwt.encode(claims, self.app_secret, algorithm="HS256")

    def auth_token(self, *, room_id: str, peer: RoomPeer, role: str, expires_at: datetime) -> str:
        now = utcnow()
        claims = {"access_key": self.access_key, "room_id": room_id, "user_id": peer.identity, "role": role,
                  "type": "app", "version": 2, "jti": str(uuid.uuid4()), "iat": now, "nbf": now,
                  "exp": expires_at}
        return jwt.encode(claims, self.app_secret, algorithm="HS256")

    def room_url(self, name: str) -> str:
        # 100ms has no per-room public page without room codes; the frontend
        # joins with the token, so the link names the frontend's page.
        template = self.join_url or f"{self.public_base_url}/rooms/{{room}}"
        return template.replace("{room}", name)

    async def create_room(self, name: str, *, duration_minutes: int, record: bool, participant: RoomPeer,
                          mentor: RoomPeer, expires_at: datetime) -> CreatedRoom:
        body: dict = {"name": name, "description": f"interviewd booking room ({duration_minutes} minutes)",
                      "recording_info": {"enabled": record}}
        if self.template_id:
            body["template_id"] = self.template_id
        if self.region:
            body["region"] = self.region
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.post(f"{self.api_base}/rooms", json=body,
                                             headers={"Authorization": f"Bearer {self.management_token()}"})
        except httpx.HTTPError as exc:
            raise VideoProviderError(f"100ms unreachable: {exc}") from exc
        if response.status_code >= 400:
            raise VideoProviderError(f"100ms answered {response.status_code}: {response.text[:200]}")
        try:
            room_id = response.json()["id"]
        except (ValueError, KeyError, TypeError) as exc:
            raise VideoProviderError("100ms answered without a room id") from exc
        if not isinstance(room_id, str) or not room_id:
            raise VideoProviderError("100ms answered without a room id")
        participant_token, mentor_token = self.join_tokens(provider_room_id=room_id, name=name,
                                                           participant=participant, mentor=mentor,
                                                           expires_at=expires_at)
        return CreatedRoom(provider_room_id=room_id, room_url=self.room_url(name),
                           participant_token=participant_token, mentor_token=mentor_token,
                           expires_at=expires_at)

    def join_tokens(self, *, provider_room_id: str, name: str, participant: RoomPeer | None,
                    mentor: RoomPeer | None, expires_at: datetime) -> tuple[str | None, str | None]:
        return (
            self.auth_token(room_id=provider_room_id, peer=participant, role=self.participant_role,
                            expires_at=expires_at) if participant else None,
            self.auth_token(room_id=provider_room_id, peer=mentor, role=self.mentor_role,
                            expires_at=expires_at) if mentor else None,
        )

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[RoomEvent]:
        if not self.webhook_secret:
            raise WebhooksNotSupported("100ms webhooks need INTERVIEWD_HMS_WEBHOOK_SECRET")
        presented = header(headers, self.webhook_header)
        if presented is None or not hmac.compare_digest(presented.encode(), self.webhook_secret.encode()):
            raise WebhookSignatureError(f"missing or wrong {self.webhook_header} header")
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise InvalidWebhook("the body is not JSON") from exc
        items = payload if isinstance(payload, list) else [payload]
        if not all(isinstance(item, dict) for item in items):
            raise InvalidWebhook("an event must be a JSON object")
        return [event for item in items if (event := self._event(item)) is not None]

    def _event(self, item: dict) -> RoomEvent | None:
        kind = _EVENT_KINDS.get(item.get("type"))
        data = item.get("data")
        if kind is None or not isinstance(data, dict):
            return None
        at = parse_time(item.get("timestamp"))
        if kind is EventKind.ROOM_STARTED:
            at = parse_time(data.get("session_started_at")) or at
        elif kind is EventKind.ROOM_ENDED:
            at = parse_time(data.get("session_stopped_at")) or parse_time(data.get("ended_at")) or at
        elif kind is EventKind.PARTICIPANT_JOINED:
            at = parse_time(data.get("joined_at")) or at
        elif kind is EventKind.PARTICIPANT_LEFT:
            at = parse_time(data.get("left_at")) or at
        url = None
        if kind is EventKind.RECORDING_READY:
            url = next((data[key] for key in ("recording_presigned_url", "location", "recording_path",
                                              "asset_url") if isinstance(data.get(key), str) and data[key]),
                       None)
            if url is None:
                return None
        return RoomEvent(
            kind=kind, provider_room_id=_text(data.get("room_id")), room_name=_text(data.get("room_name")),
            at=at, event_id=_text(item.get("id")), peer_id=_text(data.get("peer_id")),
            identity=_text(data.get("user_id")), name=_text(data.get("user_name")),
            provider_role=_text(data.get("role")), joined_at=parse_time(data.get("joined_at")),
            recording_url=url,
        )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
