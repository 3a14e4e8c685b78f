"""Crash recovery: the Job row is the truth, so a crash between commit and
dispatch, or a worker dying mid-job, delays work but never loses or doubles it."""

from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import timedelta

from sqlalchemy import select, update

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.domain.notifications.service import notification_service
from interviewd.jobs import executor
from interviewd.jobs.queue import JobQueue
from interviewd.kit.clock import utcnow
from interviewd.kit.jobs import enqueue, job_handler
from interviewd.models import Job, JobStatus
from tests.adapters.servers import wait_until
from tests.jobs.conftest import in_worker_thread

# -- handlers that misbehave on demand --------------------------------------
_ran: list[tuple[str, int]] = []
_ran_lock = threading.Lock()
_hanging: dict[str, threading.Event] = {}


@job_handler("test_record")
async def _record(session, payload: dict) -> None:
    await asyncio.sleep(payload.get("sleep", 0))
    with _ran_lock:
        _ran.append((payload["key"], payload.get("n", 0)))


@job_handler("test_hang_once")
async def _hang_once(session, payload: dict) -> None:
    """The first run hangs (its worker is then killed); later runs record."""
    started = _hanging.pop(payload["key"], None)
    if started is not None:
        started.set()
        await asyncio.Event().wait()
    with _ran_lock:
        _ran.append((payload["key"], 0))


def _runs(key: str) -> list[tuple[str, int]]:
    with _ran_lock:
        return [r for r in _ran if r[0] == key]


async def _job(job_id: str) -> Job:
    async with runtime.current().sessionmaker() as session:
        return await session.get(Job, job_id)


async def _overdue_ids(**kwargs) -> list[str]:
    return [job_id for job_id, _ in await executor.overdue_job_ids(**kwargs)]


async def _commit_without_dispatch(send) -> str:
    """Commit an outbox row, then 'crash' before the after-commit dispatch."""
    async with unit_of_work(runtime.current().sessionmaker) as session:
        await send(session)
        session.info.pop("after_commit")
    async with runtime.current().sessionmaker() as session:
        return (await session.scalars(select(Job.id))).one()


# -- crash between commit and dispatch --------------------------------------
async def test_job_committed_but_never_dispatched_is_recovered_and_delivered(
    make_client, make_settings, smtp_sink
):
    overrides = dict(email_backend="smtp", smtp_host=smtp_sink.host, smtp_port=smtp_sink.port)
    await make_client(**overrides)
    queued = runtime.current().queue.huey.pending_count()

    async def send(session):
        await notification_service.send_email(
            session, to="lost@example.com", template="welcome",
            context={"name": "Lost", "email": "lost@example.com", "pending": False},
        )

    job_id = await _commit_without_dispatch(send)
    assert runtime.current().queue.huey.pending_count() == queued  # nothing reached the queue
    assert (await _job(job_id)).status == JobStatus.PENDING.value

    # A fresh commit is its producer's to dispatch; the sweep leaves it a grace period.
    assert job_id not in await _overdue_ids()
    assert job_id in await _overdue_ids(grace_seconds=0)

    # The crash was a while ago: a restarted worker's recovery sweep finds it.
    async with runtime.current().sessionmaker() as session:
        await session.execute(update(Job).where(Job.id == job_id)
                              .values(run_at=utcnow() - timedelta(minutes=2)))
        await session.commit()
    assert job_id in await _overdue_ids()

    worker_queue = JobQueue(make_settings(**overrides))

    def restarted_worker() -> int:
        try:
            recovered = worker_queue.recover_now()
            # Execute what recovery handed to the queue, as a consumer would.
            while (task := worker_queue.huey.dequeue()) is not None:
                worker_queue.huey.execute(task)
            return recovered
        finally:
            worker_queue.close_thread()

    assert await asyncio.to_thread(restarted_worker) == 1
    [mail] = smtp_sink.to("lost@example.com")
    assert mail.message["Subject"] == "Welcome to interviewd, Lost"
    job = await _job(job_id)
    assert (job.status, job.attempts) == (JobStatus.DONE.value, 1)
    assert job_id not in await _overdue_ids(grace_seconds=0)

    # A second sweep finds nothing, and a stale duplicate of the id is skipped.
    assert await asyncio.to_thread(restarted_worker) == 0
    assert (await executor.execute(job_id)).status == "skipped"
    assert len(smtp_sink.to("lost@example.com")) == 1


