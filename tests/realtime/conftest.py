"""Real interviewd servers (uvicorn subprocesses on loopback) and real
python-socketio clients for the /interview namespace."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import socketio
from sqlalchemy import select

from interviewd.db import create_engine, create_sessionmaker, unit_of_work
from interviewd.kit.clock import isoformat_z, utcnow
from interviewd.models.practice import PracticeDetails, PracticeDomain
from interviewd.models.session import InterviewSession, SessionKind
from interviewd.models.user import User
from tests.conftest import STRONG_PASSWORD, unique_email
from tests.web.processes import clean_env, free_port, start_uvicorn, stop, wait_until_up

NAMESPACE = "/interview"
SECRET = "realtime-test-secret-key-that-is-long-enough"
# Long enough that two samples sent back to back always fall in one interval;
# the tests that need an older sample write it into the timeline themselves.
MIN_INTERVAL = 30
TIMELINE_MAX = 4


@dataclass
class Server:
    url: str


def _env(database_url: str, data_dir: str, **extra: str) -> dict[str, str]:
    return clean_env(
        INTERVIEWD_DATABASE_URL=database_url,
        INTERVIEWD_DATA_DIR=data_dir,
        INTERVIEWD_SECRET_KEY=SECRET,
        INTERVIEWD_JOBS_IN_PROCESS="false",
        INTERVIEWD_JOBS_BACKEND="memory",
        INTERVIEWD_RATE_LIMIT_ENABLED="false",
        INTERVIEWD_LOG_LEVEL="WARNING",
        INTERVIEWD_REALTIME_METRICS_MIN_INTERVAL=str(MIN_INTERVAL),
        INTERVIEWD_REALTIME_TIMELINE_MAX=str(TIMELINE_MAX),
        **extra,
    )


def launch(processes: list[subprocess.Popen], directory: Path, database_url: str, count: int = 1,
           **extra: str) -> list[Server]:
    """Start `count` servers sharing one database (and whatever `extra` says),
    each added to `processes` as soon as it starts: the caller stops them all,
    even when this raises."""
    env = _env(database_url, str(directory), **extra)
    servers = []
    for _ in range(count):
        port = free_port()
        processes.append(start_uvicorn(port, env, cwd=str(directory),
                                       log_path=directory / f"server-{port}.log"))
        servers.append(Server(f"http://127.0.0.1:{port}"))
    for process, started in zip(processes, servers, strict=True):
        wait_until_up(process, started.url + "/health")
    return servers


@pytest.fixture(scope="session")
def server(tmp_path_factory, database_url: str) -> Iterator[Server]:
    """One server without Redis, shared by the tests that need only one."""
    processes: list[subprocess.Popen] = []
    try:
        yield launch(processes, tmp_path_factory.mktemp("realtime"), database_url)[0]
    finally:
        for process in processes:
            stop(process)


class Refused(Exception):
    """The server refused the connection; `reason` is what it said (connect_error)."""

    def __init__(self, reason) -> None:
        super().__init__(reason)
        self.reason = reason or {}


@dataclass
class Inbox:
    """Every event a socket received, by name, in arrival order."""

    queues: dict[str, asyncio.Queue] = field(default_factory=lambda: defaultdict(asyncio.Queue))

    async def next(self, event: str, timeout: float = 10.0):
        return await asyncio.wait_for(self.queues[event].get(), timeout)

    def pending(self, event: str) -> int:
        return self.queues[event].qsize()


@dataclass
class Socket:
    client: socketio.AsyncClient
    inbox: Inbox

    async def send(self, payload, timeout: float = 10.0) -> dict:
        """metrics:send with an acknowledgement: the server's answer to this sample."""
        return await self.client.call("metrics:send", payload, namespace=NAMESPACE, timeout=timeout)

    async def emit(self, payload) -> None:
        await self.client.emit("metrics:send", payload, namespace=NAMESPACE)


@pytest.fixture
async def connect() -> AsyncIterator[Callable]:
    """connect(url, auth) -> Socket, connected to /interview; all closed after the test."""
    clients: list[socketio.AsyncClient] = []

    async def open_socket(url: str, auth, *, transports=None, headers=None) -> Socket:
        client = socketio.AsyncClient(reconnection=False)
        inbox = Inbox()
        for event in ("metrics:update", "metrics:error", "connect_error"):
            client.on(event, _collector(inbox, event), namespace=NAMESPACE)
        clients.append(client)
        try:
            await client.connect(url, auth=auth, namespaces=[NAMESPACE], transports=transports,
                                 headers=headers or {}, wait_timeout=10)
        except socketio.exceptions.ConnectionError:
            reason = await inbox.next("connect_error") if inbox.pending("connect_error") else None
            raise Refused(reason) from None
        return Socket(client, inbox)

    yield open_socket
    for client in clients:
        # A refused or dropped client has nothing left to close.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.disconnect(), 10)


def _collector(inbox: Inbox, event: str):
    async def collect(data=None):
        await inbox.queues[event].put(data)

    return collect


async def sign_up(url: str) -> dict:
    """A new user on a running server: {userId, accessToken}."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        response = await http.post("/api/auth/register",
                                   json={"email": unique_email("rt"), "password": STRONG_PASSWORD})
    assert response.status_code == 201, response.text
    body = response.json()
    return {"userId": body["userId"], "accessToken": body["tokens"]["accessToken"]}


@pytest.fixture
async def practice_session(database_url: str) -> AsyncIterator[Callable]:
    """practice_session(user_uid, status=..., timeline=...) -> the session's uid.
    Rows written through the ORM, as the practice routes would."""
    engine = create_engine(database_url, pooled=False)
    sessionmaker = create_sessionmaker(engine)

    async def make(user_uid: str, *, status: str = "scheduled", timeline: list | None = None) -> str:
        async with unit_of_work(sessionmaker) as session:
            user_id = await session.scalar(select(User.id).where(User.uid == user_uid))
            assert user_id is not None
            domain = PracticeDomain(slug="rt-" + uuid.uuid4().hex[:12], name="Realtime practice")
            practice = InterviewSession(kind=SessionKind.PRACTICE.value, status=status, user_id=user_id,
                                        title="Live metrics")
            session.add_all([domain, practice])
            await session.flush()
            session.add(PracticeDetails(session_id=practice.id, domain_id=domain.id, session_type="mock",
                                        live_timeline=timeline or []))
            return practice.uid

    yield make
    await engine.dispose()


async def live_timeline(database_url: str, session_uid: str) -> list:
    engine = create_engine(database_url, pooled=False)
    try:
        async with create_sessionmaker(engine)() as session:
            return await session.scalar(
                select(PracticeDetails.live_timeline)
                .join(InterviewSession, InterviewSession.id == PracticeDetails.session_id)
                .where(InterviewSession.uid == session_uid)
            )
    finally:
        await engine.dispose()


def old_sample(seconds_ago: float, **metrics) -> dict:
    return {**metrics, "timestamp": isoformat_z(utcnow() - timedelta(seconds=seconds_ago))}
