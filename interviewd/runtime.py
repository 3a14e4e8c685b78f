"""The live parts one process (or one job-worker thread) works with.

Domain services reach settings, the database and the cache through
`current()`, so that the same code runs in a request, in a job worker thread
with its own event loop, and in the CLI.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from interviewd.adapters.cache import Cache, create_cache
from interviewd.config import Settings
from interviewd.db import create_engine, create_sessionmaker

if TYPE_CHECKING:
    from interviewd.jobs.queue import JobQueue


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    cache: Cache
    queue: JobQueue | None = None
    extras: dict = field(default_factory=dict)

    async def close(self) -> None:
        await self.cache.close()
        await self.engine.dispose()


_global: Runtime | None = None
_local = threading.local()


def build(settings: Settings, *, queue: JobQueue | None = None, pooled: bool = True) -> Runtime:
    engine = create_engine(settings.database_url, pooled=pooled)
    return Runtime(
        settings=settings,
        engine=engine,
        sessionmaker=create_sessionmaker(engine),
        cache=create_cache(settings.redis_url),
        queue=queue,
    )


def install(runtime: Runtime | None, *, thread_local: bool = False) -> None:
    global _global
    if thread_local:
        _local.runtime = runtime
    else:
        _global = runtime


def current() -> Runtime:
    runtime = getattr(_local, "runtime", None) or _global
    if runtime is None:
        raise RuntimeError("interviewd runtime not started")
    return runtime
