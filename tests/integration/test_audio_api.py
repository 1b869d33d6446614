"""Audio end to end against FakeOpenAI: speech (a WAV whose length follows the text, whole,
streamed to a file or as SSE events), transcriptions of the fake's own speech in every
format and streamed, translations, custom voices and consents, and how the rate limiter
counts these calls (requests of the model, no token estimate)."""

from __future__ import annotations

import base64
import io
import json
import wave
from pathlib import Path
from typing import Final

import pytest

from aio_openai import (
    APIResponse,
    AsyncOpenAI,
    BadRequestError,
    NotFoundError,
    RateLimiter,
)
from aio_openai.testing import FakeOpenAI
from aio_openai.types.audio import (
    Transcription,
    TranscriptionDiarized,
    TranscriptionTextDeltaEvent,
    TranscriptionTextDoneEvent,
    TranscriptionVerbose,
    Translation,
    TranslationVerbose,
    VoiceConsent,
)

TEXT: Final = "Hello there. How are you today?"
KEY: Final = "sk-audio-0123456789"


async def speech(api: AsyncOpenAI, text: str = TEXT, **kwargs: object) -> bytes:
    answer = await api.audio.speech.create(
        model="tts-1", voice="alloy", input=text, response_format="wav", **kwargs
    )
    return answer.content


def frames(data: bytes) -> tuple[int, int]:
    with wave.open(io.BytesIO(data)) as w:
        return w.getnframes(), w.getframerate()


async def test_speech_is_a_wav_whose_length_follows_the_text(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    short, long = await speech(api, "Hi."), await speech(api, "Hi. " * 20)
    (n_short, rate), (n_long, _) = frames(short), frames(long)
    assert rate == 24_000 and n_long > 20 * n_short > 0
    assert await speech(api, "Hi.") == short  # deterministic
    assert fake.requests[-1].json == {
        "model": "tts-1",
        "voice": "alloy",
        "input": "Hi.",
        "response_format": "wav",
    }
    faster = await speech(api, "Hi. " * 20, speed=2.0)
    assert frames(faster)[0] == pytest.approx(n_long / 2, rel=0.01)


async def test_speech_takes_every_parameter_and_a_custom_voice(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.add_model("gpt-4o-mini-tts")
    consent = await api.audio.voice_consents.create(
        name="Ann", language="en-US", recording=("consent.wav", await speech(api))
    )
    voice = await api.audio.voices.create(
        name="ann", audio_sample=("ann.wav", await speech(api)), consent=consent.id
    )
    answer = await api.audio.speech.create(
        model="gpt-4o-mini-tts",
        voice={"id": voice.id},
        input="Hi",
        instructions="Cheerful.",
        response_format="pcm",
        speed=1.0,
        stream_format="audio",
        extra_headers={"X-Test": "1"},
        timeout=30,
    )
    assert fake.requests[-1].json["voice"] == {"id": voice.id}
    assert fake.requests[-1].headers["X-Test"] == "1"
    assert answer.response.headers["Content-Type"] == "audio/pcm"
    assert len(answer.content) == 2 * 2 * round(24_000 * 0.06)  # two characters of samples


async def test_speech_raw_and_streamed_to_a_file(api: AsyncOpenAI, tmp_path: Path) -> None:
    raw = await api.audio.speech.with_raw_response.create(
        model="tts-1", voice="nova", input=TEXT, response_format="wav"
    )
    assert isinstance(raw, APIResponse) and raw.status_code == 200
    whole = raw.parse().content
    async with api.audio.speech.with_streaming_response.create(
        model="tts-1", voice="nova", input=TEXT, response_format="wav"
    ) as response:
        await response.stream_to_file(tmp_path / "out.wav")
    assert (tmp_path / "out.wav").read_bytes() == whole


async def test_speech_as_sse_events_carries_the_audio(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.add_model("gpt-4o-mini-tts")
    answer = await api.audio.speech.create(
        model="gpt-4o-mini-tts", voice="alloy", input=TEXT, response_format="wav",
        stream_format="sse",
    )  # fmt: skip
    events = [line.removeprefix("data: ") for line in answer.text.splitlines() if line]
    parsed = [json.loads(e) for e in events]
    assert [p["type"] for p in parsed][-1] == "speech.audio.done"
    audio = b"".join(base64.b64decode(p["audio"]) for p in parsed[:-1])
    assert audio == await speech(api)
    assert parsed[-1]["usage"]["total_tokens"] > 0


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"voice": "robot"}, "voice"),
        ({"speed": 5}, "speed"),
        ({"response_format": "ogg"}, "response_format"),
        ({"input": "x" * 4097}, "input"),
        ({"stream_format": "sse"}, "stream_format"),
        ({"voice": {"id": "voice_missing"}}, "voice"),
    ],
)
async def test_bad_speech_is_refused_as_openai_does(
    api: AsyncOpenAI, body: dict[str, object], param: str
) -> None:
    args: dict[str, object] = {"model": "tts-1", "voice": "alloy", "input": "hi", **body}
    with pytest.raises(BadRequestError) as info:
        await api.audio.speech.create(**args)  # type: ignore[arg-type]
    assert info.value.param == param


