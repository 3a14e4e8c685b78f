"""A job that gives up for good tells its owner once, in its own transaction;
a hook that fails is logged and changes nothing about the job."""

from __future__ import annotations

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.jobs import executor
from interviewd.kit.jobs import enqueue, job_handler, on_job_dead
from interviewd.models import Job, JobStatus

dead_calls: list[tuple[dict, str]] = []


@job_handler("test_dies")
async def _dies(session, payload: dict) -> None:
    raise RuntimeError("never works")


@on_job_dead("test_dies")
async def _record_death(session, payload: dict, error: str) -> None:
    if payload.get("hook_fails"):
        raise ValueError("the hook itself fails")
    dead_calls.append((payload, error))


async def _run_until_dead(job_id: str) -> list[str]:
    outcomes = []
    while True:
        outcome = await executor.execute(job_id)
        outcomes.append(outcome.status)
        if outcome.status != "retry":
            return outcomes
        async with runtime.current().sessionmaker() as session:
            job = await session.get(Job, job_id)
            job.run_at = job.created_at  # the retry is due now
            await session.commit()


async def test_the_hook_runs_once_after_the_last_attempt(make_client):
    await make_client(job_max_attempts=3)
    dead_calls.clear()
    async with unit_of_work(runtime.current().sessionmaker) as session:
        job_id = (await enqueue(session, "test_dies", {"key": 1})).id
    assert await _run_until_dead(job_id) == ["retry", "retry", "dead"]
    assert dead_calls == [({"key": 1}, "RuntimeError: never works")]
    assert (await executor.execute(job_id)).status == "skipped"
    assert len(dead_calls) == 1


async def test_a_failing_hook_leaves_the_job_dead(make_client):
    await make_client(job_max_attempts=1)
    dead_calls.clear()
    async with unit_of_work(runtime.current().sessionmaker) as session:
        job_id = (await enqueue(session, "test_dies", {"hook_fails": True})).id
    assert await _run_until_dead(job_id) == ["dead"]
    async with runtime.current().sessionmaker() as session:
        job = await session.get(Job, job_id)
        assert job.status == JobStatus.DEAD.value and job.last_error == "RuntimeError: never works"
    assert dead_calls == []
