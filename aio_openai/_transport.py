"""The transport: the only code that does HTTP I/O with aiohttp (sessions live in ``_pool``).

- :func:`make_send`: the send step at the end of the chain, one exchange with its body read
  in full (within ``max_response_bytes``);
- :func:`make_stream_send`: the send step of streaming calls, a 2xx event stream left unread;
- :class:`WireBody`: the body of such a stream, read chunk by chunk by ``AsyncStream``;
- :func:`transport_error`: the one map from aiohttp's (and the socket's) exceptions to the
  library's: APITimeoutError for timeouts, APIConnectionError for the rest, with
  ``never_sent`` (the request surely never reached the server) and ``reason`` (the failure
  in words) set here, so that nothing else needs to look at aiohttp's exceptions;
- :func:`client_timeout`: the ``aiohttp.ClientTimeout`` of a ``timeout`` option.
"""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
import time
from collections.abc import Awaitable, Iterator
from typing import TYPE_CHECKING, Any, Final

import aiohttp
import attrs
from aiohttp import ClientTimeout
from multidict import CIMultiDict, CIMultiDictProxy

from . import _deadlines
from ._exceptions import APIConnectionError, APITimeoutError, ResponseTooLargeError
from ._http import Handler, HTTPResponse, Request, StreamedResponse
from ._redact import Redactor, mask_credentials

if TYPE_CHECKING:
    from ._multipart import UploadBody
    from ._pool import SessionPool
    from ._types import Timeout

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "ClientTimeout",
    "WireBody",
    "client_timeout",
    "make_send",
    "make_stream_send",
    "read_body",
    "transport_error",
]

#: Seconds to establish a connection (TCP and TLS), whatever the call's ``timeout``.
DEFAULT_CONNECT_TIMEOUT: Final = 5.0

#: What a failed exchange raises below the library: aiohttp's errors and the socket's.
TRANSPORT_ERRORS: Final = (OSError, aiohttp.ClientError)


def client_timeout(timeout: Timeout | None) -> ClientTimeout:
    """The ClientTimeout of a ``timeout`` option: seconds for each attempt (None for no
    limit), connecting within DEFAULT_CONNECT_TIMEOUT; a ClientTimeout is taken as it is."""
    if isinstance(timeout, ClientTimeout):
        return timeout
    if timeout is not None and (not isinstance(timeout, int | float) or timeout <= 0):
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    return ClientTimeout(total=timeout, sock_connect=DEFAULT_CONNECT_TIMEOUT)


# -- the error map ----------------------------------------------------------------------------


def transport_error(
    exc: BaseException, request: Request, message: str | None = None
) -> APIConnectionError:
    """The library's error for a transport failure of ``request`` (raise it ``from exc``).

    A timeout becomes APITimeoutError, anything else APIConnectionError (``message``, or one
    naming aiohttp's error), with ``never_sent`` and ``reason`` set. aiohttp's exception stays
    the cause, for debugging, but first loses what would show the API key: a
    ClientResponseError (a bad status line, a header too long, ``Content-Length: -5``) carries
    the request's headers in its ``request_info``, its args and its repr; their credentials
    are masked, and so is any key quoted in the messages of the chain behind it.
    """
    _scrub(exc, Redactor.of(request.headers))
    never_sent = isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError)
    reason = _reason(exc)
    if isinstance(exc, TimeoutError):
        return APITimeoutError(
            request,
            message="Request timed out." if message is None else message,
            never_sent=never_sent,
            reason=reason,
        )
    if message is None:
        message = f"Connection error: {type(exc).__name__}: {exc}"
    return APIConnectionError(
        message=message, request=request, never_sent=never_sent, reason=reason
    )


