"""The transcription job: queued with the upload, run by the production
executor, and measuring speech beside the client's own figures."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from interviewd import runtime
from interviewd.domain.recordings.service import TRANSCRIBE_JOB, recording_service
from interviewd.jobs import executor
from interviewd.models import Job
from interviewd.models.practice import PracticeDetails, Recording
from interviewd.models.session import InterviewSession
from tests.conftest import run_due_jobs
from tests.domain.recordings.conftest import CLIENT_METRICS, create_session
from tests.domain.recordings.speech import FILLER_SENTENCE, overlap, synthesise, wav_duration


async def load(session_uid: str) -> tuple[InterviewSession, PracticeDetails, list[Recording]]:
    async with runtime.current().sessionmaker() as session:
        row = await session.scalar(select(InterviewSession).where(InterviewSession.uid == session_uid))
        details = await session.get(PracticeDetails, row.id)
        recs = list(await session.scalars(select(Recording).where(Recording.session_id == row.id)))
        return row, details, recs


async def transcription_jobs() -> list[Job]:
    async with runtime.current().sessionmaker() as session:
        return list(await session.scalars(select(Job).where(Job.name == TRANSCRIBE_JOB)))


async def test_uploaded_speech_is_transcribed_and_measured(make_client, account, tmp_path: Path) -> None:
    client = await make_client(stt_backend="pocketsphinx")
    owner = await account(client)
    session_uid = await create_session(owner.uid)
    wav = synthesise(FILLER_SENTENCE, tmp_path / "speech.wav")

    answer = await owner.upload(session_uid, wav.read_bytes(), filename="speech.txt")
    assert answer.status_code == 201, answer.text
    assert answer.json()["transcriptStatus"] == "pending"
    [job] = await transcription_jobs()
    assert job.payload == {"recordingId": answer.json()["_id"]} and job.status == "pending"

    await run_due_jobs()
    assert [j.status for j in await transcription_jobs()] == ["done"]

    row, details, [recording] = await load(session_uid)
    assert recording.transcript_status == "done"
    assert overlap(FILLER_SENTENCE, recording.transcript) >= 0.4, recording.transcript
    assert recording.duration_seconds == pytest.approx(wav_duration(wav), abs=0.05)
    measured = details.measured_metrics
    assert set(measured) == {"source", "speechPaceWpm", "fillerWordFrequency", "words", "durationSeconds",
                             "measuredAt"}
    assert measured["source"] == "server"
    spoken_wpm = len(FILLER_SENTENCE.split()) / (wav_duration(wav) / 60)
    assert measured["speechPaceWpm"] == pytest.approx(spoken_wpm, rel=0.4)
    assert 0 < measured["fillerWordFrequency"] < 1
    assert measured["measuredAt"].endswith("Z")
    assert recording.measured["speechPaceWpm"] == measured["speechPaceWpm"]
    assert details.metrics == CLIENT_METRICS  # the client's figures stay as they were

    # The transcript now has its own signed link, served as text.
    async with runtime.current().sessionmaker() as session:
        links = await recording_service.links_for_session(session, session_id=row.id)
    assert links["audioUrl"] and links["videoUrl"] is None
    text = await client.get(urlsplit(links["transcriptUrl"]).path)
    assert text.status_code == 200 and text.headers["content-type"] == "text/plain; charset=utf-8"
    assert text.text == recording.transcript

    assert await run_due_jobs() == []  # nothing left, and a rerun would change nothing


async def test_audio_that_cannot_be_decoded_is_marked_failed(make_client, account) -> None:
    client = await make_client(stt_backend="pocketsphinx")
    owner = await account(client)
    session_uid = await create_session(owner.uid)
    # A WebM signature with nothing playable behind it.
    answer = await owner.upload(session_uid, b"\x1a\x45\xdf\xa3" + b"webm" + b"\x00" * 200)
    assert answer.status_code == 201

    await run_due_jobs()
    assert [j.status for j in await transcription_jobs()] == ["done"]
    _, details, [recording] = await load(session_uid)
    assert recording.transcript_status == "failed" and recording.transcript is None
    assert details.measured_metrics is None


async def test_no_job_without_speech_to_text(make_client, account, tmp_path: Path) -> None:
    client = await make_client(stt_backend="none")
    owner = await account(client)
    session_uid = await create_session(owner.uid)
    answer = await owner.upload(session_uid, synthesise("hello", tmp_path / "h.wav").read_bytes())
    assert answer.status_code == 201 and answer.json()["transcriptStatus"] == "none"
    assert await transcription_jobs() == []


async def test_a_transcription_that_never_succeeds_ends_failed_not_pending(make_client, account,
                                                                            tmp_path: Path) -> None:
    from tests.adapters.servers import free_port

    # A speech-to-text service that is never reachable: every attempt errors, the last one gives up.
    client = await make_client(stt_backend="openai", stt_api_key="k",
                               stt_base_url=f"http://127.0.0.1:{free_port()}/v1", stt_timeout=2.0)
    owner = await account(client)
    session_uid = await create_session(owner.uid)
    answer = await owner.upload(session_uid, synthesise("hello there", tmp_path / "h.wav").read_bytes())
    assert answer.status_code == 201
    [job] = await transcription_jobs()
    async with runtime.current().sessionmaker() as session:  # straight to its last attempt
        await session.execute(update(Job).where(Job.id == job.id).values(attempts=job.max_attempts - 1))
        await session.commit()

    _, _, [recording] = await load(session_uid)
    assert recording.transcript_status == "pending"
    assert await executor.execute(job.id) == executor.Outcome("dead")
    [job] = await transcription_jobs()
    assert job.status == "dead" and job.last_error
    _, _, [recording] = await load(session_uid)
    assert recording.transcript_status == "failed" and recording.transcript is None
    assert recording.measured["error"]
