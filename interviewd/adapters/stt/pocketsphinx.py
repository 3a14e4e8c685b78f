"""Offline English speech recognition with CMU PocketSphinx and the model its
wheel ships. Good enough to count words and fillers; not a dictation engine."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from interviewd.adapters.stt.audio import BYTES_PER_SECOND, SAMPLE_RATE, to_pcm16k
from interviewd.adapters.stt.base import SpeechToText, Transcript, Word

FRAMES_PER_SECOND = 100  # pocketsphinx's default frame rate
_NOT_WORDS = {"<s>", "</s>", "<sil>"}


def _clean(word: str) -> str | None:
    # Alternative pronunciations come back as "the(2)"; noises as "[NOISE]".
    if word in _NOT_WORDS or word.startswith("[") or word.startswith("+"):
        return None
    return word.split("(", 1)[0]


class PocketSphinxSTT(SpeechToText):
    name = "pocketsphinx"

    def __init__(self, *, ffmpeg: str | None = None, max_seconds: int | None = None) -> None:
        self.ffmpeg = ffmpeg
        self.max_seconds = max_seconds
        self._decoder = None
        # A decoder holds one utterance at a time; loading the model is the slow part.
        self._lock = threading.Lock()

    async def transcribe(self, audio: bytes | Path, content_type: str) -> Transcript:
        return await asyncio.to_thread(self._transcribe, audio)

    def _transcribe(self, audio: bytes | Path) -> Transcript:
        pcm = to_pcm16k(audio, ffmpeg=self.ffmpeg, max_seconds=self.max_seconds)
        duration = len(pcm) / BYTES_PER_SECOND
        with self._lock:
            decoder = self._get_decoder()
            decoder.start_utt()
            decoder.process_raw(pcm, no_search=False, full_utt=True)
            decoder.end_utt()
            hypothesis = decoder.hyp()
            segments = list(decoder.seg()) if hypothesis is not None else []
        words = []
        for seg in segments:
            word = _clean(seg.word)
            if word:
                words.append(Word(word, seg.start_frame / FRAMES_PER_SECOND,
                                  (seg.end_frame + 1) / FRAMES_PER_SECOND))
        return Transcript(text=" ".join(w.word for w in words), duration_seconds=duration, words=words)

    def _get_decoder(self):
        if self._decoder is None:
            from pocketsphinx import Decoder

            self._decoder = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL")
        return self._decoder
