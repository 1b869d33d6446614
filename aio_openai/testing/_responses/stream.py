"""The server-sent events of a streamed response, as OpenAI sends them.

Each event carries its ``sequence_number``: ``response.created``, (``response.queued``,)
``response.in_progress``, then per output item ``response.output_item.added``, for a message
``response.content_part.added``, ``response.output_text.delta`` (``chunk_size`` characters
each), ``response.output_text.done`` (for a refusal ``response.refusal.delta`` and
``.done``), ``response.content_part.done``; for a function call
``response.function_call_arguments.delta`` and ``.done``; ``response.output_item.done``; and
``response.completed`` (or ``response.incomplete``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aio_openai.testing._responses.model import unfinished
from aio_openai.testing._sse import frame

__all__ = ["event_frames", "stream_events"]


def stream_events(final: Mapping[str, Any], chunk_size: int) -> list[dict[str, Any]]:
    """The events of a streamed response (settled at once), as OpenAI sends them."""
    size = chunk_size
    events: list[dict[str, Any]] = []

    def emit(kind: str, **data: Any) -> None:
        events.append({"type": kind, "sequence_number": len(events), **data})

    early = unfinished(final, "in_progress")
    emit("response.created", response={**early, "status": "queued"} if final["background"]
         else early)  # fmt: skip
    if final["background"]:
        emit("response.queued", response={**early, "status": "queued"})
    emit("response.in_progress", response=early)
    for index, item in enumerate(final["output"]):
        where = {"item_id": item["id"], "output_index": index}
        if item["type"] == "message":
            emit(
                "response.output_item.added",
                output_index=index,
                item={**item, "status": "in_progress", "content": []},
            )
            for k, part in enumerate(item["content"]):
                kind = "refusal" if part.get("type") == "refusal" else "output_text"
                key = "refusal" if kind == "refusal" else "text"
                text = part.get(key, "")
                emit(
                    "response.content_part.added",
                    **where,
                    content_index=k,
                    part={**part, key: ""},
                )
                extra: dict[str, Any] = {} if kind == "refusal" else {"logprobs": []}
                for start in range(0, len(text), size):
                    emit(
                        f"response.{kind}.delta",
                        **where,
                        content_index=k,
                        delta=text[start : start + size],
                        **extra,
                    )
                emit(f"response.{kind}.done", **where, content_index=k, **{key: text}, **extra)
                emit("response.content_part.done", **where, content_index=k, part=part)
        else:
            arguments = item["arguments"]
            emit(
                "response.output_item.added",
                output_index=index,
                item={**item, "status": "in_progress", "arguments": ""},
            )
            for start in range(0, len(arguments), size):
                emit(
                    "response.function_call_arguments.delta",
                    **where,
                    delta=arguments[start : start + size],
                )
            emit(
                "response.function_call_arguments.done",
                **where,
                name=item["name"],
                arguments=arguments,
            )
        emit("response.output_item.done", output_index=index, item=item)
    emit(f"response.{final['status']}", response=final)
    return events


def event_frames(events: Iterable[Mapping[str, Any]]) -> list[bytes]:
    """The frames of ``events``, each named by its type."""
    return [frame(e, event=e["type"]) for e in events]
