"""Recordings of practice sessions: upload through the storage port, signed
expiring links, and the speech figures the server measures from them."""

from __future__ import annotations

import os
import tempfile
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import structlog
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.adapters.storage import ObjectNotFound, Storage, create_storage
from interviewd.adapters.stt import SpeechToText, TranscriptionFailed, create_stt
from interviewd.domain.recordings.repository import recording_repository
from interviewd.domain.recordings.sniff import HEAD_BYTES, media_type_with_kind, sniff
from interviewd.domain.recordings.speech import speech_metrics
from interviewd.errors import DomainError, ErrorCode, Forbidden, NotFound, ValidationFailed
from interviewd.kit.clock import isoformat_z, utcnow
from interviewd.kit.ids import new_uid
from interviewd.kit.jobs import enqueue
from interviewd.kit.principal import Principal
from interviewd.models.practice import Recording
from interviewd.models.session import InterviewSession, SessionKind

log = structlog.get_logger(__name__)

TRANSCRIBE_JOB = "transcribe_recording"
MEDIA_KINDS = ("video", "audio")
# Signed links are only good for fetching files; the salt keeps them from
# verifying anywhere else the secret key signs something.
_FILE_SALT = "interviewd.files.v1"


class PayloadTooLarge(DomainError):
    code = ErrorCode.PAYLOAD_TOO_LARGE


class UnsupportedMediaType(DomainError):
    code = ErrorCode.UNSUPPORTED_MEDIA_TYPE


@dataclass(frozen=True)
class FileAnswer:
    """How to answer a signed link: a local file, a redirect, or bytes."""

    content_type: str
    filename: str
    path: Path | None = None
    redirect_url: str | None = None
    content: bytes | None = None


def storage() -> Storage:
    rt = runtime.current()
    store = rt.extras.get("storage")
    if store is None:
        store = rt.extras["storage"] = create_storage(rt.settings)
    return store


def speech_to_text() -> SpeechToText | None:
    rt = runtime.current()
    if "stt" not in rt.extras:
        rt.extras["stt"] = create_stt(rt.settings)
    return rt.extras["stt"]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(runtime.current().settings.secret_key, salt=_FILE_SALT)


def _file_size(file: BinaryIO) -> int:
    position = file.tell()
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(position)
    return size


