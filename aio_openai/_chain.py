"""The middleware chain: how a Request travels from the resource method to the transport.

A middleware is ``async (request, call_next) -> Response``, the shape of aiohttp's own
middlewares. The chain is built once per client: user middlewares, then retry, then the rate
limiter, then the transport's send step (``_transport.make_send``). Streaming calls
(``stream=True``) go through a second chain of the same middlewares, built on first use,
ending in ``_transport.make_stream_send``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from contextvars import ContextVar

import attrs

from ._http import Handler, HTTPResponse, Middleware, Request

__all__ = ["CALL_INFO", "CallInfo", "Handler", "Middleware", "build_chain"]


@attrs.define(slots=True)
class CallInfo:
    """What the retry middleware reports about the calls of one fan_out item."""

    retries: int = 0


#: The CallInfo of the fan_out item running in this task, if any (set by fan_out).
CALL_INFO: ContextVar[CallInfo | None] = ContextVar("aio_openai_call_info", default=None)


def _link(middleware: Middleware, call_next: Handler) -> Handler:
    # A plain function handing the middleware's awaitable on: no coroutine of its own, so
    # the chain adds no level that every resumption of the call would pass through.
    def handler(request: Request) -> Awaitable[HTTPResponse]:
        return middleware(request, call_next)

    return handler


def build_chain(middlewares: Sequence[Middleware], send: Handler) -> Handler:
    """Compose middlewares (outermost first) around ``send`` into one handler."""
    handler = send
    for middleware in reversed(middlewares):
        handler = _link(middleware, handler)
    return handler
