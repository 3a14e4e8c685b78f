"""Speech pace and filler words, computed from a transcript.

Fillers: the single words in FILLER_WORDS and the phrases in FILLER_PHRASES.
A phrase counts as one filler (and its words still count as words); phrases
are matched first, left to right, without overlap. Words are the transcript's
tokens after lower-casing and stripping punctuation (apostrophes kept).
"""

from __future__ import annotations

import re

FILLER_WORDS = frozenset({
    "um", "umm", "uh", "uhm", "er", "erm", "ah", "hmm", "mm", "like", "so", "actually",
    "basically", "literally", "honestly", "right", "okay",
})
FILLER_PHRASES = (("you", "know"), ("i", "mean"), ("kind", "of"), ("sort", "of"))

_TOKEN = re.compile(r"[a-z0-9']+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def count_fillers(words: list[str]) -> int:
    count, i = 0, 0
    while i < len(words):
        phrase = next((p for p in FILLER_PHRASES if tuple(words[i:i + len(p)]) == p), None)
        if phrase:
            count += 1
            i += len(phrase)
            continue
        if words[i] in FILLER_WORDS:
            count += 1
        i += 1
    return count


def speech_metrics(text: str, duration_seconds: float) -> dict:
    """{speechPaceWpm, fillerWordFrequency, words, fillers, durationSeconds}."""
    words = tokens(text)
    fillers = count_fillers(words)
    minutes = duration_seconds / 60 if duration_seconds and duration_seconds > 0 else 0
    return {
        "speechPaceWpm": round(len(words) / minutes, 1) if minutes else 0.0,
        "fillerWordFrequency": round(fillers / len(words), 4) if words else 0.0,
        "words": len(words),
        "fillers": fillers,
        "durationSeconds": round(float(duration_seconds or 0), 3),
    }
