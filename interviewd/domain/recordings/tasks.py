from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.recordings.service import TRANSCRIBE_JOB, recording_service
from interviewd.kit.jobs import job_handler


@job_handler(TRANSCRIBE_JOB)
async def transcribe_recording(session: AsyncSession, payload: dict) -> None:
    await recording_service.transcribe(session, recording_uid=payload["recordingId"])
