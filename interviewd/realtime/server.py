"""The Socket.IO server mounted at /socket.io (contract 001), namespace /interview.

A socket authenticates once, when it connects, with an access token in its
`auth` payload, and joins the room `user:<uid>`. Each `metrics:send` is
validated, appended to the practice session's live timeline (throttled) in its
own unit of work, and answered after the commit with `metrics:update` to the
whole room: every socket of that user, on every server process when Redis
carries the fan-out. Protocol: docs/realtime.md.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import socketio
import structlog
from pydantic import ValidationError
from socketio.exceptions import ConnectionRefusedError as SocketRefused

from interviewd import runtime
from interviewd.config import Settings
from interviewd.db import unit_of_work
from interviewd.domain.auth.service import auth_service
from interviewd.domain.practice.live import LiveMetricsSample, LiveUpdate, live_metrics_service
from interviewd.errors import DomainError, ErrorCode, Unauthorized
from interviewd.kit.principal import Principal
from interviewd.realtime.access import bare_token, origin_allowed

log = structlog.get_logger(__name__)

NAMESPACE = "/interview"


def user_room(user_uid: str) -> str:
    return f"user:{user_uid}"


def create_socket_server(settings: Settings) -> socketio.AsyncServer:
    manager = None
    if settings.redis_url:
        manager = socketio.AsyncRedisManager(settings.redis_url, channel=settings.realtime_redis_channel)
    sio = socketio.AsyncServer(
        async_mode="asgi",
        client_manager=manager,
        # The root app's CORS middleware answers for HTTP long-polling; Engine.IO's
        # own CORS headers would duplicate its. Origins of WebSocket upgrades,
        # which CORS does not cover, are checked on connect instead.
        cors_allowed_origins=[],
        max_http_buffer_size=settings.realtime_max_message_bytes,
        logger=False,
        engineio_logger=False,
    )
    InterviewHub(sio, settings).register()
    return sio


def socket_asgi_app(sio: socketio.AsyncServer):
    """The ASGI app to mount at /socket.io: routing is the mount's business."""
    engine = socketio.ASGIApp(sio, socketio_path=None)

    async def app(scope, receive, send) -> None:
        # The mount matched, but a bare ASGI app leaves no route in the scope:
        # give the access log and metrics one label for every Engine.IO request.
        scope["route"] = "socket.io"
        scope["path_params"] = {}
        await engine(scope, receive, send)

    return app


async def start(sio: socketio.AsyncServer) -> None:
    """Start the client manager now rather than on the first connection, so
    that a process subscribes to the Redis channel before any of its sockets
    can expect an event published by another process."""
    if not sio.manager_initialized:
        sio.manager_initialized = True
        sio.manager.initialize()


async def stop(sio: socketio.AsyncServer) -> None:
    listener = getattr(sio.manager, "thread", None)
    if isinstance(listener, asyncio.Task):
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await listener
    redis = getattr(sio.manager, "redis", None)
    if redis is not None:
        with contextlib.suppress(Exception):
            await redis.aclose()
    await sio.shutdown()


def _access_token(auth: Any) -> str | None:
    if not isinstance(auth, dict):
        return None
    return bare_token(auth.get("token") or auth.get("accessToken"))


def _validation_details(exc: ValidationError) -> dict[str, list[str]]:
    details: dict[str, list[str]] = {}
    for err in exc.errors(include_input=False, include_url=False):
        name = ".".join(str(part) for part in err.get("loc", ())) or "payload"
        details.setdefault(name, []).append(err.get("msg", "is invalid"))
    return details


def _error(code: ErrorCode | str, message: str, details: dict | None = None) -> dict:
    return {"code": str(code), "message": message, "details": details or {}}


