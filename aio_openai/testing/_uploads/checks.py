"""OpenAI's 400s for the Uploads API's bodies."""

from __future__ import annotations

from typing import Any, Final

from aio_openai.testing._checks import (
    APIError,
    check_expiry,
    check_string,
    check_unrecognized,
    missing,
    wrong_type,
)
from aio_openai.testing._files.checks import EXPIRY_SECONDS, check_purpose

__all__ = ["MAX_PART_BYTES", "MAX_UPLOAD_BYTES", "check_complete", "check_create"]

#: The most bytes an upload may declare, and a part may hold.
MAX_UPLOAD_BYTES: Final = 8 * 1024**3
MAX_PART_BYTES: Final = 64 * 1024**2


def check_create(body: dict[str, Any]) -> None:
    """A ``POST /v1/uploads`` body: ``bytes``, ``filename``, ``mime_type``, ``purpose`` and
    an optional ``expires_after``."""
    check_unrecognized(body, ("bytes", "filename", "mime_type", "purpose", "expires_after"))
    for key in ("bytes", "filename", "mime_type", "purpose"):
        if body.get(key) is None:
            raise missing(key)
    size = body["bytes"]
    if isinstance(size, bool) or not isinstance(size, int):
        raise wrong_type("bytes", "an integer", size)
    if not 0 < size <= MAX_UPLOAD_BYTES:
        raise APIError(
            400,
            f"Invalid 'bytes': expected a value between 1 and {MAX_UPLOAD_BYTES}, got {size}.",
            param="bytes",
        )
    check_string(body, "filename")
    check_string(body, "mime_type")
    check_purpose(body)
    low, high = EXPIRY_SECONDS
    check_expiry(body, "expires_after", anchor="created_at", unit="seconds", low=low, high=high)


def check_complete(body: dict[str, Any]) -> None:
    """A ``POST /v1/uploads/{id}/complete`` body: ``part_ids`` (strings) and an optional
    ``md5``."""
    check_unrecognized(body, ("part_ids", "md5"))
    part_ids = body.get("part_ids")
    if part_ids is None:
        raise missing("part_ids")
    if not isinstance(part_ids, list) or not all(isinstance(p, str) for p in part_ids):
        raise wrong_type("part_ids", "an array of strings", part_ids)
    check_string(body, "md5")