# -- a worker that died mid-job -----------------------------------------------
async def test_job_of_a_dead_worker_is_recovered_after_its_lease_and_runs_once(client, make_settings):
    settings = make_settings(job_lease_seconds=2)
    key = f"died-midway-{uuid.uuid4().hex}"

    async with unit_of_work(runtime.current().sessionmaker) as session:
        job_id = (await enqueue(session, "test_hang_once", {"key": key})).id

    # Worker A claims the job and dies in the middle of it: its claim is
    # committed, its work is not.
    started = threading.Event()
    _hanging[key] = started

    async def worker_a():
        task = asyncio.ensure_future(executor.execute(job_id))
        assert await asyncio.to_thread(started.wait, 10)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    await in_worker_thread(settings, worker_a)
    job = await _job(job_id)
    assert job.status == JobStatus.RUNNING.value and job.attempts == 1
    assert job.locked_until > utcnow()
    assert _runs(key) == []

    # While the lease holds, nobody else takes it and recovery leaves it alone.
    assert (await in_worker_thread(settings, lambda: executor.execute(job_id))).status == "skipped"
    assert job_id not in await _overdue_ids(grace_seconds=0)

    # Once it lapses, recovery sees it and another worker runs it, once.
    assert await wait_until(lambda: _is_overdue(job_id), timeout=8)
    outcome = await in_worker_thread(settings, lambda: executor.execute(job_id))
    assert outcome.status == "done"
    assert _runs(key) == [(key, 0)]
    job = await _job(job_id)
    assert (job.status, job.attempts, job.locked_until) == (JobStatus.DONE.value, 2, None)

    assert (await executor.execute(job_id)).status == "skipped"
    assert job_id not in await _overdue_ids(grace_seconds=0)
    assert _runs(key) == [(key, 0)]


async def _is_overdue(job_id: str) -> bool:
    return job_id in await _overdue_ids(grace_seconds=0)


async def test_concurrent_workers_given_the_same_ids_run_each_job_once(client, make_settings):
    settings = make_settings()
    key = f"claimed-twice-{uuid.uuid4().hex}"
    async with unit_of_work(runtime.current().sessionmaker) as session:
        ids = [(await enqueue(session, "test_record", {"key": key, "n": n, "sleep": 0.02})).id
               for n in range(12)]

    barrier = threading.Barrier(2)

    async def worker():
        outcomes = []
        for job_id in ids:
            await asyncio.to_thread(barrier.wait, 10)
            outcomes.append((await executor.execute(job_id)).status)
        return outcomes

    first, second = await asyncio.gather(in_worker_thread(settings, worker),
                                         in_worker_thread(settings, worker))
    for a, b in zip(first, second, strict=True):
        assert sorted([a, b]) == ["done", "skipped"]
    assert sorted(n for _, n in _runs(key)) == list(range(12))
    async with runtime.current().sessionmaker() as session:
        rows = list(await session.execute(select(Job.status, Job.attempts).where(Job.id.in_(ids))))
    assert rows and all(tuple(row) == (JobStatus.DONE.value, 1) for row in rows)


async def test_concurrent_executions_on_one_loop_claim_once(client):
    key = f"same-loop-{uuid.uuid4().hex}"
    async with unit_of_work(runtime.current().sessionmaker) as session:
        job_id = (await enqueue(session, "test_record", {"key": key, "sleep": 0.05})).id
    outcomes = await asyncio.gather(*(executor.execute(job_id) for _ in range(3)))
    assert sorted(o.status for o in outcomes) == ["done", "skipped", "skipped"]
    assert _runs(key) == [(key, 0)]
