"""Speech synthesised with espeak-ng, so that tests know exactly what was said."""

from __future__ import annotations

import os
import shutil
import subprocess
import wave
from pathlib import Path

import pytest

FILLER_SENTENCE = "um so basically the project was late and um we fixed it"
CLEAN_SENTENCE = "the project was late and we fixed it before the deadline"
# A voice and rate the bundled English model recognises reasonably well.
VOICE = "en-us+f2"
RATE_WPM = 135


def require_espeak() -> str:
    found = shutil.which("espeak-ng")
    if found:
        return found
    message = "espeak-ng is not installed (scripts/test installs it: apt-get install espeak-ng)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def synthesise(text: str, path: Path, *, rate: int = RATE_WPM) -> Path:
    """A WAV of `text` spoken at `rate` words per minute."""
    subprocess.run([require_espeak(), "-v", VOICE, "-s", str(rate), "-w", str(path), text],
                   check=True, capture_output=True)
    return path


def wav_duration(path: Path) -> float:
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


def overlap(expected: str, got: str) -> float:
    """Share of the expected distinct words that appear in the transcript."""
    want = set(expected.split())
    return len(want & set(got.lower().split())) / len(want)
