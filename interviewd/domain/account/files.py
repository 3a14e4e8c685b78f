"""Stored files an account leaves behind (a replaced avatar, an erased
account's recordings) are deleted by an outbox job: it is written in the
transaction that stops referring to them, so a rollback keeps the files and a
crash after the commit still deletes them (the job is retried)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.kit.jobs import enqueue

DELETE_FILES_JOB = "storage.delete_files"


async def queue_deletion(session: AsyncSession, keys: list[str]) -> None:
    """Delete these storage keys once the current transaction commits."""
    keys = sorted({k for k in keys if k})
    if keys:
        await enqueue(session, DELETE_FILES_JOB, {"keys": keys})
