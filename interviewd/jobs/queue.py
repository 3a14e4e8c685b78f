"""The job queue, on Huey.

Huey carries job ids to workers, runs them on worker threads, schedules
delayed runs (`eta`), retries with the delay we compute, and runs the periodic
recovery sweep. Storage follows the deployment: a SQLite file under ./data for
the embedded default, Redis when configured, memory in tests.

Handlers are async; each worker thread keeps one event loop and one runtime
(engine, cache) of its own for its whole life.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime

import structlog
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import Huey
from huey.exceptions import RetryTask

from interviewd import runtime
from interviewd.config import Settings
from interviewd.jobs import executor
from interviewd.kit.clock import utcnow

log = structlog.get_logger(__name__)


def create_huey(settings: Settings) -> Huey:
    backend = settings.resolved_jobs_backend
    # Results are never read: the Job row records the outcome.
    if backend == "redis":
        return RedisHuey(settings.jobs_queue_name, url=settings.redis_url, results=False, utc=True)
    if backend == "memory":
        return MemoryHuey(settings.jobs_queue_name, results=False, utc=True)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(
        settings.jobs_queue_name, filename=str(settings.data_dir / "jobs.sqlite3"), results=False, utc=True
    )


class _WorkerThreadState(threading.local):
    loop_runner: asyncio.Runner | None = None
    rt: runtime.Runtime | None = None


class JobQueue:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.huey = create_huey(settings)
        self._thread_state = _WorkerThreadState()
        self._consumer = None
        self._register_tasks()

    # -- producing -------------------------------------------------------
    async def dispatch(self, job_id: str, eta: datetime | None = None) -> None:
        # Huey's storage calls block; keep them off the event loop.
        await asyncio.to_thread(self._enqueue, job_id, eta)

    def _enqueue(self, job_id: str, eta: datetime | None) -> None:
        delay = (eta - utcnow()).total_seconds() if eta is not None else 0
        if delay > 0.5:
            self._run_job.schedule(args=(job_id,), delay=delay)
        else:
            self._run_job(job_id)

    # -- consuming -------------------------------------------------------
    def _register_tasks(self) -> None:
        huey = self.huey

        @huey.task(name="interviewd.run_job")
        def run_job(job_id: str) -> None:
            outcome = self._run(executor.execute(job_id))
            if outcome.status == "retry":
                raise RetryTask(delay=outcome.retry_in)

        @huey.periodic_task(crontab(minute="*"), name="interviewd.recover_jobs")
        def recover_jobs() -> None:
            self.recover_now()

        @huey.on_startup()
        def recover_on_start() -> None:
            # A consumer that starts may follow a crash: take over at once
            # whatever is due. A job dispatched a moment ago may be taken
            # twice from the queue; claiming runs it once.
            self.recover_now(grace_seconds=0)

        @huey.on_shutdown()
        def close_on_exit() -> None:
            self.close_thread()

        self._run_job = run_job

    def recover_now(self, grace_seconds: float = 30.0) -> int:
        """Dispatch every overdue job again; claiming keeps this idempotent.
        The grace spares jobs that were dispatched a moment ago."""
        overdue = self._run(executor.overdue_job_ids(grace_seconds=grace_seconds))
        for job_id, _run_at in overdue:
            self._run_job(job_id)
        if overdue:
            log.info("jobs_recovered", count=len(overdue))
        return len(overdue)

    def _run(self, coro):
        state = self._thread_state
        if state.loop_runner is None:
            state.loop_runner = asyncio.Runner()
            state.loop_runner.run(self._open_thread_runtime())
        return state.loop_runner.run(coro)

    async def _open_thread_runtime(self) -> None:
        self._thread_state.rt = runtime.build(self.settings, queue=self)
        runtime.install(self._thread_state.rt, thread_local=True)

    def close_thread(self) -> None:
        """Close this thread's runtime and event loop, as a worker thread exits:
        otherwise its database connections stay open until garbage collection."""
        state = self._thread_state
        runner, rt = state.loop_runner, state.rt
        state.loop_runner = state.rt = None
        if runner is None:
            return
        try:
            if rt is not None:
                runner.run(rt.close())
        finally:
            runner.close()
            runtime.install(None, thread_local=True)

    def start_in_process(self) -> None:
        """Run a consumer inside the server process (the embedded default).

        Huey's Consumer.start() also installs signal handlers, which belong to
        the server, so the scheduler and worker threads are started directly.
        """
        consumer = self.huey.create_consumer(
            max_delay=self.settings.jobs_poll_max_delay,
            workers=self.settings.jobs_workers, worker_type="thread", periodic=True,
            check_worker_health=False,
        )
        consumer.scheduler.start()
        for _worker, thread in consumer.worker_threads:
            thread.start()
        self._consumer = consumer
        log.info("jobs_in_process_started", workers=self.settings.jobs_workers,
                 backend=self.settings.resolved_jobs_backend)

    def stop_in_process(self) -> None:
        if self._consumer is not None:
            self._consumer.stop(graceful=True)
            self._consumer = None

    def run_worker(self, workers: int | None = None) -> None:
        """Run a consumer in the foreground (`interviewd worker`)."""
        consumer = self.huey.create_consumer(
            max_delay=self.settings.jobs_poll_max_delay,
            workers=workers or self.settings.jobs_workers, worker_type="thread", periodic=True
        )
        consumer.run()
