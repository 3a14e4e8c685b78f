from __future__ import annotations

import pytest

from interviewd.domain.recordings.sniff import media_type_with_kind, sniff
from interviewd.domain.recordings.speech import count_fillers, speech_metrics, tokens
from tests.domain.recordings.media import (
    M4A,
    MATROSKA,
    MOV,
    MP3_FRAME,
    MP3_ID3,
    MP4,
    OGG,
    PNG,
    WEBM,
    silent_wav,
)


@pytest.mark.parametrize(("head", "content_type", "kind"), [
    (WEBM, "video/webm", "video"), (MATROSKA, "video/x-matroska", "video"), (MP4, "video/mp4", "video"),
    (MOV, "video/quicktime", "video"), (M4A, "audio/mp4", "audio"), (OGG, "audio/ogg", "audio"),
    (silent_wav(), "audio/wav", "audio"), (MP3_ID3, "audio/mpeg", "audio"),
    (MP3_FRAME, "audio/mpeg", "audio"),
])
def test_formats_are_known_by_their_first_bytes(head: bytes, content_type: str, kind: str) -> None:
    media = sniff(head[:64])
    assert media is not None and (media.content_type, media.kind) == (content_type, kind)


@pytest.mark.parametrize("head", [PNG, b"", b"RIFF\x00\x00\x00\x00AVI LIST", b"%PDF-1.7", b"\xff\xe0abc",
                                  b"<html>", b"GIF89a"])
def test_other_files_are_not_media(head: bytes) -> None:
    assert sniff(head) is None


def test_declared_kind_sets_the_served_type() -> None:
    assert media_type_with_kind(sniff(WEBM), "audio") == "audio/webm"
    assert media_type_with_kind(sniff(OGG), "video") == "video/ogg"
    assert media_type_with_kind(sniff(MP4), "audio") == "video/mp4"


def test_fillers_single_words_and_phrases() -> None:
    words = tokens("Um, so I mean, you know, it was... like, fine. I meant it; you knew it.")
    assert words[:3] == ["um", "so", "i"]
    # um, so, "i mean", "you know", like: five fillers; "i meant" and "you knew" are not.
    assert count_fillers(words) == 5


def test_pace_and_frequency() -> None:
    figures = speech_metrics("um we shipped the release on time you know", 4.5)
    assert figures["words"] == 9
    assert figures["fillers"] == 2
    assert figures["speechPaceWpm"] == 120.0
    assert figures["fillerWordFrequency"] == pytest.approx(2 / 9, abs=1e-4)
    assert speech_metrics("", 3.0)["fillerWordFrequency"] == 0.0
    assert speech_metrics("hello", 0)["speechPaceWpm"] == 0.0
