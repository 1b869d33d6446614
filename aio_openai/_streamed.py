"""Calls whose answer's body is left on the wire: sent through the client's streaming chain
(the same middlewares, a send step leaving a 2xx body unread), then read as it comes.

- :func:`open_stream`: a ``stream=True`` call; the AsyncStream of its events;
- :func:`open_response`: a call of ``with_streaming_response``; its AsyncAPIResponse, whose
  ``parse()`` reads the body and gives what the plain call returns;
- :func:`open_event_response`: a ``stream=True`` call of ``with_streaming_response``; its
  AsyncAPIResponse, whose ``parse()`` gives the AsyncStream.

Each returns once the status and headers are in; a non-2xx answer raises its typed error
(after the retries the policy allows). The body's idle timeout (between two pieces) is the
call's ``stream_idle_timeout``, else the client's, else the request's read timeout.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ._exceptions import not_a_stream_error, status_error
from ._http import HTTPResponse, Request, StreamedResponse, is_event_stream
from ._response import AsyncAPIResponse
from ._streaming import AsyncStream, EventStream, check_idle_timeout
from ._transport import WireBody
from ._types import NOT_GIVEN, NotGiven

if TYPE_CHECKING:
    from ._client import AsyncOpenAI

__all__ = ["open_event_response", "open_response", "open_stream"]

T = TypeVar("T")


def _idle_timeout(
    client: AsyncOpenAI, request: Request, options: Mapping[str, Any] | None
) -> float | None:
    """The call's ``stream_idle_timeout`` (in ``options``, the call's keyword arguments or
    per-call options), else the client's, else the request's read timeout (its ``timeout``)."""
    idle: float | NotGiven | None = (
        NOT_GIVEN if not options else options.get("stream_idle_timeout", NOT_GIVEN)
    )
    if not isinstance(idle, NotGiven):
        return check_idle_timeout(idle)
    idle = client.stream_idle_timeout
    if isinstance(idle, NotGiven):
        t = request.timeout
        idle = t.sock_read if t.sock_read is not None else t.total
    return idle


async def _send(
    client: AsyncOpenAI, request: Request, options: Mapping[str, Any] | None
) -> tuple[HTTPResponse, float | None]:
    """Send ``request`` through the streaming chain: its 2xx answer, body unread, and the
    idle timeout of its body; a non-2xx answer raises its typed error."""
    idle = _idle_timeout(client, request, options)
    request.stream = True
    response = await client._stream_handler(request)
    if not 200 <= response.status < 300:
        raise status_error(response)
    return response, idle


async def _check_event_stream(
    response: HTTPResponse, idle: float | None, limit: int | None
) -> None:
    """APIResponseValidationError, holding the body, for an answer that is no event stream."""
    if is_event_stream(response.headers):
        return
    if isinstance(response, StreamedResponse):
        body = WireBody(response.stream, response.request, limit)
        try:
            response.content = await body.read_all(idle)
        except BaseException:
            body.close()
            raise
    raise not_a_stream_error(response)


def _events_of(
    client: AsyncOpenAI, events: EventStream[T], idle: float | None
) -> Callable[[HTTPResponse], AsyncStream[T]]:
    """The function making the AsyncStream of an answer."""

    def stream(response: HTTPResponse) -> AsyncStream[T]:
        return events.stream_class(
            response,
            events.parse,
            idle_timeout=idle,
            max_event_bytes=client.max_response_bytes,
            final_events=events.final_events,
        )

    return stream


async def open_stream(
    client: AsyncOpenAI,
    request: Request,
    events: EventStream[T],
    options: Mapping[str, Any] | None,
) -> AsyncStream[T]:
    """Send a streaming request through the client's streaming chain; the stream of its answer.

    Returns once the status and headers are in: a non-2xx answer raises its typed error
    (after the retries the policy allows), a 2xx one that is not an event stream
    APIResponseValidationError. The idle timeout is the call's ``stream_idle_timeout`` (in
    ``options``, the call's keyword arguments or per-call options), else
    the client's, else the request's read timeout (its ``timeout``).
    """
    response, idle = await _send(client, request, options)
    await _check_event_stream(response, idle, client.max_response_bytes)
    return _events_of(client, events, idle)(response)


async def open_response(
    client: AsyncOpenAI,
    request: Request,
    parser: Callable[[HTTPResponse], T],
    options: Mapping[str, Any] | None,
) -> AsyncAPIResponse[T]:
    """Send a request through the streaming chain; its AsyncAPIResponse (the body unread,
    ``parse()`` reads it and gives ``parser``'s result) once the status and headers are in.
    A non-2xx answer raises its typed error, after the retries the policy allows."""
    response, idle = await _send(client, request, options)
    return AsyncAPIResponse(response, parser, idle=idle, limit=client.max_response_bytes)


async def open_event_response(
    client: AsyncOpenAI,
    request: Request,
    events: EventStream[T],
    options: Mapping[str, Any] | None,
) -> AsyncAPIResponse[AsyncStream[T]]:
    """As :func:`open_stream`, the stream's AsyncAPIResponse: ``parse()`` gives the stream,
    or the body is read as it is (``iter_lines()``, ...)."""
    response, idle = await _send(client, request, options)
    limit = client.max_response_bytes
    await _check_event_stream(response, idle, limit)
    parser = _events_of(client, events, idle)
    return AsyncAPIResponse(response, parser, idle=idle, limit=limit, is_stream=True)
