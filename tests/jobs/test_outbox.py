"""Outbox semantics: an e-mail leaves the core only if its transaction commits."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.domain.notifications.service import notification_service
from interviewd.errors import Unauthorized
from interviewd.models import Job, JobStatus
from tests.conftest import run_due_jobs


class Boom(Exception):
    pass


async def _jobs() -> list[Job]:
    async with runtime.current().sessionmaker() as session:
        return list(await session.scalars(select(Job)))


def _queued() -> int:
    """Job ids handed to the (memory) queue so far."""
    return runtime.current().queue.huey.pending_count()


async def _send(session, to: str = "someone@example.com") -> str:
    return await notification_service.send_email(
        session, to=to, template="welcome", context={"name": "Sam", "email": to, "pending": False}
    )


async def test_rolled_back_transaction_leaves_no_job_and_dispatches_nothing(client):
    queued = _queued()
    with pytest.raises(Boom):
        async with unit_of_work(runtime.current().sessionmaker) as session:
            await _send(session)
            # The row exists inside the transaction...
            assert len(list(await session.scalars(select(Job)))) == 1
            raise Boom
    # ...and is gone with it, and nothing was handed to the queue.
    assert await _jobs() == []
    assert _queued() == queued
    assert await run_due_jobs() == []


async def test_committed_transaction_leaves_a_pending_job_dispatched_once(client):
    queued = _queued()
    async with unit_of_work(runtime.current().sessionmaker) as session:
        message_id = await _send(session, to="kept@example.com")
        # Not dispatched before the commit: a worker must never see an uncommitted id.
        assert _queued() == queued
    [job] = await _jobs()
    assert job.status == JobStatus.PENDING.value and job.attempts == 0
    assert job.name == "send_email"
    assert job.payload["to"] == ["kept@example.com"] and job.payload["message_id"] == message_id
    assert _queued() == queued + 1


async def test_error_that_persists_its_writes_also_sends_its_mail(client):
    queued = _queued()
    with pytest.raises(Unauthorized):
        async with unit_of_work(runtime.current().sessionmaker) as session:
            await _send(session)
            raise Unauthorized("signed out everywhere", persist=True)
    [job] = await _jobs()
    assert job.status == JobStatus.PENDING.value
    assert _queued() == queued + 1


async def test_failed_registration_sends_no_welcome_mail(client):
    first = await client.post("/api/auth/register",
                              json={"email": "twice@example.com", "password": "Correct-Horse-42"})
    assert first.status_code == 201
    queued = _queued()
    again = await client.post("/api/auth/register",
                              json={"email": "twice@example.com", "password": "Correct-Horse-42"})
    assert again.status_code == 409
    assert len(await _jobs()) == 1
    assert _queued() == queued
