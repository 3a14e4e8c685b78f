"""Test harness: one database per run, migrated by Alembic; a fresh app per
test; every table emptied after each test.

The database is SQLite in a temporary directory unless
INTERVIEWD_TEST_DATABASE_URL names another (CI sets a fresh PostgreSQL one).
Rows are deleted rather than rolled back because the code under test commits
for real, from request handlers and from job workers on other threads.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
import redis
from asgi_lifespan import LifespanManager
from sqlalchemy import delete, select

from interviewd import runtime
from interviewd.app import create_app
from interviewd.config import Settings
from interviewd.jobs import executor
from interviewd.migrate import upgrade
from interviewd.models import Base, Job, JobStatus

STRONG_PASSWORD = "Correct-Horse-42"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
# Sandboxed code runs under user IDs from here; suites running side by side on
# one host (scripts/test) get disjoint ranges so they never see each other's runs.
SANDBOX_UID_BASE = int(os.environ.get("INTERVIEWD_TEST_SANDBOX_UID_BASE", "200000"))


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("interviewd-data"))


@pytest.fixture(scope="session")
def database_url(data_dir: str) -> str:
    url = os.environ.get("INTERVIEWD_TEST_DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir}/test.db"
    upgrade(Settings(database_url=url, data_dir=data_dir, secret_key="x").database_url)
    return Settings(database_url=url, data_dir=data_dir, secret_key="x").database_url


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The test Redis. Without INTERVIEWD_TEST_REDIS_URL the default local one
    is used when it answers; when the variable is set (as scripts/test does)
    it must answer."""
    url = os.environ.get("INTERVIEWD_TEST_REDIS_URL")
    try:
        redis.Redis.from_url(url or DEFAULT_REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        if url:
            raise
        pytest.skip("no Redis at " + DEFAULT_REDIS_URL)
    return url or DEFAULT_REDIS_URL


@pytest.fixture
def smtp_sink():
    """A real SMTP server on loopback that keeps what it receives."""
    from tests.adapters.servers import SmtpSink

    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture(scope="module")
def s3_endpoint():
    """An S3-compatible service on loopback (moto), one per test module."""
    from moto.server import ThreadedMotoServer

    from tests.adapters.servers import free_port

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def make_settings(data_dir: str, database_url: str) -> Callable[..., Settings]:
    def make(**overrides) -> Settings:
        values = dict(
            database_url=database_url,
            data_dir=data_dir,
            secret_key="test-secret-key-that-is-long-enough-for-hs256",
            redis_url=None,
            rate_limit_enabled=False,
            jobs_backend="memory",
            jobs_in_process=False,
            email_backend="file",
            environment="test",
            log_level="WARNING",
            # Hashing at production cost would be a large share of the suite's time.
            password_hash_time_cost=1,
            password_hash_memory_kib=1024,
            password_hash_parallelism=1,
            sandbox_uid_base=SANDBOX_UID_BASE,
        )
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
async def make_client(make_settings) -> AsyncIterator[Callable]:
    """Start an app with the given setting overrides; returns an httpx client."""
    stack = []

    async def make(**overrides) -> httpx.AsyncClient:
        app = create_app(make_settings(**overrides))
        manager = LifespanManager(app)
        await manager.__aenter__()
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False)
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        stack.append((manager, client))
        return client

    yield make
    for manager, client in reversed(stack):
        await client.aclose()
        await manager.__aexit__(None, None, None)


@pytest.fixture
async def client(make_client) -> httpx.AsyncClient:
    return await make_client()


@pytest.fixture(autouse=True)
async def _empty_tables(database_url: str, data_dir: str) -> AsyncIterator[None]:
    yield
    from interviewd.db import create_engine

    engine = create_engine(database_url, pooled=False)
    async with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            await conn.execute(delete(table))
    await engine.dispose()


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


async def register(client: httpx.AsyncClient, *, email: str | None = None,
                   password: str = STRONG_PASSWORD, **extra) -> dict:
    """Register through /api and return {email, password, userId, tokens}."""
    email = email or unique_email()
    response = await client.post("/api/auth/register",
                                 json={"email": email, "password": password, **extra})
    assert response.status_code == 201, response.text
    return {"email": email, "password": password, **response.json()}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


async def run_due_jobs() -> list[str]:
    """Execute every due job through the production executor; returns outcomes."""
    rt = runtime.current()
    async with rt.sessionmaker() as session:
        ids = list(await session.scalars(
            select(Job.id).where(Job.status == JobStatus.PENDING.value).order_by(Job.created_at)
        ))
    return [(await executor.execute(job_id)).status for job_id in ids]
