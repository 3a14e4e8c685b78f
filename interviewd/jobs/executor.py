"""Runs one outbox job and decides what happens when it fails.

The Job row is the truth. A job is claimed with a conditional UPDATE (so two
workers given the same id run it once) and leased for `job_lease_seconds`: a
worker that dies mid-job leaves a lease that expires, and recovery hands the
job to another worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import structlog
from sqlalchemy import or_, select, update

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.kit.clock import utcnow
from interviewd.kit.jobs import dead_handler_for, handler_for
from interviewd.models.job import Job, JobStatus

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Outcome:
    status: str  # done | retry | dead | skipped
    retry_in: float | None = None


def backoff_delay(attempt: int) -> float:
    """Exponential: base, 2*base, 4*base, ... capped."""
    settings = runtime.current().settings
    return min(settings.job_retry_base_delay * 2 ** max(attempt - 1, 0), settings.job_retry_max_delay)


async def execute(job_id: str) -> Outcome:
    rt = runtime.current()
    now = utcnow()
    claimable = or_(
        Job.status == JobStatus.PENDING.value,
        (Job.status == JobStatus.RUNNING.value) & (Job.locked_until < now),
    )
    async with unit_of_work(rt.sessionmaker) as session:
        claimed = await session.execute(
            update(Job)
            .where(Job.id == job_id, Job.run_at <= now, claimable)
            .values(
                status=JobStatus.RUNNING.value,
                attempts=Job.attempts + 1,
                locked_until=now + timedelta(seconds=rt.settings.job_lease_seconds),
            )
        )
        if claimed.rowcount != 1:
            return Outcome("skipped")
        job = await session.get(Job, job_id)
        name, payload, attempts, max_attempts = job.name, job.payload, job.attempts, job.max_attempts

    try:
        handler = handler_for(name)
        async with unit_of_work(rt.sessionmaker) as session:
            await handler(session, payload)
            await session.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(status=JobStatus.DONE.value, finished_at=utcnow(), locked_until=None,
                        last_error=None)
            )
        log.info("job_done", job_id=job_id, job=name, attempt=attempts)
        return Outcome("done")
    except Exception as exc:  # any failure of the handler is a reason to retry
        error = f"{type(exc).__name__}: {exc}"[:2000]
        dead = attempts >= max_attempts
        delay = backoff_delay(attempts)
        async with unit_of_work(rt.sessionmaker) as session:
            await session.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(
                    status=JobStatus.DEAD.value if dead else JobStatus.PENDING.value,
                    run_at=utcnow() + timedelta(seconds=0 if dead else delay),
                    locked_until=None,
                    last_error=error,
                    finished_at=utcnow() if dead else None,
                )
            )
        if dead:
            await _after_death(name, payload, error)
        log.warning("job_failed", job_id=job_id, job=name, attempt=attempts, dead=dead, error=error)
        return Outcome("dead") if dead else Outcome("retry", retry_in=delay)


async def _after_death(name: str, payload: dict, error: str) -> None:
    """Let the job's owner record the failure on its object; a failing hook is
    logged, never retried (the job is already dead)."""
    hook = dead_handler_for(name)
    if hook is None:
        return
    try:
        async with unit_of_work(runtime.current().sessionmaker) as session:
            await hook(session, payload, error)
    except Exception:
        log.exception("job_dead_hook_failed", job=name)


async def overdue_job_ids(*, grace_seconds: float = 30.0, limit: int = 500) -> list[tuple[str, object]]:
    """Jobs that should be running and are not: never dispatched (a crash right
    after commit), lost by the queue, or leased by a worker that died."""
    rt = runtime.current()
    now = utcnow()
    async with rt.sessionmaker() as session:
        rows = await session.execute(
            select(Job.id, Job.run_at)
            .where(
                or_(
                    (Job.status == JobStatus.PENDING.value)
                    & (Job.run_at <= now - timedelta(seconds=grace_seconds)),
                    (Job.status == JobStatus.RUNNING.value) & (Job.locked_until < now),
                )
            )
            .order_by(Job.run_at)
            .limit(limit)
        )
        return [(row.id, row.run_at) for row in rows]
