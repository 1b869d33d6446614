"""Request checks of videos: OpenAI's 400s for the bodies, as :class:`APIError`.

A body comes as a multipart form (as the SDKs send it) or as JSON; a file field's upload is
checked here too (a reference image of the video's size, an MP4 source video).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aio_openai.testing._checks import (
    APIError,
    check_string,
    invalid_value,
    literal_values,
    missing,
    wrong_type,
)
from aio_openai.testing._forms import Upload
from aio_openai.testing._images.png import png_size
from aio_openai.testing._videos.mp4 import MP4Info, mp4_info
from aio_openai.types.video_model import VideoModel
from aio_openai.types.video_seconds import VideoSeconds
from aio_openai.types.video_size import VideoSize

__all__ = [
    "MODELS",
    "SECONDS",
    "SIZES",
    "check_character",
    "check_create",
    "check_prompt",
    "check_reference_image",
    "check_seconds",
    "check_source_video",
    "video_reference",
]

MODELS: Final = literal_values(VideoModel)
SECONDS: Final = literal_values(VideoSeconds)
SIZES: Final = literal_values(VideoSize)
_MAX_PROMPT: Final = 32000
_MAX_NAME: Final = 80
_IMAGE_TYPES: Final = ("image/png", "image/jpeg", "image/webp")


def check_prompt(body: Mapping[str, Any]) -> str:
    """``prompt``: a string of 1 to 32000 characters."""
    check_string(
        body, "prompt", required=True, nullable=False, min_length=1, max_length=_MAX_PROMPT
    )
    prompt: str = body["prompt"]
    return prompt


def check_seconds(body: Mapping[str, Any], *, required: bool = False) -> None:
    """``seconds``: one of the lengths OpenAI makes (a string: ``"4"``, ``"8"``, ``"12"``)."""
    value = body.get("seconds")
    if value is None:
        if required:
            raise missing("seconds")
        return
    if str(value) not in SECONDS:
        raise invalid_value("seconds", value, SECONDS)


def check_create(body: Mapping[str, Any]) -> None:
    """A create body: ``prompt``; ``model``, ``seconds``, ``size``, ``input_reference`` (an
    object here: a file upload is checked by :func:`check_reference_image`)."""
    check_prompt(body)
    model = body.get("model")
    if model is not None and model not in MODELS:
        raise invalid_value("model", model, MODELS)
    check_seconds(body)
    size = body.get("size")
    if size is not None and size not in SIZES:
        raise invalid_value("size", size, SIZES)
    reference = body.get("input_reference")
    if reference is None:
        return
    if not isinstance(reference, dict):
        raise wrong_type("input_reference", "an object", reference)
    given = [key for key in ("file_id", "image_url") if reference.get(key) is not None]
    if len(given) != 1:
        raise APIError(
            400,
            "Exactly one of 'input_reference.file_id' or 'input_reference.image_url' must be"
            " provided.",
            param="input_reference",
        )
    check_string(reference, given[0], param=f"input_reference.{given[0]}", min_length=1)


def check_reference_image(upload: Upload, size: str) -> None:
    """An uploaded reference image: a PNG, JPEG or WebP; a PNG of the video's ``size``."""
    if upload.content_type not in _IMAGE_TYPES:
        raise APIError(
            400,
            f"Invalid file type {upload.content_type!r} for 'input_reference'. Supported"
            " types are image/png, image/jpeg and image/webp.",
            param="input_reference",
        )
    if upload.content_type == "image/png":
        found = png_size(upload.data)
        if found is None:
            raise APIError(400, "The reference image is not a valid PNG.", param="input_reference")
        if f"{found[0]}x{found[1]}" != size:
            raise APIError(
                400,
                f"The reference image must match the requested size {size}; it is"
                f" {found[0]}x{found[1]}.",
                param="input_reference",
            )


def video_reference(body: Mapping[str, Any], uploads: int) -> str | None:
    """``video``: exactly one of a file or ``{"id": ...}``; returns the id if given."""
    value = body.get("video")
    if value is None and uploads == 0:
        raise missing("video")
    if uploads > 1:
        raise APIError(400, "Only one video can be uploaded at a time.", param="video")
    if value is None:
        return None
    if uploads:
        raise APIError(400, "Give 'video' as a file or as an id, not both.", param="video")
    if not isinstance(value, dict):
        raise wrong_type("video", "an object", value)
    check_string(value, "id", param="video.id", required=True, nullable=False, min_length=1)
    video_id: str = value["id"]
    return video_id


def check_source_video(upload: Upload) -> MP4Info:
    """An uploaded source video: an MP4 (what its boxes say)."""
    info = mp4_info(upload.data)
    if info is None:
        raise APIError(400, "The uploaded video is not a valid MP4 file.", param="video")
    return info


def check_character(body: Mapping[str, Any], uploads: list[Upload]) -> MP4Info:
    """A character body: ``name`` (1 to 80 characters) and one ``video`` file (an MP4)."""
    check_string(body, "name", required=True, nullable=False, min_length=1, max_length=_MAX_NAME)
    if not uploads:
        raise missing("video")
    if len(uploads) > 1:
        raise APIError(400, "Only one video can be uploaded at a time.", param="video")
    return check_source_video(uploads[0])
