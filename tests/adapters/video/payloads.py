"""Webhook requests as 100ms and LiveKit send them."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid

from google.protobuf.json_format import MessageToJson
from livekit import api


def hms_event(kind: str, *, timestamp: str = "2026-03-02T10:00:05Z", **data) -> dict:
    return {"version": "2.0", "id": str(uuid.uuid4()), "account_id": "acc-1", "app_id": "app-1",
            "timestamp": timestamp, "type": kind, "data": data}


def hms_request(event: dict | list, *, header: str, secret: str | None) -> tuple[bytes, dict]:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[header] = secret
    return json.dumps(event).encode(), headers


def livekit_event(kind: str, *, room: str, created_at: int = 1_772_445_605, **fields) -> api.WebhookEvent:
    return api.WebhookEvent(event=kind, room=api.Room(name=room, sid="RM_" + room[-8:]),
                            id="EV_" + uuid.uuid4().hex[:12], created_at=created_at, **fields)


def livekit_request(event: api.WebhookEvent, *, key: str, secret: str) -> tuple[bytes, dict]:
    """Signed as LiveKit signs: a JWT from the API key whose `sha256` claim is the body's hash."""
    body = MessageToJson(event).encode()
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    token = api.AccessToken(key, secret).with_sha256(digest).to_jwt()
    return body, {"Content-Type": "application/webhook+json", "Authorization": token}
