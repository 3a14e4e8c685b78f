"""The Resend backend against a Resend-shaped HTTP server on loopback, and
what the job runner does when the provider fails."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from interviewd import runtime
from interviewd.jobs import executor
from interviewd.kit.clock import utcnow
from interviewd.models import Job, JobStatus
from tests.adapters.servers import FakeResend
from tests.conftest import register, run_due_jobs

API_KEY = "re_test_key_123"
FROM = "interviewd <no-reply@interviewd.test>"


async def _resend_client(make_client, fake: FakeResend, **overrides):
    return await make_client(email_backend="resend", resend_api_key=API_KEY,
                             resend_base_url=fake.base_url, email_from=FROM, **overrides)


async def _only_job() -> Job:
    async with runtime.current().sessionmaker() as session:
        [job] = list(await session.scalars(select(Job)))
        return job


async def _make_due(job_id: str) -> None:
    """Time passes: the retry's run_at arrives."""
    async with runtime.current().sessionmaker() as session:
        await session.execute(update(Job).where(Job.id == job_id).values(run_at=utcnow()))
        await session.commit()


async def test_mail_is_posted_to_resend_with_key_and_idempotency_key(make_client, fake_resend):
    client = await _resend_client(make_client, fake_resend)
    account = await register(client, name="Linus")
    assert fake_resend.requests == []

    assert await run_due_jobs() == ["done"]
    [request] = fake_resend.requests
    assert (request.method, request.path) == ("POST", "/emails")
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["content-type"] == "application/json"
    body = request.body
    assert body["from"] == FROM
    assert body["to"] == [account["email"]]
    assert body["subject"] == "Welcome to interviewd, Linus"
    assert "Hello Linus" in body["text"]
    assert "Welcome, Linus" in body["html"]
    message_id = body["headers"]["Message-ID"]
    assert message_id.startswith("<") and message_id.endswith("@interviewd>")
    assert request.headers["idempotency-key"] == message_id

    job = await _only_job()
    assert (job.status, job.attempts, job.last_error) == (JobStatus.DONE.value, 1, None)


async def test_provider_error_is_retried_with_backoff_then_succeeds_once(make_client, fake_resend):
    client = await _resend_client(make_client, fake_resend, job_retry_base_delay=30.0)
    await register(client)
    fake_resend.script = [500]

    before = utcnow()
    assert await run_due_jobs() == ["retry"]
    after = utcnow()
    job = await _only_job()
    assert job.status == JobStatus.PENDING.value
    assert job.attempts == 1
    assert before + timedelta(seconds=30) <= job.run_at <= after + timedelta(seconds=30)
    assert job.locked_until is None and job.finished_at is None
    assert "Resend answered 500" in job.last_error

    # Not due yet: a worker handed the id early leaves it alone.
    assert (await executor.execute(job.id)).status == "skipped"
    assert len(fake_resend.requests) == 1

    await _make_due(job.id)
    assert await run_due_jobs() == ["done"]
    first, second = fake_resend.requests
    # The retry is the same message: the provider can drop the duplicate.
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"]
    assert first.body == second.body
    job = await _only_job()
    assert (job.status, job.attempts, job.last_error) == (JobStatus.DONE.value, 2, None)


async def test_job_is_dead_after_max_attempts(make_client, fake_resend):
    client = await _resend_client(make_client, fake_resend, job_max_attempts=3,
                                  job_retry_base_delay=10.0)
    await register(client)
    fake_resend.script = [500, 502, 503, 500]

    outcomes = []
    for _ in range(3):
        job = await _only_job()
        await _make_due(job.id)
        outcomes.append((await executor.execute(job.id)).status)
    assert outcomes == ["retry", "retry", "dead"]

    job = await _only_job()
    assert job.status == JobStatus.DEAD.value
    assert job.attempts == 3 and job.max_attempts == 3
    assert "Resend answered 503" in job.last_error
    assert job.finished_at is not None and job.locked_until is None
    assert len(fake_resend.requests) == 3

    # A dead job stays dead: neither a worker nor recovery picks it up again.
    assert (await executor.execute(job.id)).status == "skipped"
    assert job.id not in [job_id for job_id, _ in await executor.overdue_job_ids(grace_seconds=0)]
    assert len(fake_resend.requests) == 3


async def test_unreachable_provider_is_a_retry(make_client, fake_resend):
    client = await _resend_client(make_client, fake_resend)
    fake_resend.stop()
    await register(client)
    assert await run_due_jobs() == ["retry"]
    job = await _only_job()
    assert job.status == JobStatus.PENDING.value
    assert job.last_error.startswith("EmailDeliveryError: Resend unreachable")
