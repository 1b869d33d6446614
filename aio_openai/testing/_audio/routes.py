"""The routes of the fake Audio API: speech, transcriptions, translations, voices and
voice consents."""

from __future__ import annotations

import base64
import math
from typing import Any, Final

from aiohttp import web

from aio_openai.testing._audio import captions
from aio_openai.testing._audio.checks import (
    check_model,
    check_speech,
    form_number,
    one_file,
    transcript_format,
)
from aio_openai.testing._audio.state import AudioState
from aio_openai.testing._audio.wav import hear, pcm, speak
from aio_openai.testing._checks import APIError, missing
from aio_openai.testing._forms import read_form
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._shapes import list_query
from aio_openai.testing._sse import frame, send_events

__all__ = ["add_audio_routes"]

#: The size of the audio pieces of a ``stream_format="sse"`` answer (before base64).
_SSE_PIECE: Final = 16 * 1024
_LANGUAGES: Final = {"en": "english", "de": "german", "fr": "french", "es": "spanish"}
_TRUE: Final = ("true", "True", "1")


def _usage(text: str) -> dict[str, int]:
    tokens = max(1, (len(text) + 3) // 4)
    return {"input_tokens": tokens, "output_tokens": tokens * 4, "total_tokens": tokens * 5}


def add_audio_routes(router: web.UrlDispatcher, state: AudioState) -> None:
    """Register the ``/v1/audio/...`` routes, serving ``state``."""

    async def speech(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_speech(body, state.has_voice)
        text, speed = body["input"], float(body.get("speed") or 1.0)
        fmt = body.get("response_format", "mp3")
        audio = pcm(text, speed) if fmt == "pcm" else speak(text, speed)
        if body.get("stream_format") == "sse":
            frames = [
                frame({"type": "speech.audio.delta", "audio": base64.b64encode(piece).decode()})
                for piece in (audio[i : i + _SSE_PIECE] for i in range(0, len(audio), _SSE_PIECE))
            ]
            frames.append(frame({"type": "speech.audio.done", "usage": _usage(text)}))
            return await send_events(request, frames)
        content_type = "audio/pcm" if fmt == "pcm" else "audio/wav"
        return web.Response(body=audio, content_type=content_type)

    async def transcribe(request: web.Request, *, translation: bool) -> Answer:
        form = await read_form(request, ("file",))
        fields = form.fields
        model = check_model(fields, state.knows_model)
        upload = one_file(form, "file")
        if translation and model != "whisper-1":
            raise APIError(
                400, f"Model '{model}' is not supported for translations.", param="model"
            )
        fmt = transcript_format(fields, model, translation=translation)
        form_number(fields, "temperature", 0.0, 1.0)
        heard = hear(upload.data)
        text = heard.text if heard.text is not None else state.default_transcript
        duration = heard.duration
        if str(fields.get("stream", "false")) in _TRUE:
            if model.startswith("whisper"):
                raise APIError(
                    400, f"Streaming is not supported for model '{model}'.", param="stream"
                )
            return await send_events(request, _transcript_events(text, duration, model))
        if fmt == "text":
            return web.Response(text=text + "\n", content_type="text/plain")
        if fmt == "srt":
            return web.Response(text=captions.srt(text, duration), content_type="text/plain")
        if fmt == "vtt":
            return web.Response(text=captions.vtt(text, duration), content_type="text/vtt")
        seconds = {"type": "duration", "seconds": math.ceil(duration)}
        if fmt == "verbose_json":
            granularities = fields.get("timestamp_granularities", ["segment"])
            return captions.verbose(
                text,
                duration,
                task="translate" if translation else "transcribe",
                language="english"
                if translation
                else _LANGUAGES.get(str(fields.get("language", "en")), "english"),
                with_words="word" in granularities,
                with_segments="segment" in granularities,
            )
        if fmt == "diarized_json":
            return {
                "task": "transcribe",
                "duration": duration,
                "text": text,
                "segments": _diarized(text, duration),
                "usage": seconds,
            }
        answer: dict[str, Any] = {"text": text}
        if not translation:
            answer["usage"] = seconds
        return answer

    async def transcription(request: web.Request) -> Answer:
        return await transcribe(request, translation=False)

    async def translation(request: web.Request) -> Answer:
        return await transcribe(request, translation=True)

    async def create_consent(request: web.Request) -> Answer:
        form = await read_form(request, ("recording",))
        for key in ("name", "language"):
            if not form.fields.get(key):
                raise missing(key)
        recording = one_file(form, "recording")
        return state.add_consent(form.fields["name"], form.fields["language"], recording.data)

    async def get_consent(request: web.Request) -> Answer:
        return state.consent(request.match_info["consent_id"])

    async def update_consent(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        name = body.get("name")
        if not isinstance(name, str) or not name:
            raise missing("name")
        return state.rename_consent(request.match_info["consent_id"], name)

    async def list_consents(request: web.Request) -> Answer:
        return state.list_consents(list_query(request.query, before=False))

    async def delete_consent(request: web.Request) -> Answer:
        return state.delete_consent(request.match_info["consent_id"])

    async def create_voice(request: web.Request) -> Answer:
        form = await read_form(request, ("audio_sample",))
        fields = form.fields
        if not fields.get("name"):
            raise missing("name")
        if fields.get("type") == "prompt":
            if not fields.get("prompt"):
                raise missing("prompt")
            return state.add_voice(fields["name"], consent_id=None, prompt=fields["prompt"])
        one_file(form, "audio_sample")
        if not fields.get("consent"):
            raise missing("consent")
        return state.add_voice(fields["name"], consent_id=fields["consent"], prompt=None)

    async def delete_voice(request: web.Request) -> Answer:
        return state.delete_voice(request.match_info["voice_id"])

    router.add_post("/v1/audio/speech", api_route(speech))
    router.add_post("/v1/audio/transcriptions", api_route(transcription))
    router.add_post("/v1/audio/translations", api_route(translation))
    router.add_post("/v1/audio/voice_consents", api_route(create_consent))
    router.add_get("/v1/audio/voice_consents", api_route(list_consents))
    router.add_get("/v1/audio/voice_consents/{consent_id}", api_route(get_consent))
    router.add_post("/v1/audio/voice_consents/{consent_id}", api_route(update_consent))
    router.add_delete("/v1/audio/voice_consents/{consent_id}", api_route(delete_consent))
    router.add_post("/v1/audio/voices", api_route(create_voice))
    router.add_delete("/v1/audio/voices/{voice_id}", api_route(delete_voice))


def _diarized(text: str, duration: float) -> list[dict[str, Any]]:
    """Each sentence a segment, the speakers taking turns (A, B, A, ...)."""
    return [
        {
            "type": "transcript.text.segment",
            "id": f"seg_{i:03d}",
            "start": s,
            "end": e,
            "text": t,
            "speaker": "AB"[i % 2],
        }
        for i, (t, s, e) in enumerate(captions.segments(text, duration))
    ]


def _transcript_events(text: str, duration: float, model: str) -> list[bytes]:
    """A streamed transcription: the text word by word, then all of it (a diarizing model
    sends its segments first)."""
    frames = []
    if "diarize" in model:
        frames += [frame(segment) for segment in _diarized(text, duration)]
    pieces = text.split(" ") if text else []
    for i, piece in enumerate(pieces):
        delta = piece if i == 0 else " " + piece
        frames.append(frame({"type": "transcript.text.delta", "delta": delta}))
    heard, said = 1 + math.ceil(duration * 10), max(1, len(text) // 4)
    usage = {
        "type": "tokens",
        "input_tokens": heard,
        "output_tokens": said,
        "total_tokens": heard + said,
    }
    frames.append(frame({"type": "transcript.text.done", "text": text, "usage": usage}))
    return frames
