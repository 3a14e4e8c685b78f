"""Rate limiting on the `limits` library, shared across processes through the
cache port's storage (Redis when configured).

Each surface gives a rule function: for a request it names the limit that
applies and the identity it is counted against (the signed-in user, or the
client address for sign-in routes and anonymous callers).
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_in: int  # seconds until the window frees capacity

    def headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"ratelimit-limit", str(self.limit).encode()),
            (b"ratelimit-remaining", str(self.remaining).encode()),
            (b"ratelimit-reset", str(self.reset_in).encode()),
        ]


class RateLimiter:
    def __init__(self, storage_uri: str) -> None:
        options = {"implementation": "redispy"} if storage_uri.startswith("async+redis") else {}
        self.storage = storage_from_string(storage_uri, **options)
        self.strategy = SlidingWindowCounterRateLimiter(self.storage)
        self._parsed: dict[str, RateLimitItem] = {}

    async def hit(self, limit: str, *identity: str) -> Decision:
        item = self._parsed.get(limit) or self._parsed.setdefault(limit, parse(limit))
        allowed = await self.strategy.hit(item, *identity)
        stats = await self.strategy.get_window_stats(item, *identity)
        reset_in = max(1, math.ceil(stats.reset_time - time.time()))
        return Decision(allowed, item.amount, max(stats.remaining, 0), reset_in)


@dataclass(frozen=True)
class Rule:
    name: str
    limit: str
    identity: str


RuleFor = Callable[[Request], Awaitable[Rule | None]]
Rejection = Callable[[Request, Decision], Response]


class RateLimitMiddleware:
    def __init__(
        self, app: ASGIApp, *, limiter: Callable[[], RateLimiter | None], rule_for: RuleFor,
        reject: Rejection,
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.rule_for = rule_for
        self.reject = reject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limiter = self.limiter() if scope["type"] == "http" else None
        if limiter is None or scope.get("method") == "OPTIONS":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        rule = await self.rule_for(request)
        if rule is None:
            await self.app(scope, receive, send)
            return
        decision = await limiter.hit(rule.limit, rule.name, rule.identity)
        if not decision.allowed:
            response = self.reject(request, decision)
            response.headers["Retry-After"] = str(decision.reset_in)
            for key, value in decision.headers():
                response.headers[key.decode()] = value.decode()
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *decision.headers()]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
