"""Heads of real media formats, enough for the type sniffer."""

from __future__ import annotations

import io
import struct
import wave

WEBM = bytes.fromhex(
    "1a45dfa39f4286810142f7810142f2810442f381084282847765626d42878104428581021853") + b"\0" * 64
MATROSKA = bytes.fromhex("1a45dfa3a34286810142f7810142f2810442f381084282886d6174726f736b61") + b"\0" * 64
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\0" * 64
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\0" * 64
M4A = b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A isom" + b"\0" * 64
OGG = b"OggS\x00\x02" + b"\0" * 64
MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\0" * 64
MP3_FRAME = b"\xff\xfb\x90\x64" + b"\0" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\0" * 64


def silent_wav(seconds: float = 0.2, rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(struct.pack("<h", 0) * int(seconds * rate))
    return buffer.getvalue()
