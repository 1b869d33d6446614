"""Request checks of moderations: OpenAI's 400s for the input, as :class:`APIError`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aio_openai.testing._checks import APIError, invalid_value, missing, wrong_type

__all__ = ["Part", "moderation_inputs"]

#: One part of an input: ``("text", the text)`` or ``("image", the image's URL)``.
Part = tuple[str, str]

_PART_TYPES: Final = ("text", "image_url")


def _part(value: Any, index: int) -> Part:
    param = f"input[{index}]"
    if not isinstance(value, dict):
        raise wrong_type(param, "an object", value)
    kind = value.get("type")
    if kind == "text":
        text = value.get("text")
        if not isinstance(text, str):
            raise (
                missing(f"{param}.text")
                if text is None
                else wrong_type(f"{param}.text", "a string", text)
            )
        return ("text", text)
    if kind == "image_url":
        image = value.get("image_url")
        url = image.get("url") if isinstance(image, dict) else None
        if not isinstance(url, str) or not url:
            raise missing(f"{param}.image_url.url")
        return ("image", url)
    raise invalid_value(f"{param}.type", kind, _PART_TYPES)


def moderation_inputs(body: Mapping[str, Any]) -> list[list[Part]]:
    """The inputs to judge, each a list of parts: one per string, or one of all the parts."""
    value = body.get("input")
    if value is None:
        raise missing("input")
    if isinstance(value, str):
        return [[("text", value)]]
    if not isinstance(value, list):
        raise wrong_type("input", "a string or an array", value)
    if not value:
        raise APIError(400, "Invalid 'input': empty array.", param="input", code="empty_array")
    if all(isinstance(item, str) for item in value):
        return [[("text", item)] for item in value]
    return [[_part(item, i) for i, item in enumerate(value)]]
