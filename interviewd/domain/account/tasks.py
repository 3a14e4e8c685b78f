from __future__ import annotations

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.adapters.storage import InvalidKey
from interviewd.domain.account.files import DELETE_FILES_JOB
from interviewd.domain.recordings.service import storage
from interviewd.kit.jobs import job_handler

log = structlog.get_logger(__name__)


@job_handler(DELETE_FILES_JOB)
async def delete_files(session: AsyncSession, payload: dict) -> None:
    """Deleting a missing object is not an error, so a retried job is harmless;
    any other storage error fails the job and it is retried."""
    store = storage()
    for key in payload.get("keys", []):
        try:
            await store.delete(key)
        except InvalidKey:
            log.warning("delete_files_invalid_key", key=key)
