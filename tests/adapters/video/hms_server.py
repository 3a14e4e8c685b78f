"""A 100ms-shaped REST API on loopback: POST /rooms checks the management
token as 100ms does (HS256 with the app secret, type management, version 2)
and answers a room with an id, or the statuses queued in `script`."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt


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
    port: int = 0
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v2"

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

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's hook name)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                claims = fake.verify(self.headers.get("Authorization"))
                body = json.loads(raw or b"{}")
                headers = {k.lower(): v for k, v in self.headers.items()}
                fake.requests.append(HmsRequest("POST", self.path, headers, body, claims))
                if claims is None:
                    return self._answer(401, {"code": 401, "message": "invalid management token"})
                if self.path != "/v2/rooms":
                    return self._answer(404, {"code": 404, "message": "not found"})
                status = fake.script.pop(0) if fake.script else 200
                if status >= 400:
                    return self._answer(status, {"code": status, "message": "something went wrong"})
                room = {"id": uuid.uuid4().hex[:24], "name": body.get("name"), "enabled": True,
                        "recording_info": body.get("recording_info", {"enabled": False}),
                        "template_id": body.get("template_id") or "default-template",
                        "region": body.get("region") or "in", "created_at": "2026-01-01T00:00:00Z"}
                fake.rooms[room["id"]] = room
                self._answer(200, room)

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
