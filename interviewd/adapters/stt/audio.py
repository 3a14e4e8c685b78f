"""Turning any recording into 16 kHz mono 16-bit PCM, which pocketsphinx reads.

A WAV already in that form is read with the standard library. Everything else
(WebM, MP4, Ogg, MP3, other WAVs) goes through ffmpeg: the one configured, else
the one on PATH, else the static binary the imageio-ffmpeg wheel ships.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from interviewd.adapters.stt.base import TranscriptionFailed

SAMPLE_RATE = 16000
BYTES_PER_SECOND = SAMPLE_RATE * 2


def ffmpeg_executable(configured: str | None = None) -> str:
    if configured:
        return configured
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg
    except ImportError:  # pragma: no cover - a dependency; only missing in broken installs
        raise TranscriptionFailed("ffmpeg is not available to decode this audio") from None
    return imageio_ffmpeg.get_ffmpeg_exe()


def _plain_wav(data: bytes) -> bytes | None:
    try:
        with wave.open(io.BytesIO(data)) as wav:
            if (wav.getframerate(), wav.getnchannels(), wav.getsampwidth(), wav.getcomptype()) == (
                SAMPLE_RATE, 1, 2, "NONE"):
                return wav.readframes(wav.getnframes())
    except (wave.Error, EOFError):
        return None
    return None


def to_pcm16k(audio: bytes | Path, *, ffmpeg: str | None = None, max_seconds: int | None = None) -> bytes:
    """Raw little-endian 16-bit mono samples at 16 kHz; raises TranscriptionFailed."""
    if isinstance(audio, bytes):
        pcm = _plain_wav(audio)
        if pcm is not None:
            return pcm[: max_seconds * BYTES_PER_SECOND] if max_seconds else pcm
        with tempfile.NamedTemporaryFile(suffix=".media") as tmp:
            tmp.write(audio)
            tmp.flush()
            return _ffmpeg_decode(Path(tmp.name), ffmpeg, max_seconds)
    return _ffmpeg_decode(Path(audio), ffmpeg, max_seconds)


def _ffmpeg_decode(path: Path, ffmpeg: str | None, max_seconds: int | None) -> bytes:
    command = [ffmpeg_executable(ffmpeg), "-nostdin", "-hide_banner", "-loglevel", "error",
               "-i", str(path), "-vn", "-ac", "1", "-ar", str(SAMPLE_RATE)]
    if max_seconds:
        command += ["-t", str(max_seconds)]
    command += ["-f", "s16le", "-acodec", "pcm_s16le", "-"]
    result = subprocess.run(command, capture_output=True, timeout=600, check=False)
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["decode failed"]
        raise TranscriptionFailed(f"cannot decode audio: {message[0][:300]}")
    if not result.stdout:
        raise TranscriptionFailed("the recording has no audio")
    return result.stdout
