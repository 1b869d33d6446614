"""The state of the fake chat completions, legacy completions and embeddings: scripted replies
and refusals, stream settings, and the completions stored with ``store: true``."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, Final

import attrs

from aio_openai.testing._chat.legacy import text_completion
from aio_openai.testing._chat.model import completion, encode, store_messages, vector
from aio_openai.testing._checks import APIError
from aio_openai.testing._fake_model import tokens

__all__ = ["ChatState", "StoredCompletion"]

_LINE_ENDS: Final = ("\n", "\r\n", "\r")


@attrs.define
class StoredCompletion:
    """A completion stored with ``store: true``: the answer (with its ``metadata``) and the
    request's messages as ``messages.list`` shows them."""

    record: dict[str, Any]
    messages: list[dict[str, Any]]


class ChatState:
    """What the fake's chat completions, legacy completions and embeddings answer
    (``fake.state.chat``).

    ``replies`` maps a last user message (a legacy completion's prompt) to the reply (with a
    ``json_schema`` response format, a reply that is JSON is sent as it is, another one becomes
    JSON fitting the schema); ``refusals`` maps a last user message to a refusal
    (``message.refusal``, no content); ``chunk_size`` is the characters of content a streamed
    chunk carries (4 by default); ``line_end`` the line end of the streamed frames (``"\\n"``,
    ``"\\r\\n"`` or ``"\\r"``). ``stored`` holds the completions made with ``store: true``,
    oldest first, by id. Safe to change from any thread.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.replies: dict[str, str] = {}
        self.refusals: dict[str, str] = {}
        self.chunk_size = 4
        self.line_end = "\n"
        self.stored: dict[str, StoredCompletion] = {}

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
        """The chat completion answering a checked body (see :mod:`.model`), stored when the
        body says ``store: true``."""
        answer = completion(self.replies, body, self.refusals)
        if body.get("store") is True:
            record = {**answer, "metadata": dict(body.get("metadata") or {})}
            stored = StoredCompletion(record, store_messages(answer["id"], body["messages"]))
            with self._lock:
                self.stored[answer["id"]] = stored
        return answer

    def complete_text(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """The legacy completion answering a checked body (see :mod:`.legacy`)."""
        return text_completion(self.replies, body)

    def clear(self) -> None:
        """Forget every stored completion."""
        with self._lock:
            self.stored.clear()

    # -- stored completions ----------------------------------------------------------------

    def _stored(self, completion_id: str) -> StoredCompletion:
        found = self.stored.get(completion_id)
        if found is None:
            raise APIError(
                404, f"Chat completion with id '{completion_id}' not found.", param="completion_id"
            )
        return found

    def retrieve(self, completion_id: str) -> dict[str, Any]:
        """A stored completion; 404 if there is none."""
        with self._lock:
            return self._stored(completion_id).record

    def update(self, completion_id: str, metadata: Mapping[str, str] | None) -> dict[str, Any]:
        """Replace a stored completion's ``metadata`` (None clears it); return it."""
        with self._lock:
            stored = self._stored(completion_id)
            stored.record = {**stored.record, "metadata": dict(metadata or {})}
            return stored.record

    def delete(self, completion_id: str) -> None:
        """Forget a stored completion; 404 if there is none."""
        with self._lock:
            self._stored(completion_id)
            del self.stored[completion_id]

    def completions(self, model: str | None, metadata: Mapping[str, str]) -> list[dict[str, Any]]:
        """The stored completions, oldest first, of ``model`` (if given) whose metadata holds
        every key and value of ``metadata``."""
        with self._lock:
            return [
                s.record
                for s in self.stored.values()
                if (model is None or s.record["model"] == model)
                and metadata.items() <= s.record["metadata"].items()
            ]

    def messages(self, completion_id: str) -> list[dict[str, Any]]:
        """The request messages of a stored completion, oldest first; 404 if there is none."""
        with self._lock:
            return list(self._stored(completion_id).messages)

    # -- embeddings ------------------------------------------------------------------------

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
