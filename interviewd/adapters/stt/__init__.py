"""The speech-to-text port: pocketsphinx offline, or an OpenAI-compatible API."""

from __future__ import annotations

from interviewd.adapters.stt.base import SpeechToText, Transcript, TranscriptionFailed, Word
from interviewd.config import Settings

__all__ = ["SpeechToText", "Transcript", "TranscriptionFailed", "Word", "create_stt"]


def create_stt(settings: Settings) -> SpeechToText | None:
    """The configured backend, or None when transcription is turned off."""
    if settings.stt_backend == "none":
        return None
    if settings.stt_backend == "openai":
        from interviewd.adapters.stt.openai import OpenAISTT

        return OpenAISTT(base_url=settings.stt_base_url, api_key=settings.stt_api_key,
                         model=settings.stt_model, timeout=settings.stt_timeout,
                         language=settings.stt_language)
    from interviewd.adapters.stt.pocketsphinx import PocketSphinxSTT

    return PocketSphinxSTT(ffmpeg=settings.ffmpeg_path, max_seconds=settings.stt_max_seconds)