class RecordingService:
    async def upload(
        self,
        session: AsyncSession,
        principal: Principal,
        *,
        session_uid: str,
        file: BinaryIO,
        kind: str | None = None,
    ) -> Recording:
        """Store a recording of the caller's own practice session.

        The type is judged from the file's first bytes. A recording with sound
        is queued for transcription when this transaction commits.
        """
        settings = runtime.current().settings
        owned = await self._owned_practice_session(session, principal, session_uid)
        if kind is not None and kind not in MEDIA_KINDS:
            raise ValidationFailed("kind must be video or audio", field="kind", details={"value": kind})
        size = _file_size(file)
        if size > settings.recording_max_bytes:
            raise PayloadTooLarge(
                f"Recording is larger than the limit of {settings.recording_max_bytes} bytes",
                field="file", details={"limit": settings.recording_max_bytes, "size": size},
            )
        if size == 0:
            raise ValidationFailed("The uploaded file is empty", field="file")
        start = file.tell()
        head = file.read(HEAD_BYTES)
        file.seek(start)
        media = sniff(head)
        if media is None:
            raise UnsupportedMediaType(
                "Unsupported recording type: expected WebM, Matroska, MP4, MOV, M4A, Ogg, WAV or MP3",
                field="file",
            )
        media_kind = kind or media.kind
        content_type = media_type_with_kind(media, media_kind)
        recording_uid = new_uid()
        key = f"recordings/{owned.uid}/{recording_uid}.{media.extension}"
        stored = await storage().put(key, file, content_type)
        stt_enabled = settings.stt_backend != "none"
        recording = Recording(
            uid=recording_uid, session_id=owned.id, user_id=owned.user_id, media_kind=media_kind,
            content_type=content_type, size_bytes=stored.size, storage_key=key,
            transcript_status="pending" if stt_enabled else "none",
        )
        try:
            await recording_repository.add(session, recording)
            if stt_enabled:
                await enqueue(session, TRANSCRIBE_JOB, {"recordingId": recording.uid}, max_attempts=3)
        except BaseException:
            await storage().delete(key)
            raise
        log.info("recording_stored", recording=recording.uid, session=owned.uid, size=stored.size,
                 content_type=content_type)
        return recording

    async def _owned_practice_session(self, session: AsyncSession, principal: Principal,
                                      session_uid: str) -> InterviewSession:
        found = await recording_repository.session_by_uid(session, session_uid)
        # Someone else's session answers exactly like a missing one.
        if found is None or found.user_id != principal.user_id:
            raise NotFound("Session not found")
        if found.kind != SessionKind.PRACTICE.value:
            raise ValidationFailed("Recordings can only be uploaded to practice sessions",
                                   field="sessionId")
        return found

    def signed_url(self, recording: Recording, *, part: str = "media") -> str:
        """An absolute link to the recording (or its transcript) that expires
        after INTERVIEWD_SIGNED_URL_TTL seconds."""
        token = _serializer().dumps({"r": recording.uid, "p": part})
        base = runtime.current().settings.public_base_url.rstrip("/")
        return f"{base}/api/files/{token}"

    def describe(self, recording: Recording) -> dict:
        """The recording as /api shows it."""
        return {
            "_id": recording.uid,
            "kind": recording.media_kind,
            "contentType": recording.content_type,
            "size": recording.size_bytes,
            "url": self.signed_url(recording),
            "transcriptStatus": recording.transcript_status,
            "createdAt": isoformat_z(recording.created_at),
        }

    async def links_for_session(self, session: AsyncSession, *, session_id: int) -> dict | None:
        """001's `recording` object of a session (by its integer id):
        {videoUrl, audioUrl, transcriptUrl}, each a signed link or None; None
        when the session has no recording. The caller has checked access."""
        recordings = await recording_repository.for_session(session, session_id)
        if not recordings:
            return None
        latest: dict[str, Recording] = {}
        transcript: Recording | None = None
        for recording in recordings:
            latest[recording.media_kind] = recording
            if recording.transcript_status == "done" and recording.transcript is not None:
                transcript = recording
        return {
            "videoUrl": self.signed_url(latest["video"]) if "video" in latest else None,
            "audioUrl": self.signed_url(latest["audio"]) if "audio" in latest else None,
            "transcriptUrl": self.signed_url(transcript, part="transcript") if transcript else None,
        }

    async def resolve_file(self, session: AsyncSession, *, token: str) -> FileAnswer:
        """What a signed link serves. Expired links are 403; forged or stale ones 404."""
        settings = runtime.current().settings
        try:
            claims = _serializer().loads(token, max_age=settings.signed_url_ttl)
        except SignatureExpired:
            raise Forbidden("This link has expired") from None
        except BadSignature:
            raise NotFound("File not found") from None
        recording = await recording_repository.by_uid(session, str(claims.get("r")))
        if recording is None:
            raise NotFound("File not found")
        if claims.get("p") == "transcript":
            if recording.transcript is None:
                raise NotFound("File not found")
            return FileAnswer(content_type="text/plain; charset=utf-8",
                              filename=f"{recording.uid}.txt", content=recording.transcript.encode())
        store = storage()
        filename = recording.storage_key.rsplit("/", 1)[-1]
        path = store.local_path(recording.storage_key)
        if path is not None:
            return FileAnswer(content_type=recording.content_type, filename=filename, path=path)
        url = await store.presigned_url(recording.storage_key, expires_in=settings.signed_url_ttl,
                                        content_type=recording.content_type, filename=filename)
        if url is None:
            raise NotFound("File not found")
        return FileAnswer(content_type=recording.content_type, filename=filename, redirect_url=url)

    async def transcribe(self, session: AsyncSession, *, recording_uid: str) -> None:
        """Transcribe one recording and store what the server measured.

        Audio that cannot be decoded marks the recording failed; any other
        error propagates so that the job is retried."""
        recording = await recording_repository.by_uid(session, recording_uid)
        if recording is None or recording.transcript_status != "pending":
            return
        stt = speech_to_text()
        if stt is None:
            recording.transcript_status = "none"
            await session.flush()
            return
        try:
            async with self._local_copy(recording) as path:
                transcript = await stt.transcribe(path, recording.content_type)
        except TranscriptionFailed as exc:
            log.warning("transcription_failed", recording=recording.uid, error=str(exc))
            recording.transcript_status = "failed"
            recording.measured = {"source": "server", "error": str(exc)[:300]}
            await session.flush()
            return
        except ObjectNotFound:
            recording.transcript_status = "failed"
            recording.measured = {"source": "server", "error": "the stored file is missing"}
            await session.flush()
            return
        figures = {"source": "server", **speech_metrics(transcript.text, transcript.duration_seconds),
                   "engine": stt.name, "measuredAt": isoformat_z(utcnow())}
        recording.transcript = transcript.text
        recording.duration_seconds = transcript.duration_seconds
        recording.transcript_status = "done"
        recording.measured = figures
        await session.flush()
        await self.record_measured_metrics(session, session_id=recording.session_id, figures=figures)

    async def mark_transcription_failed(self, session: AsyncSession, *, recording_uid: str,
                                        error: str) -> None:
        """The transcription job gave up after its last attempt: say so rather
        than leave the recording pending forever."""
        recording = await recording_repository.by_uid(session, recording_uid)
        if recording is None or recording.transcript_status != "pending":
            return
        recording.transcript_status = "failed"
        recording.measured = {"source": "server", "error": error[:300]}
        await session.flush()

    async def record_measured_metrics(self, session: AsyncSession, *, session_id: int,
                                      figures: dict) -> None:
        """Keep the server's figures in the session's measured_metrics, beside
        (never over) the ones the client submitted."""
        public = {k: figures[k] for k in ("source", "speechPaceWpm", "fillerWordFrequency", "words",
                                          "durationSeconds", "measuredAt") if k in figures}
        await recording_repository.set_measured_metrics(session, session_id=session_id, figures=public)

    @asynccontextmanager
    async def _local_copy(self, recording: Recording):
        store = storage()
        path = store.local_path(recording.storage_key)
        if path is not None:
            yield path
            return
        # A remote object is copied to a temporary file in chunks for the decoder.
        import asyncio
        import shutil

        stream = await store.open(recording.storage_key)
        with tempfile.NamedTemporaryFile(suffix="." + recording.storage_key.rsplit(".", 1)[-1]) as tmp:
            try:
                await asyncio.to_thread(shutil.copyfileobj, stream, tmp, 1024 * 1024)
            finally:
                stream.close()
            tmp.flush()
            yield Path(tmp.name)


recording_service = RecordingService()
