"""Content provenance checks: what the fake finds in an uploaded image or audio file.

An image (PNG, JPEG, WebP, GIF) gets a ``c2pa`` and a ``synthid`` result, an audio file a
``synthid`` result. Both say ``detected`` for a picture carrying the fake's provenance mark
(:mod:`.._provenance`: generated images, the videos' thumbnails and sprite sheets), and the
SynthID result for the fake's own speech (a WAV with its text chunk); anything else is
``not_detected``.
"""

from __future__ import annotations

from typing import Any, Final

from aio_openai.testing._audio.wav import hear
from aio_openai.testing._checks import APIError
from aio_openai.testing._provenance import ISSUER, read_mark

__all__ = ["file_kind", "provenance_results"]

_IMAGE_MAGIC: Final = (
    (b"\x89PNG\r\n\x1a\n", 0),
    (b"\xff\xd8\xff", 0),
    (b"GIF87a", 0),
    (b"GIF89a", 0),
)
_AUDIO_MAGIC: Final = ((b"ID3", 0), (b"fLaC", 0), (b"OggS", 0), (b"\xff\xfb", 0), (b"\xff\xf3", 0))


def file_kind(data: bytes) -> str | None:
    """``"image"`` or ``"audio"`` by the file's first bytes, or None for another kind."""
    if any(data[at : at + len(magic)] == magic for magic, at in _IMAGE_MAGIC):
        return "image"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio"
    if any(data[at : at + len(magic)] == magic for magic, at in _AUDIO_MAGIC):
        return "audio"
    return None


def _not_detected(kind: str) -> dict[str, Any]:
    result: dict[str, Any] = {"type": kind, "outcome": "not_detected", "model": None}
    result["generated_at"] = None
    if kind == "c2pa":
        result.update(issuer=None, validation_state="not_present")
    return result


def provenance_results(data: bytes) -> list[dict[str, Any]]:
    """The results of a check of ``data``; :class:`APIError` (400, ``file``) for a file
    that is neither an image nor audio."""
    kind = file_kind(data)
    if kind is None:
        raise APIError(
            400,
            "Unsupported file format. Supported formats are PNG, JPEG, WebP and GIF images"
            " and audio files.",
            param="file",
            code="unsupported_file",
        )
    if kind == "audio":
        synthid = _not_detected("synthid")
        if hear(data).text is not None:
            synthid.update(outcome="detected")
        return [synthid]
    mark = read_mark(data)
    c2pa, synthid = _not_detected("c2pa"), _not_detected("synthid")
    if mark is not None:
        found = {"outcome": "detected", "model": mark.get("model")}
        found["generated_at"] = mark.get("generated_at")
        c2pa.update(found, issuer=mark.get("issuer", ISSUER), validation_state="valid")
        synthid.update(found)
    return [c2pa, synthid]
