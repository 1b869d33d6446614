"""Server-sent events: an incremental parser (WHATWG rules) and AsyncStream.

:class:`SSEDecoder` turns bytes, split anywhere (mid-line, mid-UTF-8 character, between a CR
and its LF), into :class:`ServerSentEvent` values, following the WHATWG "event stream
interpretation": lines end in CRLF, LF or CR; a leading BOM is dropped; ``:`` starts a comment;
``field: value`` loses one space after the colon; ``data`` lines accumulate (joined by LF),
``event`` names the event, ``id`` sets the last event id (kept until the server changes it;
values with NUL are ignored), ``retry`` sets the reconnection time (ASCII digits only); a blank
line dispatches the event if it has data; an event cut off by the end of the stream is
not dispatched (``mid_event`` tells). Two deviations, as the official SDK: an event without
``event:`` has ``event`` None (WHATWG calls it "message"), and the reconnection time is
reported on each event as ``retry``. With ``max_bytes``, a line or an event's data longer than
that raises EventTooLargeError.

:class:`AsyncStream` is what ``create(..., stream=True)`` returns: it reads the open response
chunk by chunk, parses each event's JSON into the endpoint's type and ends at
``data: [DONE]`` or at one of the final events its kind declares (``final_events``: the
Responses API ends at ``response.completed`` and the like, a run at its terminal event). A
body that ends before that was cut, even when it ended cleanly (an HTTP/1.0 body ends when
the connection closes): APIConnectionError, as for any cut connection. An ``error`` event or
an ``{"error": ...}`` payload raises APIError, a silence longer than the idle timeout
APITimeoutError, an event over the client's ``max_response_bytes`` ResponseTooLargeError;
never a raw aiohttp error. The connection goes back to the pool once the stream is read to
its end, and is closed when the stream is left early (``async with``,
``await stream.close()``) or fails.
"""

from __future__ import annotations

import json
import re
import sys
from collections import deque
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Final, Generic, Self, TypeVar

import attrs

from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    ResponseTooLargeError,
)
from ._http import HTTPResponse, StreamedResponse
from ._response import APIResponse
from ._transport import WireBody

__all__ = [
    "AsyncStream",
    "EventStream",
    "SSEDecoder",
    "ServerSentEvent",
    "check_idle_timeout",
]

T = TypeVar("T")

_LINE_END: Final = re.compile(rb"\r\n|\r|\n")
_BOM: Final = b"\xef\xbb\xbf"
_COLON: Final = 0x3A
#: After ``[DONE]``, read at most this much of what follows (then close rather than reuse).
_DRAIN_LIMIT: Final = 64 * 1024
#: ... and wait at most this long for the end of the body.
_DRAIN_TIMEOUT: Final = 1.0
_STREAM_ERROR: Final = "An error occurred during streaming"


@attrs.frozen(slots=True)
class ServerSentEvent:
    """One dispatched event: its name (None when unnamed), data, last event id and retry."""

    event: str | None = None
    data: str = ""
    id: str | None = None
    retry: int | None = None

    def json(self) -> Any:
        """The data parsed as JSON; ValueError when it is not JSON (or nested too deep)."""
        try:
            return json.loads(self.data)
        except RecursionError:
            raise ValueError("the event's JSON is nested too deep") from None


class EventTooLargeError(ValueError):
    """A line, or the data of one event, passed the decoder's ``max_bytes`` (``limit``)."""

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(f"{what} is longer than {limit:,} bytes")
        self.limit = limit


