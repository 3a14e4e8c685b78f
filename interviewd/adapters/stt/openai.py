"""Any OpenAI-compatible `/audio/transcriptions` endpoint (OpenAI, Groq,
faster-whisper servers, LocalAI, ...)."""

from __future__ import annotations

from pathlib import Path

import httpx

from interviewd.adapters.stt.base import SpeechToText, Transcript, TranscriptionFailed, Word

_EXTENSIONS = {"audio/wav": "wav", "audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/ogg": "ogg",
               "audio/webm": "webm", "video/webm": "webm", "video/mp4": "mp4", "video/quicktime": "mov",
               "video/x-matroska": "mkv", "video/ogg": "ogg"}


class OpenAISTT(SpeechToText):
    name = "openai"

    def __init__(self, *, base_url: str, api_key: str | None, model: str, timeout: float = 300.0,
                 language: str | None = None) -> None:
        self.url = base_url.rstrip("/") + "/audio/transcriptions"
        self.api_key = api_key
        self.model = model
        self.timeout = timeout
        self.language = language

    async def transcribe(self, audio: bytes | Path, content_type: str) -> Transcript:
        data = {"model": self.model, "response_format": "verbose_json",
                "timestamp_granularities[]": "word"}
        if self.language:
            data["language"] = self.language
        filename = "audio." + _EXTENSIONS.get(content_type, "bin")
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        handle = None
        try:
            if isinstance(audio, Path):
                handle = audio.open("rb")  # httpx streams a file object instead of loading it
                upload = handle
            else:
                upload = audio
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.post(self.url, data=data, headers=headers,
                                             files={"file": (filename, upload, content_type)})
        finally:
            if handle is not None:
                handle.close()
        if response.status_code in (400, 413, 415, 422):
            raise TranscriptionFailed(f"transcription refused ({response.status_code}): "
                                      f"{response.text[:300]}")
        response.raise_for_status()  # 401/429/5xx: worth retrying later
        body = response.json()
        words = [Word(str(w.get("word", "")).strip(), float(w.get("start", 0)), float(w.get("end", 0)))
                 for w in body.get("words") or [] if str(w.get("word", "")).strip()]
        duration = body.get("duration")
        if duration is None:
            duration = words[-1].end if words else 0.0
        return Transcript(text=str(body.get("text", "")).strip(), duration_seconds=float(duration),
                          words=words)
