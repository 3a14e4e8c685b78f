"""Background jobs as the domain sees them: register a handler by name, and
enqueue work inside the current transaction.

`enqueue` writes a Job row (the outbox) and asks for it to be dispatched to
the queue only after commit. A rollback therefore leaves no job behind, and a
crash after commit leaves a pending row that recovery dispatches later.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.db import on_commit
from interviewd.kit.clock import utcnow
from interviewd.models.job import Job

JobHandler = Callable[[AsyncSession, dict], Awaitable[None]]
# Called once when a job has failed its last attempt: (session, payload, error).
DeadHandler = Callable[[AsyncSession, dict, str], Awaitable[None]]

_handlers: dict[str, JobHandler] = {}
_dead_handlers: dict[str, DeadHandler] = {}


def job_handler(name: str) -> Callable[[JobHandler], JobHandler]:
    def register(func: JobHandler) -> JobHandler:
        _handlers[name] = func
        return func

    return register


def on_job_dead(name: str) -> Callable[[DeadHandler], DeadHandler]:
    """Register what to record when job `name` gives up for good, so that the
    object it worked on does not wait forever (it runs in the transaction
    that marks the job dead)."""
    def register(func: DeadHandler) -> DeadHandler:
        _dead_handlers[name] = func
        return func

    return register


def handler_for(name: str) -> JobHandler:
    try:
        return _handlers[name]
    except KeyError:
        raise LookupError(f"no job handler registered for {name!r}") from None


def dead_handler_for(name: str) -> DeadHandler | None:
    return _dead_handlers.get(name)


async def enqueue(
    session: AsyncSession,
    name: str,
    payload: dict,
    *,
    run_at: datetime | None = None,
    max_attempts: int | None = None,
) -> Job:
    settings = runtime.current().settings
    job = Job(
        name=name,
        payload=payload,
        run_at=run_at or utcnow(),
        max_attempts=max_attempts or settings.job_max_attempts,
    )
    session.add(job)
    await session.flush()
    job_id, eta = job.id, job.run_at

    async def dispatch() -> None:
        queue = runtime.current().queue
        if queue is not None:
            await queue.dispatch(job_id, eta)

    on_commit(session, dispatch)
    return job