#: The reasons OpenSSL gives when the other end answered a TLS handshake with something else
#: (a plain-HTTP server answers ``ClientHello`` with an HTTP response).
_NOT_TLS: Final = frozenset(
    {"WRONG_VERSION_NUMBER", "HTTP_REQUEST", "PACKET_LENGTH_TOO_LONG", "RECORD_LAYER_FAILURE"}
)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and what it wraps: its cause or context, and aiohttp's wrapped errors."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        error = pending.pop(0)
        if id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        for inner in (
            getattr(error, "certificate_error", None),
            getattr(error, "os_error", None),
            error.__cause__,
            error.__context__,
        ):
            if isinstance(inner, BaseException):
                pending.append(inner)


def _reason(exc: BaseException) -> str | None:
    """Why the exchange failed, in words: ``Connection refused``, a TLS failure, ...

    The most telling error wrapped in ``exc`` wins: aiohttp's own errors are OSErrors whose
    errno (1 for any TLS failure) says less than the SSLError or gaierror they wrap.
    """
    causes = list(_causes(exc))

    def first(kind: type[BaseException]) -> Any:
        # aiohttp's wrappers subclass what they wrap (ssl.SSLError) without its attributes
        wrapped = (
            e for e in causes if isinstance(e, kind) and not isinstance(e, aiohttp.ClientError)
        )
        return next(wrapped, None)

    if (invalid := first(ssl.SSLCertVerificationError)) is not None:
        reason = invalid.verify_message or invalid.reason or str(invalid)
        return f"TLS certificate verify failed: {reason.rstrip('.')}"
    if (failed := first(ssl.SSLError)) is not None:
        if failed.reason in _NOT_TLS:
            return "TLS handshake failed: the server does not speak TLS (is the URL http://?)"
        return f"TLS handshake failed: {failed.reason or failed.strerror or failed}"
    if (unresolved := first(socket.gaierror)) is not None:
        return f"cannot resolve host: {unresolved.strerror or unresolved}"
    if any(isinstance(error, aiohttp.ServerDisconnectedError) for error in causes):
        return "the server closed the connection without answering"
    for error in causes:
        if isinstance(error, OSError) and error.errno is not None and error.errno > 0:
            return os.strerror(error.errno)
    if str(exc):
        return f"{type(exc).__name__}: {exc}"
    return None


_CREDENTIALS: Final = frozenset({"authorization", "proxy-authorization"})


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
            vars(e)["request_info"] = safe
            e.args = tuple(safe if a is info else a for a in e.args)
        args = tuple(redactor.text(a) if isinstance(a, str) else a for a in e.args)
        if args != e.args:
            e.args = args
        message = vars(e).get("message")
        if isinstance(message, str):
            vars(e)["message"] = redactor.text(message)
        todo += [c for c in (e.__cause__, e.__context__) if c is not None]


# -- sending ----------------------------------------------------------------------------------


class _UploadPayload(aiohttp.payload.Payload):
    """A streamed body for aiohttp: its pieces written as the connection takes them (aiohttp
    waits for the socket to drain), its size sent as ``Content-Length`` when known."""

    def __init__(self, body: UploadBody) -> None:
        super().__init__(body, content_type=body.content_type)
        self._size = body.size

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        raise TypeError("a streamed upload body is not decoded")

    async def write(self, writer: Any) -> None:
        await self.write_with_length(writer, None)

    async def write_with_length(self, writer: Any, content_length: int | None) -> None:
        body: UploadBody = self._value
        async for piece in body.chunks():
            await writer.write(piece)


def _raise_upload_error(request: Request) -> None:
    """Raise what reading an uploaded file raised, if that is why the exchange failed: the
    caller's file, not the connection, is at fault (and a retry would fail the same way)."""
    upload = request.upload
    if upload is not None and upload.error is not None:
        raise upload.error


