"""OpenAI's 400s for image requests: prompts, models, sizes, counts, formats and files.

Form fields arrive as text: :func:`as_json` gives numbers and booleans their JSON types, so
JSON bodies and forms are checked alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aio_openai.testing._checks import (
    APIError,
    check_integer,
    check_string,
    invalid_value,
    missing,
)
from aio_openai.testing._forms import Upload
from aio_openai.testing._images.png import png_size

__all__ = ["Request", "as_json", "check_image_file", "is_gpt", "required_files"]

_DALL_E_2_SIZES: Final = ("256x256", "512x512", "1024x1024")
_SIZES: Final = {
    "dall-e-2": _DALL_E_2_SIZES,
    "dall-e-3": ("1024x1024", "1792x1024", "1024x1792"),
}
_GPT_SIZES: Final = ("1024x1024", "1536x1024", "1024x1536", "auto")
_PROMPT_LIMITS: Final = {"dall-e-2": 1000, "dall-e-3": 4000}
_GPT_PROMPT_LIMIT: Final = 32000
_MAX_N: Final = 10
_INTEGERS: Final = ("n", "partial_images", "output_compression")
_MAX_PARTIAL_IMAGES: Final = 3


def is_gpt(model: str) -> bool:
    """Whether ``model`` is a GPT image model (not DALL·E)."""
    return not model.startswith("dall-e")


def as_json(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Form fields with integers and booleans as JSON has them (unparseable ones kept as
    text, for the checks to refuse)."""
    body = dict(fields)
    for key in _INTEGERS:
        if isinstance(body.get(key), str) and body[key].lstrip("-").isdigit():
            body[key] = int(body[key])
    if body.get("stream") in ("true", "false"):
        body["stream"] = body["stream"] == "true"
    return body


class Request:
    """A checked image request: its model, count, size in pixels and answer format."""

    def __init__(self, body: Mapping[str, Any], *, edit: bool, variation: bool) -> None:
        model = body.get("model") or "dall-e-2"
        self.model: str = model
        gpt = is_gpt(model)
        if not variation:
            limit = _GPT_PROMPT_LIMIT if gpt else _PROMPT_LIMITS.get(model, 4000)
            check_string(
                body, "prompt", required=True, nullable=False, min_length=1, max_length=limit
            )
        elif model != "dall-e-2":
            raise invalid_value("model", model, ("dall-e-2",))
        self.prompt: str = body.get("prompt") or ""
        check_integer(body, "n", 1)
        n = _at_most(body, "n", _MAX_N) or 1
        if model == "dall-e-3" and n != 1:
            raise APIError(400, "You must provide n=1 for this model.", param="n")
        self.n: int = n
        sizes = _GPT_SIZES if gpt else _SIZES.get(model, _DALL_E_2_SIZES)
        size = body.get("size") or ("auto" if gpt else "1024x1024")
        if size not in sizes:
            raise invalid_value("size", size, sizes)
        self.size: str = "1024x1024" if size == "auto" else size
        width, _, height = self.size.partition("x")
        self.width, self.height = int(width), int(height)
        fmt = body.get("response_format")
        if gpt and fmt is not None:
            raise APIError(
                400,
                "Unknown parameter: 'response_format'.",
                param="response_format",
                code="unknown_parameter",
            )
        if fmt is not None and fmt not in ("url", "b64_json"):
            raise invalid_value("response_format", fmt, ("url", "b64_json"))
        self.b64: bool = gpt or fmt == "b64_json"
        output = body.get("output_format") or "png"
        if output not in ("png", "jpeg", "webp"):
            raise invalid_value("output_format", output, ("png", "jpeg", "webp"))
        self.output_format: str = output
        background = body.get("background") or "auto"
        if background not in ("transparent", "opaque", "auto"):
            raise invalid_value("background", background, ("transparent", "opaque", "auto"))
        self.background: str = "opaque" if background == "auto" else background
        self.quality: str = body.get("quality") or ("high" if gpt else "standard")
        self.stream: bool = bool(body.get("stream"))
        if self.stream and not gpt:
            raise APIError(400, f"Streaming is not supported for model '{model}'.", param="stream")
        check_integer(body, "partial_images", 0)
        partial = _at_most(body, "partial_images", _MAX_PARTIAL_IMAGES) or 0
        self.partial_images: int = partial
        self.gpt = gpt


def _at_most(body: Mapping[str, Any], key: str, high: int) -> Any:
    """``body[key]`` (an integer already checked), refused above ``high``."""
    value = body.get(key)
    if value is not None and value > high:
        raise APIError(
            400,
            f"Invalid '{key}': integer above maximum value. Expected a value <= {high}, but "
            f"got {value} instead.",
            param=key,
            code="integer_above_max_value",
        )
    return value


def check_image_file(upload: Upload, param: str, *, square: bool) -> tuple[int, int]:
    """An uploaded picture: a PNG (square when ``square``); its width and height."""
    size = png_size(upload.data)
    if size is None:
        raise APIError(
            400,
            f"Invalid image file or mode for {param}, please check your image file.",
            param=param,
            code="invalid_image_format",
        )
    if square and size[0] != size[1]:
        raise APIError(400, "Uploaded image must be square.", param=param)
    return size


def required_files(files: Mapping[str, list[Upload]], key: str) -> list[Upload]:
    """The uploads of ``key``; the 400 for a missing one."""
    found = files.get(key)
    if not found:
        raise missing(key)
    return found
