"""Server-sent events of the fake server: framing, sending, and the stream faults.

The streaming routes (chat completions, Assistants runs, responses) build their events as
frames with :func:`frame` and send them with :func:`send_events`, one ``write`` per frame. A
stream fault (``stream_cut``, ``stream_stall``, ``stream_error``, see :mod:`._faults`) put on
the request by the faults middleware takes effect after ``after`` bytes of the body (by
default, after the first frame): the connection is cut there, the stream stalls until the
faults are released, or an error event ends the stream.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterable, Awaitable, Callable, Iterable
from contextlib import aclosing
from typing import Any, Final, Literal

import attrs
from aiohttp import web

from aio_openai.testing._http import reset_connection

__all__ = ["STREAM_FAULT_KEY", "StreamFault", "error_frame", "frame", "send_events"]

StreamFaultKind = Literal["stream_cut", "stream_stall", "stream_error"]


@attrs.frozen
class StreamFault:
    """A fault to apply to the stream a request is answered with."""

    kind: StreamFaultKind
    after: int | None = None
    stall: Callable[[], Awaitable[None]] | None = None


#: Where the faults middleware leaves the stream fault of a request.
STREAM_FAULT_KEY: Final = web.RequestKey("aio_openai_fake_stream_fault", StreamFault)

_STREAM_ERROR: Final = {
    "message": "The server had an error while processing your request. Sorry about that!",
    "type": "server_error",
    "param": None,
    "code": None,
}


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def frame(data: Any, *, event: str | None = None, line_end: str = "\n") -> bytes:
    """One event: ``event: NAME`` (if named) and ``data: JSON`` (``[DONE]`` stays as is)."""
    text = data if isinstance(data, str) else _dumps(data)
    lines = [] if event is None else [f"event: {event}"]
    lines.extend(f"data: {part}" for part in text.split("\n"))
    return (line_end.join(lines) + line_end + line_end).encode()


def error_frame(*, event: str | None) -> bytes:
    """The frame a ``stream_error`` fault ends the stream with (named ``error`` or not)."""
    if event is None:
        return frame({"error": _STREAM_ERROR})
    return frame(_STREAM_ERROR, event=event)


async def send_events(
    request: web.Request,
    frames: Iterable[bytes] | AsyncIterable[bytes],
    *,
    error_event: str | None = None,
    headers: dict[str, str] | None = None,
) -> web.StreamResponse:
    """Answer ``request`` with a ``text/event-stream`` of ``frames`` (an async iterable
    for events sent as they happen), applying its fault.

    ``error_event`` names the event a ``stream_error`` fault sends (None: an unnamed event
    with an ``{"error": ...}`` payload, as chat completions do).
    """
    response = web.StreamResponse(
        status=200,
        headers={"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache"},
    )
    if headers:
        response.headers.update(headers)
    await response.prepare(request)
    fault = request.get(STREAM_FAULT_KEY)
    sent = 0
    async with aclosing(_each(frames)) as each:
        async for data in each:
            if fault is not None:
                at = len(data) if fault.after is None else fault.after - sent
                if at <= len(data):  # the fault strikes in this frame (or right after it)
                    head, tail = data[:at], data[at:]
                    if head:
                        await response.write(head)
                    if fault.kind == "stream_cut":
                        reset_connection(request)
                        return response
                    if fault.kind == "stream_stall" and fault.stall is not None:
                        await fault.stall()
                    if tail:
                        await response.write(tail)
                    if fault.kind == "stream_error":
                        await response.write(error_frame(event=error_event))
                        break
                    fault = None
                    sent += len(data)
                    continue
            await response.write(data)
            sent += len(data)
    await response.write_eof()
    return response


async def _each(
    frames: Iterable[bytes] | AsyncIterable[bytes],
) -> AsyncGenerator[bytes, None]:
    """The frames, one by one; an async generator of them is closed when they stop."""
    if isinstance(frames, AsyncIterable):
        try:
            async for data in frames:
                yield data
        finally:
            close = getattr(frames, "aclose", None)
            if close is not None:
                await close()
    else:
        for data in frames:
            yield data
