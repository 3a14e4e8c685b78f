"""Retry delays: exponential from the base, capped by the settings."""

from __future__ import annotations

from datetime import timedelta

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.jobs import executor
from interviewd.kit.clock import utcnow
from interviewd.kit.jobs import enqueue, job_handler
from interviewd.models import Job, JobStatus


@job_handler("test_always_fails")
async def _always_fails(session, payload: dict) -> None:
    raise RuntimeError(f"failure #{payload['key']}")


async def test_backoff_doubles_from_the_base_and_is_capped(make_client):
    await make_client(job_retry_base_delay=5.0, job_retry_max_delay=60.0)
    assert [executor.backoff_delay(n) for n in range(1, 8)] == [5, 10, 20, 40, 60, 60, 60]
    assert executor.backoff_delay(0) == 5.0
    assert executor.backoff_delay(200) == 60.0  # no overflow far along


async def test_backoff_follows_other_settings(make_client):
    await make_client(job_retry_base_delay=0.5, job_retry_max_delay=3600.0)
    assert [executor.backoff_delay(n) for n in (1, 2, 3, 13)] == [0.5, 1.0, 2.0, 2048.0]
    assert executor.backoff_delay(14) == 3600.0


async def test_each_failed_attempt_reschedules_by_the_growing_delay(make_client):
    await make_client(job_retry_base_delay=7.0, job_retry_max_delay=20.0, job_max_attempts=5)
    async with unit_of_work(runtime.current().sessionmaker) as session:
        job_id = (await enqueue(session, "test_always_fails", {"key": "x"})).id

    delays = []
    for _ in range(4):
        before = utcnow()
        outcome = await executor.execute(job_id)
        async with runtime.current().sessionmaker() as session:
            job = await session.get(Job, job_id)
            assert job.status == JobStatus.PENDING.value
            assert job.last_error == "RuntimeError: failure #x"
            delays.append(outcome.retry_in)
            assert job.run_at >= before + timedelta(seconds=outcome.retry_in)
            assert job.run_at <= utcnow() + timedelta(seconds=outcome.retry_in)
            # Time passes until the retry is due.
            job.run_at = utcnow()
            await session.commit()
    assert delays == [7.0, 14.0, 20.0, 20.0]

    outcome = await executor.execute(job_id)
    assert outcome.status == "dead" and outcome.retry_in is None
    async with runtime.current().sessionmaker() as session:
        job = await session.get(Job, job_id)
        assert (job.status, job.attempts) == (JobStatus.DEAD.value, 5)
