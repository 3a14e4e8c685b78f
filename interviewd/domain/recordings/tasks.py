from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.recordings.service import TRANSCRIBE_JOB, recording_service
from interviewd.kit.jobs import job_handler, on_job_dead


@job_handler(TRANSCRIBE_JOB)
async def transcribe_recording(session: AsyncSession, payload: dict) -> None:
    await recording_service.transcribe(session, recording_uid=payload["recordingId"])


@on_job_dead(TRANSCRIBE_JOB)
async def transcription_gave_up(session: AsyncSession, payload: dict, error: str) -> None:
    await recording_service.mark_transcription_failed(session, recording_uid=payload["recordingId"],
                                                      error=error)
