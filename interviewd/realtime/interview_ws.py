"""The plain WebSocket of contract 003: WS /v1/interviews/{sessionId}.

A socket follows one AI session of its owner. The session code announces
question_presented, answer_evaluated and session_completed after commit, and
typing_indicator while an answer is evaluated (interviewd.domain.interview.events);
the hub publishes each event through Redis when REDIS_URL is set, so that every
server process delivers it to its own sockets of that session, whichever
process handled the action. Protocol and close codes: docs/websocket.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import defaultdict

import redis.asyncio as aioredis
import structlog
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from interviewd import runtime
from interviewd.config import Settings
from interviewd.db import unit_of_work
from interviewd.domain.auth.service import auth_service
from interviewd.domain.interview import events
from interviewd.domain.interview.repository import ai_session_repository
from interviewd.errors import DomainError
from interviewd.kit.clock import as_utc, utcnow
from interviewd.kit.principal import Principal
from interviewd.realtime.access import bare_token, origin_allowed

log = structlog.get_logger(__name__)

PATH = "/v1/interviews/{sessionId}"

# Close codes (4000-4999 are the application's own).
CLOSE_UNAUTHORIZED = 4401  # no token, a bad, expired or revoked one, or auth timed out
CLOSE_FORBIDDEN = 4403  # the page's Origin may not use this API
CLOSE_NOT_FOUND = 4404  # no AI session with this id belongs to the token's user
CLOSE_INTERNAL = 1011

# A socket that cannot take an event within this many seconds is dropped
# rather than holding up the others.
SEND_TIMEOUT = 5.0
STARTUP_SUBSCRIBE_TIMEOUT = 3.0  # seconds to wait for Redis at start before serving anyway


class Connection:
    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        # Events arrive from the hub while the socket's own loop answers pings.
        self.lock = asyncio.Lock()

    async def send(self, message: dict | str) -> None:
        text = message if isinstance(message, str) else json.dumps(message)
        async with self.lock:
            await asyncio.wait_for(self.websocket.send_text(text), SEND_TIMEOUT)


class InterviewEventHub:
    """This process's sockets, by session, and the way events reach them."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sockets: dict[str, set[Connection]] = defaultdict(set)
        self._redis: aioredis.Redis | None = None
        self._listener: asyncio.Task | None = None
        self._subscribed = asyncio.Event()

    # -- lifecycle ------------------------------------------------------------
    async def start(self) -> None:
        if self.settings.redis_url:
            self._redis = aioredis.from_url(self.settings.redis_url)
            self._listener = asyncio.create_task(self._listen(), name="interview-events")
            # Subscribed before serving, so that an event another process
            # publishes once this one is up is not lost. A Redis that is down
            # must not keep the API from starting: the listener keeps retrying.
            try:
                await asyncio.wait_for(self._subscribed.wait(), STARTUP_SUBSCRIBE_TIMEOUT)
            except TimeoutError:
                log.warning("interview_events_redis_unavailable_at_start")
        events.subscribe(self.publish, transient=True)

    async def stop(self) -> None:
        events.unsubscribe(self.publish)
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis.aclose()
        for connections in list(self.sockets.values()):
            for connection in list(connections):
                with contextlib.suppress(Exception):
                    await connection.websocket.close(1001, "Server shutting down")
        self.sockets.clear()

    # -- events ---------------------------------------------------------------
    async def publish(self, event_type: str, session_uid: str, data: dict) -> None:
        """An events listener: with Redis, every process (this one included)
        receives the event from the channel; without, it stays here."""
        message = json.dumps({"sessionId": session_uid, "type": event_type, "data": data})
        if self._redis is not None:
            try:
                await self._redis.publish(self.settings.ws_redis_channel, message)
                return
            except Exception:  # Redis down: this process's sockets still get it
                log.warning("interview_events_redis_publish_failed")
        await self.deliver(message)

    async def deliver(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
            session_uid = message.pop("sessionId")
        except (ValueError, KeyError, AttributeError):
            log.warning("interview_event_malformed")
            return
        connections = list(self.sockets.get(session_uid, ()))
        if not connections:
            return
        text = json.dumps(message)
        results = await asyncio.gather(*(c.send(text) for c in connections), return_exceptions=True)
        for connection, result in zip(connections, results, strict=True):
            if isinstance(result, BaseException):
                self.remove(session_uid, connection)
                with contextlib.suppress(Exception):
                    await connection.websocket.close(1011, "Could not deliver events")

    async def _listen(self) -> None:
        assert self._redis is not None
        channel = self.settings.ws_redis_channel
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.subscribe(channel)
                self._subscribed.set()
                async for item in pubsub.listen():
                    if item.get("type") == "message":
                        await self.deliver(item["data"])
            except asyncio.CancelledError:
                raise
            except Exception:
                # Redis went away: resubscribe once it is back.
                log.exception("interview_events_redis_failed")
                await asyncio.sleep(1.0)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

    def add(self, session_uid: str, connection: Connection) -> None:
        self.sockets[session_uid].add(connection)

    def remove(self, session_uid: str, connection: Connection) -> None:
        connections = self.sockets.get(session_uid)
        if connections is not None:
            connections.discard(connection)
            if not connections:
                self.sockets.pop(session_uid, None)


class Refused(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _error(message: str) -> dict:
    return {"type": "error", "data": {"message": message}}


class InterviewSocket:
    """The endpoint: authenticate, subscribe, then answer pings until closed."""

    def __init__(self, hub: InterviewEventHub, settings: Settings) -> None:
        self.hub = hub
        self.settings = settings

    def route(self) -> WebSocketRoute:
        return WebSocketRoute(PATH, self.endpoint, name="interview_ws")

    async def endpoint(self, websocket: WebSocket) -> None:
        session_uid = websocket.path_params["sessionId"]
        # Accepted first: a handshake refused before acceptance carries no
        # close code, only an HTTP 403 the browser does not expose.
        await websocket.accept()
        try:
            principal = await self._admit(websocket, session_uid)
        except Refused as refused:
            await self._close(websocket, refused.code, refused.reason)
            return
        except WebSocketDisconnect:
            return
        connection = Connection(websocket)
        self.hub.add(session_uid, connection)
        log.info("interview_ws_connected", session=session_uid, user=principal.user.uid)
        try:
            await connection.send({"type": "connected",
                                   "data": {"sessionId": session_uid, "userId": principal.user.uid}})
            code, reason = await self._serve(connection, principal)
        except (TimeoutError, WebSocketDisconnect, RuntimeError):
            code = None
        finally:
            self.hub.remove(session_uid, connection)
        if code is not None:
            await self._close(websocket, code, reason)

    async def _admit(self, websocket: WebSocket, session_uid: str) -> Principal:
        if not origin_allowed(websocket.headers.get("origin"), websocket.headers.get("host"),
                              self.settings.cors_origins):
            raise Refused(CLOSE_FORBIDDEN, "Origin not allowed")
        token = bare_token(websocket.query_params.get("token"))
        if token is None:
            token = await self._first_message_token(websocket)
        try:
            async with unit_of_work(runtime.current().sessionmaker) as session:
                principal = await auth_service.authenticate(session, token)
                row = await ai_session_repository.by_uid(session, session_uid)
        except DomainError as exc:
            raise Refused(CLOSE_UNAUTHORIZED, exc.message) from None
        except Exception:
            log.exception("interview_ws_admit_failed", session=session_uid)
            raise Refused(CLOSE_INTERNAL, "Internal server error") from None
        # Someone else's session is "not found", as over HTTP: ids cannot be probed.
        if row is None or row[0].user_id != principal.user_id:
            raise Refused(CLOSE_NOT_FOUND, "Session not found")
        return principal

    async def _first_message_token(self, websocket: WebSocket) -> str:
        try:
            raw = await asyncio.wait_for(websocket.receive_text(), self.settings.ws_auth_timeout)
        except TimeoutError:
            raise Refused(CLOSE_UNAUTHORIZED, "Authentication timed out") from None
        except KeyError:  # a binary frame
            raise Refused(CLOSE_UNAUTHORIZED, "Authentication required") from None
        try:
            message = json.loads(raw)
        except ValueError:
            message = None
        is_auth = isinstance(message, dict) and message.get("type") == "auth"
        token = bare_token(message.get("token")) if is_auth else None
        if token is None:
            raise Refused(CLOSE_UNAUTHORIZED,
                          'Authentication required: pass ?token= or send {"type": "auth", "token": ...}')
        return token

    async def _serve(self, connection: Connection, principal: Principal) -> tuple[int, str]:
        """Answer the client until it leaves (WebSocketDisconnect) or its token
        expires: a socket does not outlive the token that opened it."""
        websocket = connection.websocket
        while True:
            timeout = None
            if principal.expires_at is not None:
                timeout = (as_utc(principal.expires_at) - utcnow()).total_seconds()
                if timeout <= 0:
                    return CLOSE_UNAUTHORIZED, "Token expired"
            try:
                message = await asyncio.wait_for(websocket.receive(), timeout)
            except TimeoutError:
                return CLOSE_UNAUTHORIZED, "Token expired"
            if message["type"] == "websocket.disconnect":
                raise WebSocketDisconnect(message.get("code", 1000))
            await connection.send(self._answer(message.get("text")))

    @staticmethod
    def _answer(raw: str | None) -> dict:
        if raw is None:
            return _error("Binary messages are not supported")
        try:
            message = json.loads(raw)
        except ValueError:
            return _error("Messages must be JSON")
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "ping":
            return {"type": "pong"}
        if kind == "auth":
            return _error("Already authenticated")
        return _error(f"Unknown message type: {kind!r}" if isinstance(kind, str) else "Message has no type")

    @staticmethod
    async def _close(websocket: WebSocket, code: int, reason: str) -> None:
        if websocket.application_state == WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await websocket.close(code, reason[:120])