def _data(request: Request) -> bytes | _UploadPayload | None:
    """What aiohttp sends for ``request``: its bytes, or its upload body made anew."""
    return request.content if request.upload is None else _UploadPayload(request.upload)


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
    if length is not None and aiohttp.hdrs.CONTENT_ENCODING not in resp.headers:
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

    async def send(request: Request) -> HTTPResponse:
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
                data=_data(request),
                timeout=timeout,
                allow_redirects=False,
                proxy=request.proxy,
            ) as resp:
                return HTTPResponse(
                    status=resp.status,
                    reason=resp.reason,
                    headers=resp.headers,
                    content=await read_body(resp, max_response_bytes, request),
                    request=request,
                    elapsed=time.monotonic() - start,
                    attempts=request.attempt,
                    version=resp.version,
                )
        except TRANSPORT_ERRORS as exc:
            _raise_upload_error(request)
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
    whole); the body is then read through a :class:`WireBody` (by an AsyncStream, or a
    streamed response's reader), which applies its own idle timeout between chunks. A non-2xx
    answer is read in full here (within ``max_response_bytes``, as in :func:`make_send`), so
    the retry middleware and the error mapping treat it as any other.
    """

    async def send_stream(request: Request) -> HTTPResponse:
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
                    data=_data(request),
                    timeout=timeout,
                    allow_redirects=False,
                    proxy=request.proxy,
                )
                if not 200 <= resp.status < 300:
                    try:
                        content = await read_body(resp, max_response_bytes, request)
                    finally:
                        resp.release()
                    return HTTPResponse(
                        status=resp.status,
                        reason=resp.reason,
                        headers=resp.headers,
                        content=content,
                        request=request,
                        elapsed=time.monotonic() - start,
                        attempts=request.attempt,
                        version=resp.version,
                    )
        except TRANSPORT_ERRORS as exc:
            if resp is not None:
                resp.close()
            _raise_upload_error(request)
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
            version=resp.version,
            stream=resp,
        )

    return send_stream


# -- a streamed body --------------------------------------------------------------------------


class WireBody:
    """The body of a streamed answer, still on the wire: its chunks as they arrive.

    Transport failures come out as the library's errors (APITimeoutError after ``idle``
    seconds of silence, APIConnectionError when the connection fails); the caller closes the
    body when one is raised. With ``limit``, a body passing that many bytes (decoded) raises
    ResponseTooLargeError and is closed.
    """

    __slots__ = ("_limit", "_read", "_request", "_resp")

    def __init__(
        self, resp: aiohttp.ClientResponse, request: Request, limit: int | None = None
    ) -> None:
        self._resp = resp
        self._request = request
        self._limit = limit
        self._read = 0

    async def read(self, idle: float | None) -> bytes:
        """The next piece of the body (b"" at its end), within ``idle`` seconds."""
        content = self._resp.content
        try:
            if idle is None:
                chunk = await content.readany()
            else:
                async with asyncio.timeout(idle):
                    chunk = await content.readany()
        except TimeoutError as exc:
            message = f"The stream sent nothing for {idle:g} s."
            raise transport_error(exc, self._request, message) from exc
        except TRANSPORT_ERRORS as exc:
            message = f"Connection error mid-stream: {type(exc).__name__}: {exc}"
            raise transport_error(exc, self._request, message) from exc
        limit = self._limit
        if limit is not None:
            self._read += len(chunk)
            if self._read > limit:
                self._resp.close()
                raise ResponseTooLargeError(self._request, limit=limit, size=None)
        return chunk

    async def read_all(self, idle: float | None) -> bytes:
        """The rest of the body, then the connection released (see :meth:`read`)."""
        parts = []
        while chunk := await self.read(idle):
            parts.append(chunk)
        self.release()
        return b"".join(parts)

    async def drain(self, limit: int, timeout: float) -> None:
        """Read and drop what follows the stream's end, up to ``limit`` bytes or ``timeout``
        seconds, so the connection can be reused; failures are of no matter here."""
        content = self._resp.content
        try:
            drained = 0
            async with asyncio.timeout(timeout):
                while not content.at_eof() and drained <= limit:
                    data = await content.readany()
                    if not data:
                        break
                    drained += len(data)
        except TRANSPORT_ERRORS:
            pass

    def release(self) -> None:
        """Give the connection back (closed instead when the body was not read to its end)."""
        if self._resp.content.at_eof():
            self._resp.release()
        else:
            self._resp.close()

    def close(self) -> None:
        """Close the connection at once."""
        self._resp.close()
