"""What a media file is, judged by its first bytes, never by its name."""

from __future__ import annotations

from dataclasses import dataclass

HEAD_BYTES = 64


@dataclass(frozen=True)
class MediaType:
    content_type: str
    extension: str
    kind: str  # the kind a file of this type is when the client does not say


_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"F4A "}
_QUICKTIME_BRANDS = {b"qt  "}


def sniff(head: bytes) -> MediaType | None:
    """Recognise WebM/Matroska, MP4/MOV/M4A, Ogg, WAV and MP3 from a file's head."""
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        # Both are EBML; the DocType says which (it sits in the first few dozen bytes).
        if b"webm" in head[:HEAD_BYTES]:
            return MediaType("video/webm", "webm", "video")
        return MediaType("video/x-matroska", "mkv", "video")
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _AUDIO_BRANDS:
            return MediaType("audio/mp4", "m4a", "audio")
        if brand in _QUICKTIME_BRANDS:
            return MediaType("video/quicktime", "mov", "video")
        return MediaType("video/mp4", "mp4", "video")
    if head.startswith(b"OggS"):
        return MediaType("audio/ogg", "ogg", "audio")
    if len(head) >= 12 and head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return MediaType("audio/wav", "wav", "audio")
    if head.startswith(b"ID3"):
        return MediaType("audio/mpeg", "mp3", "audio")
    # An MPEG audio frame: 11 sync bits, then a layer that is not "reserved".
    if len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0 and (head[1] & 0x06) != 0:
        return MediaType("audio/mpeg", "mp3", "audio")
    return None


def media_type_with_kind(media: MediaType, kind: str) -> str:
    """The content type to record once the client said video or audio: a WebM or
    Ogg holding only sound is served as audio/..., and a video as video/..."""
    major, _, minor = media.content_type.partition("/")
    if kind == major:
        return media.content_type
    if kind == "audio" and minor in ("webm", "ogg"):
        return f"audio/{minor}"
    if kind == "video" and minor == "ogg":
        return "video/ogg"
    return media.content_type
