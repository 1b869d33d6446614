"""HTTP helpers of the fake server: JSON answers, OpenAI's error bodies, JSON request bodies.

A fake API's route is a coroutine taking the request and returning the answer's JSON value
(or an already sent :class:`aiohttp.web.StreamResponse`, for server-sent events);
:func:`api_route` makes it an aiohttp handler that serializes the value and turns an
:class:`._checks.APIError` into OpenAI's error body.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final

from aiohttp import web
from aiohttp.typedefs import Handler

from aio_openai.testing._checks import APIError

__all__ = [
    "JSON",
    "PARSE_ERROR",
    "POLL_AFTER_HEADER",
    "Answer",
    "JSONOperation",
    "Route",
    "api_route",
    "bearer_key",
    "dumps",
    "error_answer",
    "json_error",
    "json_response",
    "read_json_object",
    "reset_connection",
]

JSON: Final = "application/json"

#: OpenAI's 400 for a request body that is not JSON.
PARSE_ERROR: Final = (
    "We could not parse the JSON body of your request. (HINT: This likely means you "
    "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, "
    "but what was sent was not valid JSON. If you have trouble figuring out how to "
    "fix this, please contact us through our help center at help.openai.com.)"
)

#: The header telling pollers how long to wait before the next look, in milliseconds.
POLL_AFTER_HEADER: Final = "openai-poll-after-ms"

#: What a route answers: a JSON value, or a response it has sent itself (a stream).
Answer = Mapping[str, Any] | web.StreamResponse
Route = Callable[[web.Request], Awaitable[Answer]]
#: What a JSON ``POST`` endpoint does, HTTP aside: a parsed body in, the answer's JSON value
#: out, or :class:`APIError`. The route serves it; a batch runs its lines through it.
JSONOperation = Callable[[dict[str, Any]], dict[str, Any]]


def bearer_key(request: web.Request) -> str:
    """The API key a request was sent with (the rate-limit buckets are per key)."""
    return request.headers.get("Authorization", "").removeprefix("Bearer ").strip()


def dumps(value: object) -> bytes:
    """Serialize ``value`` to compact JSON bytes (UTF-8, not ASCII-escaped)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def json_response(body: bytes) -> web.Response:
    """A 200 response carrying the already serialized JSON ``body``."""
    return web.Response(body=body, content_type=JSON)


def json_error(
    status: int,
    message: str,
    *,
    type: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
) -> web.Response:
    """An error response with OpenAI's body: ``{"error": {message, type, param, code}}``."""
    error = {"message": message, "type": type, "param": param, "code": code}
    body = json.dumps({"error": error}, ensure_ascii=False).encode()
    return web.Response(status=status, body=body, content_type=JSON)


def error_answer(exc: APIError) -> web.Response:
    """The error response of an :class:`APIError`."""
    return json_error(exc.status, exc.message, type=exc.type, param=exc.param, code=exc.code)


async def read_json_object(
    request: web.Request, *, parse_error: str = PARSE_ERROR, empty: bool = True
) -> dict[str, Any]:
    """The request's body, a JSON object; :class:`APIError` (400) if it is not one.

    An empty body is ``{}`` when ``empty`` is true, else a parse error (``parse_error``).
    """
    raw = await request.read()
    try:
        body = json.loads(raw) if raw or not empty else {}
    except ValueError:
        raise APIError(400, parse_error) from None
    if not isinstance(body, dict):
        raise APIError(400, "The request body must be a JSON object.")
    return body


def api_route(route: Route, *, headers: Callable[[], Mapping[str, str]] | None = None) -> Handler:
    """An aiohttp handler answering with what ``route`` returns.

    A JSON value is serialized (with ``headers()``, if given, added to it); a stream
    response is returned as it is; an :class:`APIError` becomes its error response.
    """

    async def handle(request: web.Request) -> web.StreamResponse:
        try:
            answer = await route(request)
        except APIError as exc:
            return error_answer(exc)
        if isinstance(answer, web.StreamResponse):
            return answer
        response = web.Response(body=dumps(answer), content_type=JSON)
        if headers is not None:
            response.headers.update(headers())
        return response

    return handle


def reset_connection(request: web.Request) -> None:
    """Reset the request's connection: a TCP RST, not an orderly close."""
    transport = request.transport
    if transport is not None:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                # Linger 0: closing sends a RST instead of a FIN.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
