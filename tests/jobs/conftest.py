from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterator

import pytest
import redis
from huey import RedisHuey

from interviewd import runtime
from interviewd.config import Settings
from interviewd.jobs import queue as queue_module


@pytest.fixture
def huey_redis_name(redis_url: str, monkeypatch) -> Iterator[str]:
    """A queue name of this test's own, so that concurrent runs sharing the
    test Redis never take each other's job ids; its keys are deleted after."""
    name = f"interviewd_test_{uuid.uuid4().hex[:12]}"

    def redis_huey(_name: str, **kwargs) -> RedisHuey:
        return RedisHuey(name, **kwargs)

    monkeypatch.setattr(queue_module, "RedisHuey", redis_huey)
    yield name
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"huey.*{name}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


async def in_worker_thread(settings: Settings, work: Callable[[], Awaitable]):
    """Run `work()` the way a job worker thread does: on another thread, with
    its own event loop and its own runtime (engine, cache) built from `settings`."""

    async def body():
        rt = runtime.build(settings)
        runtime.install(rt, thread_local=True)
        try:
            return await work()
        finally:
            runtime.install(None, thread_local=True)
            await rt.close()

    return await asyncio.to_thread(asyncio.run, body())
