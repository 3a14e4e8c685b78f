"""`interviewd worker` as its own process, against the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.domain.notifications.service import notification_service
from interviewd.kit.clock import utcnow
from interviewd.models import Job, JobStatus
from tests.adapters.servers import SmtpSink, wait_until
from tests.conftest import register


def _start_worker(*, database_url: str, data_dir: Path, smtp: SmtpSink, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWD_")}
    env.update(
        INTERVIEWD_DATABASE_URL=database_url,
        INTERVIEWD_DATA_DIR=str(data_dir),
        INTERVIEWD_SECRET_KEY="test-secret-key-that-is-long-enough-for-hs256",
        INTERVIEWD_JOBS_BACKEND="sqlite",
        INTERVIEWD_EMAIL_BACKEND="smtp",
        INTERVIEWD_SMTP_HOST=smtp.host,
        INTERVIEWD_SMTP_PORT=str(smtp.port),
        INTERVIEWD_LOG_LEVEL="INFO",
    )
    with log.open("wb") as out:
        # cwd: no stray .env is read.
        return subprocess.Popen([sys.executable, "-m", "interviewd.cli", "worker", "--workers", "2"],
                                env=env, cwd=data_dir, stdout=out, stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGINT)  # Huey's graceful stop
    try:
        return process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
        raise


async def _job_ids() -> list[str]:
    async with runtime.current().sessionmaker() as session:
        return list(await session.scalars(select(Job.id)))


async def _statuses() -> list[str]:
    async with runtime.current().sessionmaker() as session:
        return sorted(await session.scalars(select(Job.status)))


async def test_worker_process_delivers_mail_committed_while_no_worker_ran(
    make_client, database_url, smtp_sink, tmp_path
):
    # The server shares the worker's queue file but runs no consumer itself.
    data_dir = tmp_path / "data"
    client = await make_client(jobs_backend="sqlite", jobs_in_process=False, data_dir=data_dir)

    # One mail reached the queue before any worker existed...
    queued = await register(client, name="Queued")
    # ...and one was committed by a process that died before dispatching it,
    # some minutes ago.
    [queued_id] = await _job_ids()
    async with unit_of_work(runtime.current().sessionmaker) as session:
        await notification_service.send_email(
            session, to="orphan@example.com", template="welcome",
            context={"name": "Orphan", "email": "orphan@example.com", "pending": False},
        )
        session.info.pop("after_commit")
    [orphan_id] = set(await _job_ids()) - {queued_id}
    async with runtime.current().sessionmaker() as session:
        await session.execute(update(Job).where(Job.id == orphan_id)
                              .values(run_at=utcnow() - timedelta(minutes=5)))
        await session.commit()
    assert await _statuses() == [JobStatus.PENDING.value] * 2
    assert smtp_sink.messages == []

    log = tmp_path / "worker.log"
    process = _start_worker(database_url=database_url, data_dir=data_dir, smtp=smtp_sink, log=log)
    try:
        [orphan] = await smtp_sink.wait_for("orphan@example.com", timeout=30)
        [welcome] = await smtp_sink.wait_for(queued["email"], timeout=30)
        assert await wait_until(_all_done, timeout=10), log.read_text()
    finally:
        code = _stop(process)
    output = log.read_text()
    assert process.returncode is not None and code == 0, output
    assert orphan.message["Subject"] == "Welcome to interviewd, Orphan"
    assert welcome.message["Subject"] == "Welcome to interviewd, Queued"
    assert len(smtp_sink.messages) == 2
    assert '"event": "jobs_recovered"' in output


async def _all_done() -> bool:
    return await _statuses() == [JobStatus.DONE.value] * 2
