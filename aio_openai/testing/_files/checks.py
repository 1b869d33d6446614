"""OpenAI's 400s for file uploads (``POST /v1/files``)."""

from __future__ import annotations

from typing import Any, Final

from aio_openai.testing._checks import (
    APIError,
    check_expiry,
    check_unrecognized,
    invalid_value,
    literal_values,
    missing,
)
from aio_openai.testing._forms import Form, Upload
from aio_openai.types.file_purpose import FilePurpose

__all__ = [
    "MAX_BATCH_FILE_BYTES",
    "MAX_FILE_BYTES",
    "UPLOAD_PURPOSES",
    "check_create",
    "check_file",
]

#: The purposes a file may be uploaded for.
UPLOAD_PURPOSES: Final = literal_values(FilePurpose)
#: The largest file the Files API takes, and the largest batch input file.
MAX_FILE_BYTES: Final = 512 * 1024 * 1024
MAX_BATCH_FILE_BYTES: Final = 200 * 1024 * 1024
#: The range of ``expires_after.seconds`` (an hour to 30 days).
EXPIRY_SECONDS: Final = (3600, 2_592_000)


def check_file(purpose: str, filename: str, size: int) -> None:
    """A file of ``size`` bytes called ``filename`` may be stored for ``purpose``."""
    if size > MAX_FILE_BYTES:
        raise APIError(
            400,
            f"File is too large: {size} bytes; the maximum is {MAX_FILE_BYTES} bytes.",
            param="file",
        )
    if purpose == "batch":
        if not filename.endswith(".jsonl"):
            raise APIError(400, "Invalid file format for Batch API. Must be .jsonl", param="file")
        if size > MAX_BATCH_FILE_BYTES:
            raise APIError(
                400,
                f"File is too large for the Batch API: {size} bytes; the maximum is"
                f" {MAX_BATCH_FILE_BYTES} bytes.",
                param="file",
            )


def check_purpose(body: dict[str, Any]) -> str:
    """``body["purpose"]``: present and one the API takes for uploads."""
    purpose = body.get("purpose")
    if purpose is None:
        raise missing("purpose")
    if purpose not in UPLOAD_PURPOSES:
        raise invalid_value("purpose", purpose, UPLOAD_PURPOSES)
    return str(purpose)


def check_expires_after(body: dict[str, Any]) -> int | None:
    """The seconds of ``body["expires_after"]`` (sent as form text), if given."""
    value = body.get("expires_after")
    if isinstance(value, dict) and isinstance(value.get("seconds"), str):
        text = value["seconds"]
        value = {**value, "seconds": int(text) if text.lstrip("-").isdigit() else text}
        body = {**body, "expires_after": value}
    low, high = EXPIRY_SECONDS
    check_expiry(body, "expires_after", anchor="created_at", unit="seconds", low=low, high=high)
    return None if value is None else int(value["seconds"])


def check_create(form: Form) -> tuple[Upload, str, int | None]:
    """The file, purpose and expiry seconds of a ``POST /v1/files`` form, checked."""
    check_unrecognized(form.fields, ("purpose", "expires_after"))
    uploads = form.files.get("file")
    if not uploads:
        raise missing("file")
    if len(uploads) > 1:
        raise APIError(400, "Only one file can be uploaded at a time.", param="file")
    purpose = check_purpose(form.fields)
    seconds = check_expires_after(form.fields)
    upload = uploads[0]
    check_file(purpose, upload.filename, len(upload.data))
    return upload, purpose, seconds
