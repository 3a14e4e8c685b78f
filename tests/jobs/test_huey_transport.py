"""The real queue: Huey consumers inside the server process, on the SQLite
file storage and on Redis, carrying outbox job ids to worker threads."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.kit.clock import utcnow
from interviewd.kit.jobs import enqueue, job_handler
from interviewd.models import Job, JobStatus
from tests.adapters.servers import SmtpSink, wait_until
from tests.conftest import register

_executed: dict[str, object] = {}
_executed_lock = threading.Lock()


@job_handler("test_scheduled")
async def _scheduled(session, payload: dict) -> None:
    with _executed_lock:
        _executed[payload["key"]] = utcnow()


_worker_threads: list[tuple[runtime.Runtime, asyncio.AbstractEventLoop]] = []


@job_handler("test_where")
async def _where(session, payload: dict) -> None:
    await session.execute(select(Job.id).limit(1))
    _worker_threads.append((runtime.current(), asyncio.get_running_loop()))


async def _job_status(job_id: str) -> str:
    async with runtime.current().sessionmaker() as session:
        return (await session.get(Job, job_id, populate_existing=True)).status


async def _start(make_client, smtp_sink: SmtpSink, **overrides):
    settings = dict(jobs_in_process=True, jobs_workers=2, email_backend="smtp",
                    smtp_host=smtp_sink.host, smtp_port=smtp_sink.port)
    return await make_client(**{**settings, **overrides})


async def _registration_mail_is_delivered(client, smtp_sink: SmtpSink) -> None:
    account = await register(client, name="Queued")
    # No run_due_jobs(): only the consumer's worker threads can deliver it.
    [mail] = await smtp_sink.wait_for(account["email"], timeout=15)
    assert mail.message["Subject"] == "Welcome to interviewd, Queued"

    async def done() -> bool:
        async with runtime.current().sessionmaker() as session:
            statuses = list(await session.scalars(select(Job.status)))
        return statuses == [JobStatus.DONE.value]

    assert await wait_until(done, timeout=5)
    assert len(smtp_sink.to(account["email"])) == 1


async def _scheduled_job_waits_for_its_time(key: str) -> None:
    run_at = utcnow() + timedelta(seconds=2)
    async with unit_of_work(runtime.current().sessionmaker) as session:
        job_id = (await enqueue(session, "test_scheduled", {"key": key}, run_at=run_at)).id

    # Shortly before its time nothing has run it.
    await asyncio.sleep(max(0.0, (run_at - utcnow()).total_seconds() - 0.5))
    early, status = key in _executed, await _job_status(job_id)
    if utcnow() < run_at:
        assert not early and status == JobStatus.PENDING.value

    assert await wait_until(lambda: key in _executed, timeout=12)
    assert _executed[key] >= run_at
    assert await wait_until(lambda: _is_done(job_id), timeout=5)


async def _is_done(job_id: str) -> bool:
    return await _job_status(job_id) == JobStatus.DONE.value


def _stop_consumer() -> None:
    queue = runtime.current().queue
    queue.stop_in_process()
    assert queue._consumer is None


@pytest.mark.parametrize("scenario", ["mail", "scheduled"])
async def test_sqlite_queue_in_process(scenario, make_client, smtp_sink, tmp_path):
    client = await _start(make_client, smtp_sink, jobs_backend="sqlite", data_dir=tmp_path)
    assert (tmp_path / "jobs.sqlite3").exists()
    try:
        if scenario == "mail":
            await _registration_mail_is_delivered(client, smtp_sink)
        else:
            await _scheduled_job_waits_for_its_time(f"sqlite-{tmp_path.name}")
    finally:
        _stop_consumer()


@pytest.mark.parametrize("scenario", ["mail", "scheduled"])
async def test_redis_queue_in_process(scenario, huey_redis_name, redis_url, make_client, smtp_sink):
    client = await _start(make_client, smtp_sink, jobs_backend="redis", redis_url=redis_url)
    assert runtime.current().queue.huey.storage.queue_key == f"huey.redis.{huey_redis_name}"
    try:
        if scenario == "mail":
            await _registration_mail_is_delivered(client, smtp_sink)
        else:
            await _scheduled_job_waits_for_its_time(f"redis-{huey_redis_name}")
    finally:
        _stop_consumer()


async def test_stopping_the_consumer_closes_worker_thread_runtimes(make_client, smtp_sink, tmp_path):
    await _start(make_client, smtp_sink, jobs_backend="sqlite", data_dir=tmp_path, jobs_workers=1)
    app_runtime = runtime.current()
    async with unit_of_work(app_runtime.sessionmaker) as session:
        job_id = (await enqueue(session, "test_where", {})).id
    assert await wait_until(lambda: _is_done(job_id), timeout=10)
    [(worker_runtime, loop)] = _worker_threads
    # The job ran on a worker thread's own runtime and loop, not the server's.
    assert worker_runtime is not app_runtime and loop is not asyncio.get_running_loop()
    assert worker_runtime.engine.sync_engine.pool.checkedin() >= 1

    _stop_consumer()
    assert loop.is_closed()
    assert worker_runtime.engine.sync_engine.pool.checkedin() == 0
