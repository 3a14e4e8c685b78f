"""A 100ms-shaped REST API on loopback: POST /rooms checks the management
token as 100ms does (HS256 with the app secret, type management, version 2)
and answers a room with an id, or the statuses queued in `script`."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

import jwt

from tests.support.http import JsonHandler, LoopbackServer


@dataclass
class HmsRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict
    claims: dict | None  # the management token's claims, when it verified


@dataclass
class FakeHms:
    access_key: str
    app_secret: str
    requests: list[HmsRequest] = field(default_factory=list)
    rooms: dict[str, dict] = field(default_factory=dict)
    script: list[int] = field(default_factory=list)
    _server: LoopbackServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() first"
        return self._server.base_url + "/v2"

    def verify(self, authorization: str | None) -> dict | None:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme != "Bearer" or not token:
            return None
        try:
            claims = jwt.decode(token, self.app_secret, algorithms=["HS256"],
                                options={"require": ["exp", "iat", "nbf", "jti"]})
        except jwt.InvalidTokenError:
            return None
        if (claims.get("type"), claims.get("version"), claims.get("access_key")) != (
                "management", 2, self.access_key):
            return None
        return claims

    def start(self) -> None:
        fake = self

        class Handler(JsonHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's hook name)
                raw = self.read_body()
                claims = fake.verify(self.headers.get("Authorization"))
                body = json.loads(raw or b"{}")
                headers = {k.lower(): v for k, v in self.headers.items()}
                fake.requests.append(HmsRequest("POST", self.path, headers, body, claims))
                if claims is None:
                    return self.send_json(401, {"code": 401, "message": "invalid management token"})
                if self.path != "/v2/rooms":
                    return self.send_json(404, {"code": 404, "message": "not found"})
                status = fake.script.pop(0) if fake.script else 200
                if status >= 400:
                    return self.send_json(status, {"code": status, "message": "something went wrong"})
                room = {"id": uuid.uuid4().hex[:24], "name": body.get("name"), "enabled": True,
                        "recording_info": body.get("recording_info", {"enabled": False}),
                        "template_id": body.get("template_id") or "default-template",
                        "region": body.get("region") or "in", "created_at": "2026-01-01T00:00:00Z"}
                fake.rooms[room["id"]] = room
                self.send_json(200, room)

        self._server = LoopbackServer(Handler)

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()
