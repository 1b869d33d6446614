"""OpenAI's 400s for audio requests: speech bodies, and the form fields of transcriptions
and translations (sent as text: numbers and booleans are parsed here)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from aio_openai.testing._checks import (
    APIError,
    check_number,
    check_string,
    invalid_value,
    missing,
    wrong_type,
)
from aio_openai.testing._forms import Form, Upload

__all__ = [
    "AUDIO_EXTENSIONS",
    "SPEECH_FORMATS",
    "check_model",
    "check_speech",
    "form_number",
    "one_file",
    "transcript_format",
]

VOICES: Final = (
    "alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer",
    "verse", "marin", "cedar",
)  # fmt: skip
SPEECH_FORMATS: Final = ("mp3", "opus", "aac", "flac", "wav", "pcm")
AUDIO_EXTENSIONS: Final = (
    "flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm",
)  # fmt: skip
_MAX_INPUT: Final = 4096
#: The formats each kind of model answers (whisper-1: every one but diarized_json).
_GPT_FORMATS: Final = ("json", "text")
_DIARIZE_FORMATS: Final = ("json", "text", "diarized_json")
_WHISPER_FORMATS: Final = ("json", "text", "srt", "verbose_json", "vtt")


def check_model(fields: Mapping[str, Any], knows_model: Callable[[str], bool]) -> str:
    """The form's ``model``: present, and one the server serves (404 model_not_found)."""
    model = fields.get("model")
    if not model:
        raise missing("model")
    if not knows_model(model):
        raise APIError(
            404,
            f"The model `{model}` does not exist or you do not have access to it.",
            code="model_not_found",
        )
    return str(model)


def check_speech(body: Mapping[str, Any], has_voice: Callable[[str], bool]) -> None:
    """A speech body as OpenAI checks it."""
    check_string(body, "model", required=True, nullable=False, min_length=1)
    check_string(body, "input", required=True, nullable=False, min_length=1, max_length=_MAX_INPUT)
    voice = body.get("voice")
    if voice is None:
        raise missing("voice")
    if isinstance(voice, dict):
        voice_id = voice.get("id")
        if not isinstance(voice_id, str):
            raise wrong_type("voice.id", "a string", voice_id)
        if not has_voice(voice_id):
            raise APIError(400, f"Voice '{voice_id}' not found.", param="voice")
    elif not isinstance(voice, str):
        raise wrong_type("voice", "a string", voice)
    elif voice not in VOICES:
        raise invalid_value("voice", voice, VOICES)
    fmt = body.get("response_format", "mp3")
    if fmt not in SPEECH_FORMATS:
        raise invalid_value("response_format", fmt, SPEECH_FORMATS)
    check_number(body, "speed", 0.25, 4.0)
    check_string(body, "instructions")
    stream_format = body.get("stream_format", "audio")
    if stream_format not in ("sse", "audio"):
        raise invalid_value("stream_format", stream_format, ("sse", "audio"))
    if stream_format == "sse" and body["model"].startswith("tts-1"):
        raise APIError(
            400,
            f"stream_format 'sse' is not supported for model '{body['model']}'.",
            param="stream_format",
        )


def form_number(fields: Mapping[str, Any], key: str, low: float, high: float) -> float | None:
    """A number sent as a form field, checked to lie in ``low..high``."""
    raw = fields.get(key)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise wrong_type(key, "a number", raw) from None
    check_number({key: value}, key, low, high)
    return value


def one_file(form: Form, key: str) -> Upload:
    """The form's one file ``key``, an audio file by its name."""
    files = form.files.get(key)
    if not files:
        raise missing(key)
    upload = files[0]
    extension = upload.filename.rpartition(".")[2].lower()
    if extension not in AUDIO_EXTENSIONS:
        raise APIError(
            400,
            f"Invalid file format. Supported formats: {list(AUDIO_EXTENSIONS)}",
            param=key,
            code="invalid_value",
        )
    return upload


def transcript_format(fields: Mapping[str, Any], model: str, *, translation: bool) -> str:
    """The form's ``response_format``, one the model answers."""
    fmt = str(fields.get("response_format", "json"))
    allowed: tuple[str, ...]
    if translation:
        allowed = _WHISPER_FORMATS
    elif "diarize" in model:
        allowed = _DIARIZE_FORMATS
    elif model.startswith("whisper"):
        allowed = _WHISPER_FORMATS
    else:
        allowed = _GPT_FORMATS
    if fmt not in allowed:
        known = (*_WHISPER_FORMATS, "diarized_json")
        if fmt not in known:
            raise invalid_value("response_format", fmt, known)
        raise APIError(
            400,
            f"response_format '{fmt}' is not compatible with model '{model}'. Use "
            + " or ".join(f"'{f}'" for f in allowed)
            + ".",
            param="response_format",
            code="unsupported_value",
        )
    return fmt
