"""The speech-to-text port."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path


class TranscriptionFailed(Exception):
    """The audio cannot be transcribed, and trying again will not change that
    (no audio stream, an undecodable file). Transient failures raise others."""


@dataclass(frozen=True)
class Word:
    word: str
    start: float  # seconds from the start of the audio
    end: float


@dataclass(frozen=True)
class Transcript:
    text: str
    duration_seconds: float
    words: list[Word] = field(default_factory=list)  # empty when the backend gives no timings


class SpeechToText(ABC):
    name: str

    @abstractmethod
    async def transcribe(self, audio: bytes | Path, content_type: str) -> Transcript:
        """Transcribe a whole recording (bytes, or a file on this machine)."""