class SSEDecoder:
    """Incremental server-sent-events parser: ``feed(bytes)`` returns the events completed.

    With ``max_bytes``, an unfinished line or an event's data longer than that raises
    EventTooLargeError instead of growing without limit.
    """

    __slots__ = (
        "_buffer",
        "_data",
        "_data_size",
        "_event",
        "_first",
        "_last_id",
        "_max",
        "_retry",
        "_skip_lf",
    )

    def __init__(self, max_bytes: int | None = None) -> None:
        self._buffer = bytearray()  # the unfinished line
        self._skip_lf = False  # the last chunk ended in CR: a leading LF belongs to it
        self._first = True  # the first line may start with a BOM
        self._data: list[str] = []
        self._data_size = 0  # characters in _data
        self._event: str | None = None
        self._last_id: str | None = None
        self._retry: int | None = None
        self._max = sys.maxsize if max_bytes is None else max_bytes

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Parse ``chunk`` (any piece of the stream); return the events it completed."""
        if self._skip_lf:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        if b"\r" in chunk:
            lines = _LINE_END.split(chunk)
            self._skip_lf = chunk[-1:] == b"\r"
        else:
            lines = chunk.split(b"\n")
        rest = lines.pop()
        buffer = self._buffer
        if not lines:
            buffer += rest
            if len(buffer) > self._max:
                raise EventTooLargeError("a line", self._max)
            return []
        if buffer:
            lines[0] = bytes(buffer) + lines[0]
            buffer.clear()
        buffer += rest
        if len(buffer) > self._max:
            raise EventTooLargeError("a line", self._max)
        events: list[ServerSentEvent] = []
        for line in lines:
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    @property
    def mid_event(self) -> bool:
        """Whether an event (or a line) was begun and not finished by a blank line."""
        return bool(self._buffer or self._data or self._event is not None)

    def _line(self, line: bytes) -> ServerSentEvent | None:
        if self._first:
            self._first = False
            if line.startswith(_BOM):
                line = line[3:]
        if not line:
            return self._dispatch()
        if line[0] == _COLON:
            return None  # a comment
        field, colon, value = line.decode("utf-8", "replace").partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if field == "data":
            self._data.append(value)
            self._data_size += len(line)
            if self._data_size > self._max:
                raise EventTooLargeError("an event's data", self._max)
        elif field == "event":
            self._event = value
        elif field == "id":
            if "\0" not in value:
                self._last_id = value or None
        elif field == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        data = self._data
        if not data:
            self._event = None
            return None
        event = ServerSentEvent(
            event=self._event or None, data="\n".join(data), id=self._last_id, retry=self._retry
        )
        self._data = []
        self._data_size = 0
        self._event = None
        return event


def _error_message(error: Any) -> str:
    message = error.get("message") if isinstance(error, Mapping) else None
    return message if isinstance(message, str) and message else _STREAM_ERROR


class AsyncStream(Generic[T]):
    """The events of a streamed answer, parsed: ``async for item in stream``.

    ``async with stream`` (or ``await stream.close()``) releases the connection when the
    loop is left early; a stream read to its end releases it by itself. ``response`` gives
    the status, headers and request id. Iterating raises APIError for an error event,
    APIConnectionError when the connection is cut or the body ends before the stream's final
    event (``data: [DONE]``, or one of ``final_events``), APITimeoutError when no data arrives
    for ``idle_timeout`` seconds and ResponseTooLargeError for an event over
    ``max_event_bytes``; after any of them the stream is closed.
    """

    __slots__ = (
        "_api_response",
        "_body",
        "_closed",
        "_complete",
        "_decoder",
        "_done",
        "_final",
        "_idle",
        "_parse",
        "_pending",
        "_response",
        "_unread",
    )

    def __init__(
        self,
        response: HTTPResponse,
        parse: Callable[[str | None, Any], T],
        *,
        idle_timeout: float | None = None,
        max_event_bytes: int | None = None,
        final_events: frozenset[str] = frozenset(),
    ) -> None:
        self._response = response
        self._parse = parse
        self._final = final_events
        self._complete = False
        self._idle = idle_timeout
        self._decoder = SSEDecoder(max_event_bytes)
        self._pending: deque[ServerSentEvent] = deque()
        self._closed = False
        self._done = False
        self._api_response: APIResponse[AsyncStream[T]] | None = None
        self._body: WireBody | None
        # a body already read in full (a middleware answered from memory, say) is read as
        # one chunk
        self._unread = b""
        if isinstance(response, StreamedResponse):
            self._body = WireBody(response.stream, response.request)
        else:
            self._body = None
            self._unread = response.content

    @property
    def response(self) -> APIResponse[AsyncStream[T]]:
        """The HTTP answer: ``status_code``, ``headers``, ``request_id``, ``http_request``
        (``parse()`` is self); ``await stream.response.aclose()`` closes the stream."""
        api_response = self._api_response
        if api_response is None:
            api_response = APIResponse(self._response, lambda _: self, self)
            self._api_response = api_response
        return api_response

    @property
    def request_id(self) -> str | None:
        """OpenAI's ``x-request-id`` of the answer."""
        return self._response.request_id

    @property
    def http_response(self) -> HTTPResponse:
        """The answer as the transport gave it (status, headers, the request): what an error
        about the stream's content (ContentParseError) is built with."""
        return self._response

    @property
    def closed(self) -> bool:
        """True once the stream ended, failed or was closed."""
        return self._closed

    # -- iteration ---------------------------------------------------------------------------

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> T:
        pending = self._pending
        while True:
            while pending:
                sse = pending.popleft()
                if sse.data.startswith("[DONE]"):
                    await self._finish()
                    raise StopAsyncIteration
                try:
                    return self._item(sse)
                except BaseException:
                    self._abort()
                    raise
            if self._done:
                raise StopAsyncIteration
            chunk = await self._read()
            if not chunk:
                self._done = True
                self._release()
                if not self._complete:
                    raise self._ended_early()
                raise StopAsyncIteration
            try:
                pending.extend(self._decoder.feed(chunk))
            except EventTooLargeError as exc:
                self._abort()
                raise ResponseTooLargeError(
                    self._response.request,
                    limit=exc.limit,
                    size=None,
                    subject="A stream event (or one of its lines)",
                ) from None

    def _item(self, sse: ServerSentEvent) -> T:
        """The parsed item of one event; APIError for errors."""
        try:
            data = sse.json()
        except ValueError as exc:
            reason: str | None = str(exc)
        else:
            reason = None
        if reason is not None:  # raised outside the except block: no __context__ with the data
            raise APIResponseValidationError(
                self._response, sse.data, message=f"A stream event is not valid JSON: {reason}"
            )
        name = sse.event
        final = self._final
        if final and (name in final or (type(data) is dict and data.get("type") in final)):
            self._complete = True
        if name == "error":
            error = data.get("error", data) if isinstance(data, Mapping) else data
            raise APIError(_error_message(error), self._response.request, body=error)
        if type(data) is dict:
            error = data.get("error")
            if error and not (name and name.startswith("thread.")):
                raise APIError(_error_message(error), self._response.request, body=error)
            usage = data.get("usage")
            if usage is None:  # the Responses API: in response.completed's "response"
                inner = data.get("response")
                if type(inner) is dict:
                    usage = inner.get("usage")
            if usage and isinstance(self._response, StreamedResponse):
                self._report_usage(usage)
        try:
            return self._parse(name, data)
        except APIError:
            raise
        except Exception as exc:
            reason = repr(exc)
        raise APIResponseValidationError(  # outside the except block: no __context__
            self._response, data, message=f"Invalid stream event {name or ''}: {reason}"
        )

    def _ended_early(self) -> APIConnectionError:
        """The error of a body that ended before the stream's final event."""
        where = " in the middle of an event" if self._decoder.mid_event else ""
        final = " or ".join(["data: [DONE]", *sorted(self._final)])
        return APIConnectionError(
            message=f"The stream ended{where} before its final event ({final}): the connection"
            " was closed early.",
            request=self._response.request,
        )

    def _report_usage(self, usage: Any) -> None:
        assert isinstance(self._response, StreamedResponse)
        hooks = self._response.usage_hooks
        if hooks and isinstance(usage, Mapping):
            self._response.usage_hooks = []
            for hook in hooks:
                hook(usage)

    async def _read(self) -> bytes:
        """The next piece of the body (b"" at its end), within the idle timeout."""
        if self._closed:
            return b""
        body = self._body
        if body is None:
            chunk, self._unread = self._unread, b""
            return chunk
        try:
            return await body.read(self._idle)
        except BaseException:
            self._abort()
            raise

    async def _finish(self) -> None:
        """``[DONE]``: read what little follows so the connection can be reused, release it."""
        self._done = True
        self._complete = True
        self._pending.clear()
        body = self._body
        if body is None or self._closed:
            self._closed = True
            return
        try:
            await body.drain(_DRAIN_LIMIT, _DRAIN_TIMEOUT)
        finally:
            self._release()

    # -- closing -----------------------------------------------------------------------------

    def _release(self) -> None:
        """Give the connection back (closed instead when the body was not read to its end)."""
        if self._closed:
            return
        self._closed = True
        self._done = True
        if self._body is not None:
            self._body.release()

    def _abort(self) -> None:
        """Close the connection at once."""
        if self._closed:
            return
        self._closed = True
        self._done = True
        self._pending.clear()
        if self._body is not None:
            self._body.close()

    async def close(self) -> None:
        """Stop reading and release the connection (closing it if the body was not read)."""
        self._pending.clear()
        self._release()

    aclose = close

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<AsyncStream {state} {self._response.request.method} {self._response.request.url}>"


# -- opening a stream -----------------------------------------------------------------------------


@attrs.frozen
class EventStream(Generic[T]):
    """How to read one kind of stream: ``parse(event, data)`` makes each item, and
    ``final_events`` are the event names (or ``type`` values) that complete it besides
    ``data: [DONE]`` (a body ending before one came was cut); ``stream_class`` makes the
    stream (AsyncStream's arguments; a subclass of it, or a function making one, for a
    stream kind with more to it)."""

    parse: Callable[[str | None, Any], T]
    final_events: frozenset[str] = frozenset()
    stream_class: Callable[..., AsyncStream[T]] = AsyncStream


def check_idle_timeout(value: float | None) -> float | None:
    """A ``stream_idle_timeout``: a positive number of seconds, or None for no limit."""
    if value is not None and (not isinstance(value, int | float) or value <= 0):
        raise ValueError(f"stream_idle_timeout must be a positive number of seconds, got {value!r}")
    return value
