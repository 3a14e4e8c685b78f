"""Async engine and sessions.

Services flush, never commit. The boundary that opened the session (a request
or a job) commits, and only then runs the callbacks registered with
`on_commit`: a rollback therefore sends no e-mail and enqueues no job.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import structlog
from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

log = structlog.get_logger(__name__)

AfterCommit = Callable[[], Awaitable[None]]


def create_engine(database_url: str, *, pooled: bool = True) -> AsyncEngine:
    kwargs: dict = {}
    if database_url.startswith("sqlite"):
        _ensure_sqlite_dir(database_url)
        kwargs["connect_args"] = {"timeout": 30}
    elif pooled:
        kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
    if not pooled:
        kwargs["poolclass"] = NullPool
    engine = create_async_engine(database_url, **kwargs)
    if database_url.startswith("sqlite"):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _ensure_sqlite_dir(database_url: str) -> None:
    from pathlib import Path

    path = database_url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers and the job worker proceed while a request writes;
    # busy_timeout makes concurrent writers wait instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


def on_commit(session: AsyncSession, callback: AfterCommit) -> None:
    """Run `callback` once the session's transaction has committed."""
    session.info.setdefault("after_commit", []).append(callback)


async def run_after_commit(session: AsyncSession) -> None:
    callbacks: list[AfterCommit] = session.info.pop("after_commit", [])
    for callback in callbacks:
        try:
            await callback()
        except Exception:  # the data is committed; a lost kick is recovered later
            log.exception("after_commit_callback_failed")


@asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One transaction: commit on success, roll back on error, then run hooks."""
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException as exc:
            if getattr(exc, "persist", False):
                await session.commit()
                await run_after_commit(session)
            else:
                await session.rollback()
                session.info.pop("after_commit", None)
            raise
    await run_after_commit(session)
