"""Real loopback servers the e-mail backends talk to: an SMTP server (aiosmtpd)
and a small HTTP server shaped like Resend's API. Shared by the adapter and
job tests."""

from __future__ import annotations

import asyncio
import email
import email.policy
import inspect
import json
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.support.http import JsonHandler, LoopbackServer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def part(self, content_type: str) -> str:
        body = self.message.get_body(preferencelist=(content_type.split("/")[1],))
        assert body is not None and body.get_content_type() == content_type, content_type
        return body.get_content()


class SmtpSink:
    """An SMTP server on 127.0.0.1 that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[ReceivedMail] = []
        self._lock = threading.Lock()
        self.port = free_port()
        self.host = "127.0.0.1"
        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._running = False

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller.start()
        self._running = True

    def stop(self) -> None:
        if self._running:
            self._running = False
            self._controller.stop()

    def to(self, address: str) -> list[ReceivedMail]:
        with self._lock:
            return [m for m in self.messages if address in m.rcpt_tos]

    async def wait_for(self, address: str, *, count: int = 1, timeout: float = 10.0) -> list[ReceivedMail]:
        """Poll (bounded) until `count` messages for `address` have arrived."""
        await wait_until(lambda: len(self.to(address)) >= count, timeout=timeout)
        return self.to(address)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict


@dataclass
class FakeResend:
    """A Resend-shaped HTTP API: POST /emails answers with an id, or with the
    statuses queued in `script` (one per request) before going back to 200."""

    requests: list[RecordedRequest] = field(default_factory=list)
    script: list[int] = field(default_factory=list)
    _server: LoopbackServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() first"
        return self._server.base_url

    def start(self) -> None:
        fake = self

        class Handler(JsonHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's hook name)
                raw = self.read_body()
                fake.requests.append(RecordedRequest(
                    "POST", self.path, {k.lower(): v for k, v in self.headers.items()},
                    json.loads(raw or b"{}"),
                ))
                if self.path != "/emails":
                    return self.send_json(404, {"name": "not_found", "message": "Not found"})
                status = fake.script.pop(0) if fake.script else 200
                if status >= 400:
                    return self.send_json(status, {"name": "internal_server_error",
                                                   "message": "Something went wrong"})
                self.send_json(200, {"id": f"re_{len(fake.requests)}"})

        self._server = LoopbackServer(Handler)

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()


async def wait_until(
    predicate: Callable[[], bool | Awaitable[bool]], *, timeout: float = 10.0, interval: float = 0.05
) -> bool:
    """Poll `predicate` until it holds or `timeout` passes; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if inspect.isawaitable(result):
            result = await result
        if result or time.monotonic() >= deadline:
            return bool(result)
        await asyncio.sleep(interval)