async def test_a_transcription_of_the_fakes_speech_is_its_text(api: AsyncOpenAI) -> None:
    audio = await speech(api)
    answer = await api.audio.transcriptions.create(model="whisper-1", file=("a.wav", audio))
    assert isinstance(answer, Transcription) and answer.text == TEXT
    text = await api.audio.transcriptions.create(
        model="whisper-1", file=("a.wav", audio), response_format="text"
    )
    assert text == TEXT + "\n"


async def test_srt_and_vtt_are_cues_over_the_speechs_duration(api: AsyncOpenAI) -> None:
    audio = await speech(api)
    seconds = frames(audio)[0] / 24_000
    srt = await api.audio.transcriptions.create(
        model="whisper-1", file=("a.wav", audio), response_format="srt"
    )
    end = f"00:00:0{int(seconds)},{round(seconds % 1 * 1000):03d}"
    assert srt == (
        "1\n00:00:00,000 --> 00:00:00,780\nHello there.\n\n"
        f"2\n00:00:00,780 --> {end}\nHow are you today?\n\n"
    )
    vtt = await api.audio.transcriptions.create(
        model="whisper-1", file=("a.wav", audio), response_format="vtt"
    )
    assert isinstance(vtt, str) and vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:00.780\n")
    assert vtt.rstrip().endswith(f"{end.replace(',', '.')}\nHow are you today?")


