"""Jitsi Meet: the embedded default. A room is a link with an unguessable
name; meet.jit.si needs no account. A self-hosted Jitsi with token
authentication (prosody `token` auth, HS256) gets a JWT per person when an app
id and secret are configured. Jitsi sends no webhooks: a room's status follows
the booking's schedule."""

from __future__ import annotations

import uuid
from datetime import datetime
from urllib.parse import urlsplit

import jwt

from interviewd.adapters.video.base import JoinOnFirstUse, RoomPeer
from interviewd.kit.clock import utcnow


class JitsiVideo(JoinOnFirstUse):
    name = "jitsi"
    has_webhooks = False

    def __init__(self, *, base_url: str, app_id: str | None = None, app_secret: str | None = None,
                 audience: str = "jitsi", join_url: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.app_id = app_id
        self.app_secret = app_secret
        self.audience = audience
        self.join_url = join_url

    def join_tokens(self, *, provider_room_id: str, name: str, participant: RoomPeer | None,
                    mentor: RoomPeer | None, expires_at: datetime) -> tuple[str | None, str | None]:
        if not (self.app_id and self.app_secret):
            return None, None
        participant_token = self._token(name, participant, moderator=False, expires_at=expires_at) \
            if participant else None
        mentor_token = self._token(name, mentor, moderator=True, expires_at=expires_at) if mentor else None
        return participant_token, mentor_token

    def _token(self, room: str, peer: RoomPeer, *, moderator: bool, expires_at: datetime) -> str:
        """The claims a Jitsi prosody server with token authentication checks:
        iss (app id), aud, sub (the XMPP domain), room, and who the user is."""
        now = utcnow()
        claims = {
            "iss": self.app_id,
            "aud": self.audience,
            "sub": urlsplit(self.base_url).hostname or "*",
            "room": room,
            "iat": now,
            "nbf": now,
            "exp": expires_at,
            "jti": uuid.uuid4().hex,
            "context": {"user": {"id": peer.identity, "name": peer.name,
                                 "moderator": "true" if moderator else "false"}},
            "moderator": moderator,
        }
        return jwt.encode(claims, self.app_secret, algorithm="HS256")
