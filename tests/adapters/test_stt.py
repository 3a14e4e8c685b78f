"""Speech-to-text adapters: pocketsphinx on speech synthesised with known
words, and the OpenAI-compatible client against a loopback server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interviewd.adapters.stt import TranscriptionFailed, create_stt
from interviewd.adapters.stt.openai import OpenAISTT
from interviewd.adapters.stt.pocketsphinx import PocketSphinxSTT
from interviewd.domain.recordings.speech import speech_metrics
from tests.adapters.stt_servers import FakeTranscriptionAPI
from tests.domain.recordings.speech import (
    CLEAN_SENTENCE,
    FILLER_SENTENCE,
    RATE_WPM,
    overlap,
    synthesise,
    wav_duration,
)


@pytest.fixture(scope="module")
def pocketsphinx() -> PocketSphinxSTT:
    return PocketSphinxSTT()


@pytest.fixture
def fake_stt() -> Iterator[FakeTranscriptionAPI]:
    fake = FakeTranscriptionAPI()
    fake.start()
    yield fake
    fake.stop()


async def test_pocketsphinx_hears_the_words_fillers_and_pace(pocketsphinx, tmp_path: Path) -> None:
    filler_wav = synthesise(FILLER_SENTENCE, tmp_path / "fillers.wav")
    clean_wav = synthesise(CLEAN_SENTENCE, tmp_path / "clean.wav")

    # A 22.05 kHz WAV straight from espeak-ng: resampled through ffmpeg.
    filler = await pocketsphinx.transcribe(filler_wav, "audio/wav")
    clean = await pocketsphinx.transcribe(clean_wav.read_bytes(), "audio/wav")

    assert overlap(FILLER_SENTENCE, filler.text) >= 0.4, filler.text
    assert overlap(CLEAN_SENTENCE, clean.text) >= 0.4, clean.text
    assert filler.duration_seconds == pytest.approx(wav_duration(filler_wav), abs=0.05)
    assert filler.words and all(w.end > w.start >= 0 for w in filler.words)
    assert filler.words[-1].end <= filler.duration_seconds + 0.05

    filler_figures = speech_metrics(filler.text, filler.duration_seconds)
    clean_figures = speech_metrics(clean.text, clean.duration_seconds)
    spoken_wpm = len(FILLER_SENTENCE.split()) / (wav_duration(filler_wav) / 60)
    assert filler_figures["speechPaceWpm"] == pytest.approx(spoken_wpm, rel=0.4)
    # espeak-ng's rate is nominal; what was said per minute of audio is the truth.
    assert spoken_wpm == pytest.approx(RATE_WPM, rel=0.4)
    assert filler_figures["fillerWordFrequency"] > 0
    assert clean_figures["fillerWordFrequency"] < filler_figures["fillerWordFrequency"]


async def test_pocketsphinx_refuses_what_is_not_audio(pocketsphinx) -> None:
    with pytest.raises(TranscriptionFailed):
        await pocketsphinx.transcribe(b"\x1a\x45\xdf\xa3 this is not really a webm file", "video/webm")


async def test_openai_adapter_uploads_multipart_with_the_key(fake_stt, tmp_path: Path) -> None:
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt fake audio bytes")
    stt = OpenAISTT(base_url=fake_stt.base_url, api_key=fake_stt.api_key, model="whisper-large-v3",
                    language="en")

    transcript = await stt.transcribe(audio, "audio/wav")

    assert transcript.text == "Um so we shipped it."
    assert transcript.duration_seconds == 2.5
    assert [w.word for w in transcript.words] == ["Um", "so", "we", "shipped", "it"]
    [request] = fake_stt.requests
    assert request.path == "/v1/audio/transcriptions"
    assert request.authorization == "Bearer sk-test-stt"
    assert request.fields["model"] == "whisper-large-v3"
    assert request.fields["response_format"] == "verbose_json"
    assert request.fields["language"] == "en"
    assert request.file_name == "audio.wav" and request.file_type == "audio/wav"
    assert request.file_bytes == audio.read_bytes()


async def test_openai_adapter_errors(fake_stt) -> None:
    wrong_key = OpenAISTT(base_url=fake_stt.base_url, api_key="nope", model="m")
    with pytest.raises(Exception) as info:
        await wrong_key.transcribe(b"ID3 audio", "audio/mpeg")
    # An authentication failure may be fixed by an operator: retried, not final.
    assert not isinstance(info.value, TranscriptionFailed)

    fake_stt.status = 400
    refused = OpenAISTT(base_url=fake_stt.base_url, api_key=fake_stt.api_key, model="m")
    with pytest.raises(TranscriptionFailed):
        await refused.transcribe(b"ID3 audio", "audio/mpeg")


def test_backend_is_chosen_by_setting(make_settings) -> None:
    assert create_stt(make_settings(stt_backend="none")) is None
    assert create_stt(make_settings(stt_backend="openai")).name == "openai"
    assert create_stt(make_settings(stt_backend="pocketsphinx")).name == "pocketsphinx"
