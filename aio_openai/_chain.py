"""Request and Response values, the Middleware protocol, chain building and the send step.

A middleware is ``async (request, call_next) -> Response``, the shape of aiohttp's own
middlewares. The chain is built once per client: user middlewares, then retry, then the rate
limiter, then :func:`make_send`, the only code in the package that touches aiohttp.

Streaming calls (``stream=True``) go through a second chain of the same middlewares, built on
first use, ending in :func:`make_stream_send`: a 2xx answer comes back as a
:class:`StreamedResponse` whose body is still unread (the AsyncStream of ``_streaming`` reads
and releases it); anything else is read in full, so retries and errors work as usual. The
plain chain is untouched by this.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import aiohttp
import attrs
from aiohttp import hdrs
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from . import _deadlines
from ._exceptions import APIConnectionError, APITimeoutError, ResponseTooLargeError
from ._json import loads as json_loads
from ._redact import Redactor, mask_credentials

if TYPE_CHECKING:
    from ._pool import SessionPool
    from ._retry import RetryPolicy

__all__ = [
    "Handler",
    "Middleware",
    "Request",
    "Response",
    "StreamedResponse",
    "build_chain",
    "is_event_stream",
    "make_send",
    "make_stream_send",
    "read_body",
    "transport_error",
]

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


@attrs.define(slots=True, kw_only=True, eq=False)
class StreamedResponse(Response):
    """A 2xx answer to a streaming request whose body is still on the wire.

    ``stream`` is the open aiohttp response; the AsyncStream made from this response reads it
    and releases it (``content`` stays empty). ``usage_hooks`` are called once with the
    ``usage`` object when the stream reports one (the rate limiter reconciles its estimate).
    """

    stream: aiohttp.ClientResponse = attrs.field(repr=False)
    usage_hooks: list[Callable[[Mapping[str, Any]], None]] = attrs.field(factory=list, repr=False)


@attrs.define(slots=True)
class CallInfo:
    """What the retry middleware reports about the calls of one fan_out item."""

    retries: int = 0


#: The CallInfo of the fan_out item running in this task, if any (set by fan_out).
CALL_INFO: ContextVar[CallInfo | None] = ContextVar("aio_openai_call_info", default=None)

Handler = Callable[[Request], Awaitable[Response]]
Middleware = Callable[[Request, Handler], Awaitable[Response]]


def _link(middleware: Middleware, call_next: Handler) -> Handler:
    # A plain function handing the middleware's awaitable on: no coroutine of its own, so
    # the chain adds no level that every resumption of the call would pass through.
    def handler(request: Request) -> Awaitable[Response]:
        return middleware(request, call_next)

    return handler


def build_chain(middlewares: Sequence[Middleware], send: Handler) -> Handler:
    """Compose middlewares (outermost first) around ``send`` into one handler."""
    handler = send
    for middleware in reversed(middlewares):
        handler = _link(middleware, handler)
    return handler


def transport_error(
    exc: BaseException, request: Request, message: str | None = None
) -> APIConnectionError:
    """The library's error for a transport failure of ``request`` (raise it ``from exc``).

    A timeout becomes APITimeoutError, anything else APIConnectionError (``message``, or one
    naming aiohttp's error). aiohttp's exception stays the cause, for debugging, but first
    loses what would show the API key: a ClientResponseError (a bad status line, a header too
    long, ``Content-Length: -5``) carries the request's headers in its ``request_info``, its
    args and its repr; their credentials are masked, and so is any key quoted in the messages
    of the chain behind it.
    """
    _scrub(exc, Redactor.of(request.headers))
    if isinstance(exc, TimeoutError):
        if message is None:
            return APITimeoutError(request)
        return APITimeoutError(request, message=message)
    if message is None:
        message = f"Connection error: {type(exc).__name__}: {exc}"
    return APIConnectionError(message=message, request=request)


_CREDENTIALS = frozenset({"authorization", "proxy-authorization"})


def _scrub(exc: BaseException, redactor: Redactor) -> None:
    """Mask credentials and keys in ``exc`` and every exception behind it, in place."""
    todo = [exc]
    seen: set[int] = set()
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        info = getattr(e, "request_info", None)
        if isinstance(info, aiohttp.RequestInfo):
            headers = CIMultiDict(
                (name, mask_credentials(value) if name.lower() in _CREDENTIALS else value)
                for name, value in info.headers.items()
            )
            safe = aiohttp.RequestInfo(
                info.url, info.method, CIMultiDictProxy(headers), info.real_url
            )
            e.request_info = safe  # type: ignore[attr-defined]
            e.args = tuple(safe if a is info else a for a in e.args)
        args = tuple(redactor.text(a) if isinstance(a, str) else a for a in e.args)
        if args != e.args:
            e.args = args
        message = vars(e).get("message")
        if isinstance(message, str):
            e.message = redactor.text(message)  # type: ignore[attr-defined]
        todo += [c for c in (e.__cause__, e.__context__) if c is not None]


def is_event_stream(headers: Mapping[str, str]) -> bool:
    """Whether an answer's ``Content-Type`` is ``text/event-stream`` (or there is none: a
    middleware answering from memory)."""
    content_type = headers.get(hdrs.CONTENT_TYPE)
    if content_type is None:
        return True
    return content_type.partition(";")[0].strip().lower() == "text/event-stream"


def read_body(
    resp: aiohttp.ClientResponse, limit: int | None, request: Request
) -> Awaitable[bytes]:
    """The body, decoded; ResponseTooLargeError as soon as it passes ``limit`` decoded bytes.

    ``Content-Length`` counts the bytes on the wire: it bounds the body only when the body is
    not compressed (a gzip body of 522 KB can inflate to 512 MiB). A plain body whose length
    is announced within the limit is read at once, with no copy and no coroutine of ours;
    any other is read piece by piece as aiohttp decompresses it, and given up at the limit.
    """
    if limit is None:
        return resp.read()
    length = resp.content_length
    if length is not None and hdrs.CONTENT_ENCODING not in resp.headers:
        if length <= limit:
            return resp.read()
        raise ResponseTooLargeError(request, limit=limit, size=length)
    return _read_capped(resp, limit, request)


async def _read_capped(resp: aiohttp.ClientResponse, limit: int, request: Request) -> bytes:
    parts: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(1 << 16):
        size += len(chunk)
        if size > limit:
            raise ResponseTooLargeError(request, limit=limit, size=None)
        parts.append(chunk)
    return b"".join(parts)


def make_send(pool: SessionPool, max_response_bytes: int | None = None) -> Handler:
    """The send step: one HTTP exchange on the running loop's session, body read in full.

    A body longer than ``max_response_bytes`` once decoded raises ResponseTooLargeError instead
    of filling memory (the connection is closed, not reused).
    """

    async def send(request: Request) -> Response:
        session = pool.session()
        start = time.monotonic()
        timeout = request.timeout
        total = timeout.total
        deadline = None
        if total is not None and total >= _deadlines.COARSE_FROM:
            clock = _deadlines.clock(asyncio.get_running_loop())
            deadline = clock.start(total)
            timeout = _deadlines.without_total(timeout)
        try:
            async with session.request(
                request.method,
                request.url,
                headers=request.headers,
                data=request.content,
                timeout=timeout,
                allow_redirects=False,
                proxy=request.proxy,
            ) as resp:
                return Response(
                    status=resp.status,
                    reason=resp.reason,
                    headers=resp.headers,
                    content=await read_body(resp, max_response_bytes, request),
                    request=request,
                    elapsed=time.monotonic() - start,
                    attempts=request.attempt,
                )
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise transport_error(exc, request) from exc
        except asyncio.CancelledError:
            if deadline is None or not deadline.fired:
                raise
            deadline.fired = False
            if deadline.task.uncancel() > deadline.cancelling:
                raise  # cancelled from elsewhere as well: that wins
            raise APITimeoutError(request) from None
        finally:
            if deadline is not None:
                clock.stop(deadline)
                if deadline.fired:  # fired as the call ended: take the cancellation back
                    deadline.task.uncancel()

    return send


def make_stream_send(pool: SessionPool, max_response_bytes: int | None = None) -> Handler:
    """The send step of streaming requests: a 2xx answer is returned with its body unread.

    The request's ``timeout`` bounds the wait for the status and headers (its ``total``, as a
    whole); the body is then read by the AsyncStream, which applies its own idle timeout
    between chunks. A non-2xx answer, or a 2xx one that is not an event stream (a proxy's
    page, a server that ignored ``stream``), is read in full here (within
    ``max_response_bytes``, as in :func:`make_send`), so the retry middleware and the error
    mapping treat it as any other.
    """

    async def send_stream(request: Request) -> Response:
        session = pool.session()
        start = time.monotonic()
        timeout = request.timeout
        total = timeout.total
        if total is not None:
            timeout = attrs.evolve(timeout, total=None)
        resp: aiohttp.ClientResponse | None = None
        try:
            async with asyncio.timeout(total):
                resp = await session.request(
                    request.method,
                    request.url,
                    headers=request.headers,
                    data=request.content,
                    timeout=timeout,
                    allow_redirects=False,
                    proxy=request.proxy,
                )
                if not 200 <= resp.status < 300 or not is_event_stream(resp.headers):
                    try:
                        content = await read_body(resp, max_response_bytes, request)
                    finally:
                        resp.release()
                    return Response(
                        status=resp.status,
                        reason=resp.reason,
                        headers=resp.headers,
                        content=content,
                        request=request,
                        elapsed=time.monotonic() - start,
                        attempts=request.attempt,
                    )
        except (TimeoutError, aiohttp.ClientError) as exc:
            if resp is not None:
                resp.close()
            raise transport_error(exc, request) from exc
        except BaseException:
            if resp is not None:
                resp.close()
            raise
        return StreamedResponse(
            status=resp.status,
            reason=resp.reason,
            headers=resp.headers,
            request=request,
            elapsed=time.monotonic() - start,
            attempts=request.attempt,
            stream=resp,
        )

    return send_stream