async def test_verbose_json_has_segments_and_words(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    audio = await speech(api)
    answer = await api.audio.transcriptions.create(
        model="whisper-1",
        file=("a.wav", audio),
        response_format="verbose_json",
        timestamp_granularities=["word", "segment"],
        language="en",
        prompt="A greeting.",
        temperature=0.2,
        include=[],
        extra_body={"extra": "1"},
    )
    assert isinstance(answer, TranscriptionVerbose)
    assert answer.language == "english" and answer.text == TEXT
    assert answer.duration == pytest.approx(frames(audio)[0] / 24_000)
    assert [s.text.strip() for s in answer.segments or []] == ["Hello there.", "How are you today?"]
    assert [w.word for w in answer.words or []] == ["Hello", "there", "How", "are", "you", "today"]
    form = fake.requests[-1].headers["Content-Type"]
    assert form.startswith("multipart/form-data")


async def test_diarized_json_gives_speakers_and_the_model_decides_formats(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.add_model("gpt-4o-transcribe-diarize")
    fake.add_model("gpt-4o-transcribe")
    audio = await speech(api)
    answer = await api.audio.transcriptions.create(
        model="gpt-4o-transcribe-diarize",
        file=("a.wav", audio),
        response_format="diarized_json",
        chunking_strategy="auto",
        known_speaker_names=["ann"],
        known_speaker_references=["data:audio/wav;base64,AAAA"],
    )
    assert isinstance(answer, TranscriptionDiarized)
    assert [(s.speaker, s.text) for s in answer.segments] == [
        ("A", "Hello there."),
        ("B", "How are you today?"),
    ]
    with pytest.raises(BadRequestError, match="not compatible with model 'gpt-4o-transcribe'"):
        await api.audio.transcriptions.create(
            model="gpt-4o-transcribe", file=("a.wav", audio), response_format="srt"
        )


async def test_a_streamed_transcription_sends_the_text_in_pieces(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.add_model("gpt-4o-mini-transcribe")
    audio = await speech(api)
    stream = await api.audio.transcriptions.create(
        model="gpt-4o-mini-transcribe", file=("a.wav", audio), stream=True
    )
    events = [event async for event in stream]
    deltas = [e for e in events if isinstance(e, TranscriptionTextDeltaEvent)]
    assert "".join(d.delta for d in deltas) == TEXT
    assert isinstance(events[-1], TranscriptionTextDoneEvent) and events[-1].text == TEXT
    with pytest.raises(BadRequestError, match="Streaming is not supported"):
        await api.audio.transcriptions.create(model="whisper-1", file=("a.wav", b"x"), stream=True)


async def test_other_audio_is_heard_as_the_default_transcript(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.state.audio.default_transcript = "Some words."
    answer = await api.audio.transcriptions.create(model="whisper-1", file=("a.mp3", b"\xff" * 99))
    assert answer.text == "Some words."  # type: ignore[union-attr]


async def test_bad_files_and_models_are_refused(api: AsyncOpenAI) -> None:
    with pytest.raises(BadRequestError, match="Invalid file format") as info:
        await api.audio.transcriptions.create(model="whisper-1", file=("notes.txt", b"hi"))
    assert info.value.param == "file"
    with pytest.raises(NotFoundError, match="does not exist"):
        await api.audio.transcriptions.create(model="whisper-9", file=("a.wav", b"x"))
    with pytest.raises(BadRequestError) as info:
        await api.audio.transcriptions.create(
            model="whisper-1", file=("a.wav", b"x"), response_format="xml"
        )  # type: ignore[arg-type]
    assert info.value.param == "response_format"


async def test_translations_in_every_format(api: AsyncOpenAI) -> None:
    audio = await speech(api)
    plain = await api.audio.translations.create(model="whisper-1", file=("a.wav", audio))
    assert isinstance(plain, Translation) and plain.text == TEXT
    verbose = await api.audio.translations.create(
        model="whisper-1",
        file=("a.wav", audio),
        response_format="verbose_json",
        prompt="x",
        temperature=0,
    )
    assert isinstance(verbose, TranslationVerbose) and verbose.language == "english"
    srt = await api.audio.translations.create(
        model="whisper-1", file=("a.wav", audio), response_format="srt"
    )
    assert isinstance(srt, str) and srt.startswith("1\n00:00:00,000 --> ")
    raw = await api.audio.translations.with_raw_response.create(
        model="whisper-1", file=("a.wav", audio), response_format="text"
    )
    assert raw.parse() == TEXT + "\n"
    with pytest.raises(BadRequestError, match="not supported for translations"):
        await api.audio.translations.create(model="tts-1", file=("a.wav", audio))


async def test_voice_consents_and_voices_crud(api: AsyncOpenAI) -> None:
    audio = await speech(api)
    consent = await api.audio.voice_consents.create(
        name="Ann", language="en-US", recording=("c.wav", audio)
    )
    assert isinstance(consent, VoiceConsent) and consent.object == "audio.voice_consent"
    assert (await api.audio.voice_consents.retrieve(consent.id)).name == "Ann"
    renamed = await api.audio.voice_consents.update(consent.id, name="Anna")
    assert renamed.name == "Anna"
    listed = [c.id async for c in api.audio.voice_consents.list(limit=1)]
    assert listed == [consent.id]
    voice = await api.audio.voices.create(
        name="anna", audio_sample=("s.wav", audio), consent=consent.id
    )
    assert voice.object == "audio.voice" and voice.name == "anna"
    described = await api.audio.voices.create(name="deep", type="prompt", prompt="A deep voice")
    assert described.id != voice.id
    with pytest.raises(NotFoundError):
        await api.audio.voices.create(name="x", audio_sample=("s.wav", audio), consent="cons_x")
    assert (await api.audio.voices.delete(voice.id)).deleted is True
    assert (await api.audio.voice_consents.delete(consent.id)).deleted is True
    with pytest.raises(NotFoundError):
        await api.audio.voice_consents.retrieve(consent.id)
    raw = await api.audio.voice_consents.with_raw_response.list()
    assert raw.status_code == 200 and raw.parse().data == []


@pytest.mark.parametrize(
    "call",
    [
        lambda a: a.audio.voice_consents.retrieve(""),
        lambda a: a.audio.voice_consents.update("", name="x"),
        lambda a: a.audio.voice_consents.delete(""),
        lambda a: a.audio.voices.delete(""),
    ],
)
async def test_an_empty_id_is_a_value_error(api: AsyncOpenAI, call: object) -> None:
    with pytest.raises(ValueError):
        await call(api)  # type: ignore[operator]


async def test_the_limiter_counts_audio_calls_as_requests(
    fake: FakeOpenAI, clean_env: None
) -> None:
    limiter = RateLimiter(tpm=10_000, rpm=1_000, utilisation=1.0, clock=lambda: 0.0)
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, rate_limiter=limiter) as client:
        audio = (
            await client.audio.speech.create(
                model="tts-1", voice="alloy", input="x" * 4000, response_format="wav"
            )
        ).content
        await client.audio.transcriptions.create(model="whisper-1", file=("a.wav", audio))
    pairs = limiter.snapshot()
    assert pairs["tts-1"]["level_tokens"] == 10_000  # no token estimate of the 4,000 characters
    assert pairs["tts-1"]["level_requests"] == 999
    assert pairs["whisper-1"]["level_requests"] == 999
