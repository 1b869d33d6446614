"""What the speech-to-text endpoints answer for each ``response_format``."""

from __future__ import annotations

from typing import Final

from ..._http import HTTPResponse

__all__ = ["TEXT_FORMATS", "text_parser"]

#: The formats answered as plain text (a ``str``), not JSON.
TEXT_FORMATS: Final = frozenset({"text", "srt", "vtt"})


def text_parser(response: HTTPResponse) -> str:
    """The answer's body as text (UTF-8)."""
    return response.content.decode("utf-8", "replace")
