"""Request and Response values, the Middleware protocol, chain building and the send step.

A middleware is ``async (request, call_next) -> Response``, the shape of aiohttp's own
middlewares. The chain is built once per client: user middlewares, then retry, then the rate
limiter, then :func:`make_send`, the only code in the package that touches aiohttp.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import aiohttp
import attrs
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from ._exceptions import APIConnectionError, APITimeoutError
from ._json import loads as json_loads

if TYPE_CHECKING:
    from ._pool import SessionPool
    from ._retry import RetryPolicy

__all__ = ["Handler", "Middleware", "Request", "Response", "build_chain", "make_send"]

_EMPTY_HEADERS: CIMultiDictProxy[str] = CIMultiDictProxy(CIMultiDict())
_UNPARSED: Any = object()


@attrs.define(slots=True, kw_only=True, eq=False)
class Request:
    """One API call on its way through the chain; middlewares may change it."""

    method: str
    url: URL
    headers: dict[str, str]
    content: bytes | None = None
    json_data: Mapping[str, Any] | None = None
    timeout: aiohttp.ClientTimeout
    max_retries: int | None = None
    deadline: float | None = None
    model: str | None = None
    token_cost: int = 0
    attempt: int = 1
    stream: bool = False
    retry_policy: RetryPolicy | None = None
    retry_sleep: float = 0.0
    proxy: str | None = None
    started: float = attrs.field(factory=time.monotonic)

    def __repr__(self) -> str:
        return f"<Request {self.method} {self.url} attempt={self.attempt}>"


@attrs.define(slots=True, kw_only=True, eq=False)
class Response:
    """What the server answered to one attempt, body read in full."""

    status: int
    reason: str | None = None
    headers: CIMultiDictProxy[str] = _EMPTY_HEADERS
    content: bytes = b""
    request: Request
    elapsed: float = 0.0
    attempts: int = 1
    retry_sleep: float = 0.0
    _json: Any = attrs.field(default=_UNPARSED, init=False)

    def json(self) -> Any:
        """The body parsed as JSON (parsed once); ValueError when it is not JSON."""
        value = self._json
        if value is _UNPARSED:
            value = self._json = json_loads(self.content)
        return value

    def json_ok(self) -> bool:
        """Whether the body is valid JSON."""
        try:
            self.json()
        except ValueError:
            return False
        return True

    def json_or_none(self) -> Any:
        """The body as JSON, or None when it is not JSON."""
        try:
            return self.json()
        except ValueError:
            return None

    @property
    def request_id(self) -> str | None:
        """OpenAI's ``x-request-id`` for this response."""
        return self.headers.get("x-request-id")

    def __repr__(self) -> str:
        return f"<Response {self.status} {self.request.method} {self.request.url}>"


@attrs.define(slots=True)
class CallInfo:
    """What the retry middleware reports about the calls of one fan_out item."""

    retries: int = 0


#: The CallInfo of the fan_out item running in this task, if any (set by fan_out).
CALL_INFO: ContextVar[CallInfo | None] = ContextVar("aio_openai_call_info", default=None)

Handler = Callable[[Request], Awaitable[Response]]
Middleware = Callable[[Request, Handler], Awaitable[Response]]


def _link(middleware: Middleware, call_next: Handler) -> Handler:
    async def handler(request: Request) -> Response:
        return await middleware(request, call_next)

    return handler


def build_chain(middlewares: Sequence[Middleware], send: Handler) -> Handler:
    """Compose middlewares (outermost first) around ``send`` into one handler."""
    handler = send
    for middleware in reversed(middlewares):
        handler = _link(middleware, handler)
    return handler


def make_send(pool: SessionPool) -> Handler:
    """The send step: one HTTP exchange on the running loop's session, body read in full."""

    async def send(request: Request) -> Response:
        session = pool.session()
        start = time.monotonic()
        try:
            async with session.request(
                request.method,
                request.url,
                headers=request.headers,
                data=request.content,
                timeout=request.timeout,
                allow_redirects=False,
                proxy=request.proxy,
            ) as resp:
                content = await resp.read()
                return Response(
                    status=resp.status,
                    reason=resp.reason,
                    headers=resp.headers,
                    content=content,
                    request=request,
                    elapsed=time.monotonic() - start,
                    attempts=request.attempt,
                )
        except TimeoutError as exc:
            raise APITimeoutError(request) from exc
        except aiohttp.ClientError as exc:
            raise APIConnectionError(
                message=f"Connection error: {type(exc).__name__}: {exc}", request=request
            ) from exc

    return send