class InterviewHub:
    """The /interview namespace's handlers."""

    def __init__(self, sio: socketio.AsyncServer, settings: Settings) -> None:
        self.sio = sio
        self.settings = settings

    def register(self) -> None:
        self.sio.on("connect", self.connect, namespace=NAMESPACE)
        self.sio.on("disconnect", self.disconnect, namespace=NAMESPACE)
        self.sio.on("metrics:send", self.metrics_send, namespace=NAMESPACE)

    async def _authenticate(self, token: str) -> Principal:
        async with unit_of_work(runtime.current().sessionmaker) as session:
            return await auth_service.authenticate(session, token)

    async def connect(self, sid: str, environ: dict, auth: Any = None) -> None:
        if not origin_allowed(environ.get("HTTP_ORIGIN"), environ.get("HTTP_HOST"),
                              self.settings.cors_origins):
            raise SocketRefused("Origin not allowed", {"code": str(ErrorCode.FORBIDDEN)})
        token = _access_token(auth)
        if token is None:
            # A bare {userId} (001's example) proves nothing: anyone can type
            # another user's id, and the socket would then receive their metrics.
            raise SocketRefused("Authentication required: pass the access token as auth.token",
                                {"code": str(ErrorCode.UNAUTHORIZED)})
        try:
            principal = await self._authenticate(token)
        except DomainError as exc:
            raise SocketRefused(exc.message, {"code": str(exc.code)}) from None
        except Exception:
            log.exception("realtime_connect_failed")
            raise SocketRefused("Internal server error",
                                {"code": str(ErrorCode.INTERNAL_ERROR)}) from None
        user_uid = principal.user.uid
        await self.sio.save_session(sid, {"token": token, "user_uid": user_uid}, namespace=NAMESPACE)
        await self.sio.enter_room(sid, user_room(user_uid), namespace=NAMESPACE)
        handshake_id = auth.get("socketId") if isinstance(auth, dict) else None
        log.info("realtime_connected", sid=sid, user=user_uid,
                 handshake=handshake_id if isinstance(handshake_id, str) else None)

    async def disconnect(self, sid: str, reason: Any = None) -> None:
        log.debug("realtime_disconnected", sid=sid, reason=str(reason))

    async def _refuse(self, sid: str, body: dict) -> dict:
        await self.sio.emit("metrics:error", body, to=sid, namespace=NAMESPACE)
        return {"ok": False, **body}

    async def metrics_send(self, sid: str, data: Any = None) -> dict:
        """Returns the answer too, for clients that ask for an acknowledgement."""
        try:
            sample = LiveMetricsSample.model_validate(data)
        except ValidationError as exc:
            return await self._refuse(sid, _error(ErrorCode.VALIDATION_ERROR, "Invalid metrics",
                                                  _validation_details(exc)))
        state = await self.sio.get_session(sid, namespace=NAMESPACE)
        try:
            # The token is checked again on every sample: a socket outlives
            # neither its token's expiry nor a sign-out.
            async with unit_of_work(runtime.current().sessionmaker) as session:
                principal = await auth_service.authenticate(session, state["token"])
                update = await live_metrics_service.record_sample(
                    session, principal, sample=sample,
                    min_interval=self.settings.realtime_metrics_min_interval,
                    max_length=self.settings.realtime_timeline_max,
                )
        except Unauthorized as exc:
            answer = await self._refuse(sid, _error(exc.code, exc.message))
            await self.sio.disconnect(sid, namespace=NAMESPACE)
            return answer
        except DomainError as exc:
            details = {**exc.details, **({"field": exc.field} if exc.field else {})}
            return await self._refuse(sid, _error(exc.code, exc.message, details))
        except Exception:
            log.exception("realtime_metrics_failed", sid=sid)
            return await self._refuse(sid, _error(ErrorCode.INTERNAL_ERROR, "Internal server error"))
        body = update_body(update)
        await self.sio.emit("metrics:update", body, room=user_room(update.owner_uid), namespace=NAMESPACE)
        return {"ok": True, **body}


def update_body(update: LiveUpdate) -> dict:
    return {
        "sessionId": update.session_uid,
        "metrics": update.sample,
        "stored": update.stored,
        "timelineLength": update.timeline_length,
    }
