"""The state of the fake chat completions and embeddings: scripted replies, stream settings."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, Final

from aio_openai.testing._chat.legacy import text_completion
from aio_openai.testing._chat.model import completion, encode, vector
from aio_openai.testing._fake_model import tokens

__all__ = ["ChatState"]

_LINE_ENDS: Final = ("\n", "\r\n", "\r")


class ChatState:
    """What the fake's chat completions, legacy completions and embeddings answer
    (``fake.state.chat``).

    ``replies`` maps a last user message (a legacy completion's prompt) to the reply (with a
    ``json_schema`` response format, a reply that is JSON is sent as it is, another one becomes
    JSON fitting the schema); ``refusals`` maps a last user message to a refusal
    (``message.refusal``, no content); ``chunk_size`` is the characters of content a streamed
    chunk carries (4 by default); ``line_end`` the line end of the streamed frames (``"\\n"``,
    ``"\\r\\n"`` or ``"\\r"``). Safe to change from any thread.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.replies: dict[str, str] = {}
        self.refusals: dict[str, str] = {}
        self.chunk_size = 4
        self.line_end = "\n"

    def configure(self, *, chunk_size: int | None = None, line_end: str | None = None) -> None:
        """Set the streamed chunks' size (characters, >= 1) and their frames' line end."""
        if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
            raise ValueError(f"chunk_size must be an int >= 1, got {chunk_size!r}")
        if line_end is not None and line_end not in _LINE_ENDS:
            raise ValueError(f"line_end must be one of {_LINE_ENDS!r}, got {line_end!r}")
        with self._lock:
            if chunk_size is not None:
                self.chunk_size = chunk_size
            if line_end is not None:
                self.line_end = line_end

    def stream_format(self) -> tuple[int, str]:
        """The chunk size and line end of a stream, as one consistent pair."""
        with self._lock:
            return self.chunk_size, self.line_end

    def complete(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """The chat completion answering a checked body (see :mod:`.model`)."""
        return completion(self.replies, body, self.refusals)

    def complete_text(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """The legacy completion answering a checked body (see :mod:`.legacy`)."""
        return text_completion(self.replies, body)

    def embed(
        self, model: str, items: list[str | list[int]], dimensions: int | None, encoding: str
    ) -> dict[str, Any]:
        """The embeddings answer for checked inputs (``encoding``: float or base64)."""
        data = []
        for index, item in enumerate(items):
            values = vector(model, item, dimensions)
            embedding: list[float] | str = encode(values) if encoding == "base64" else values
            data.append({"object": "embedding", "index": index, "embedding": embedding})
        count = sum(tokens(i) if isinstance(i, str) else len(i) for i in items)
        return {
            "object": "list",
            "data": data,
            "model": model,
            "usage": {"prompt_tokens": count, "total_tokens": count},
        }
