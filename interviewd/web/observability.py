"""Request ids, JSON access logs and Prometheus metrics, for every surface.

A pure ASGI middleware on the root app: it sees the route template that the
surface matched (FastAPI leaves it in the scope), so metrics are labelled by
`/api/users/{userId}` rather than by every id ever requested.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar

import structlog
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "interviewd_http_requests_total", "HTTP requests answered",
    ["method", "route", "status"], registry=REGISTRY,
)
LATENCY = Histogram(
    "interviewd_http_request_duration_seconds", "Time to answer an HTTP request",
    ["method", "route"], registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def configure_logging(level: str = "INFO") -> None:
    """JSON lines on stdout, for our own logs and for libraries' stdlib logs."""
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                        structlog.processors.format_exc_info,
                        structlog.processors.JSONRenderer()],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    logging.getLogger("huey").setLevel(max(logging.WARNING, root.level))
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(),
        cache_logger_on_first_use=False,
    )


def current_request_id() -> str | None:
    return request_id_var.get()


def route_template(scope: Scope) -> str:
    """`/api/users/{userId}` for `/api/users/42`: the matched path with each
    path parameter's value put back as its name, so it works through mounts
    and included routers alike. Unrouted requests share one label."""
    if scope.get("route") is None:
        return "unmatched"
    path: str = scope.get("path", "")
    params = scope.get("path_params") or {}
    if not params:
        return path
    names = {str(value): name for name, value in params.items()}
    return "/".join(f"{{{names[seg]}}}" if seg in names else seg for seg in path.split("/"))


def metrics_payload() -> tuple[bytes, str]:
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.log = structlog.get_logger("interviewd.access")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        structlog.contextvars.bind_contextvars(request_id=request_id)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            duration = time.perf_counter() - started
            route = route_template(scope)
            method = scope.get("method", "WS")
            if scope["type"] == "http":
                REQUESTS.labels(method, route, str(status)).inc()
                LATENCY.labels(method, route).observe(duration)
            self.log.info(
                "request", method=method, path=scope.get("path"), route=route, status=status,
                duration_ms=round(duration * 1000, 2),
            )
            structlog.contextvars.unbind_contextvars("request_id")
            request_id_var.reset(token)
