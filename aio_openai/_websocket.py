"""The WebSocket transport: the only aiohttp WebSocket I/O (with ``_transport`` and ``_pool``,
the only modules that import aiohttp).

- :func:`open_socket`: the opening handshake, a GET with ``Upgrade: websocket`` sent on the
  pool's ``"websocket"`` session (WebSockets are long-lived: they get connections of their
  own). A refusal (any status but 101; redirects are not followed) raises
  :class:`UpgradeRefused` with the answer as an :class:`~._http.HTTPResponse`, its body read
  (up to REFUSAL_BODY_BYTES) by the session's client middleware before aiohttp would drop it,
  so that the caller maps it as any HTTP answer (``status_error``, ``response_cause``); a
  failed connection raises APIConnectionError (APITimeoutError past the request's timeout),
  through the transport's one error map.
- :class:`Socket`: one open connection. ``receive()`` gives the next message as bytes (text
  frames as their UTF-8 bytes), raises :class:`SocketClosed` with the close code and reason
  once the connection is closed (1006 when it ended without a close frame), and
  ResponseTooLargeError for a message over the cap (the connection is then closed with 1009);
  ``send()`` and ``close()``.

Nothing here starts a task: a ``receive()`` that is cancelled leaves the connection open with
nothing lost (aiohttp's reader keeps the message for the next call).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Final

import aiohttp
from aiohttp import WSCloseCode, WSMsgType
from multidict import CIMultiDictProxy

from ._exceptions import ResponseTooLargeError
from ._http import HTTPResponse, Request
from ._pool import SessionPool
from ._transport import TRANSPORT_ERRORS, transport_error

__all__ = [
    "DROPPED",
    "HEARTBEAT",
    "REFUSAL_BODY_BYTES",
    "Socket",
    "SocketClosed",
    "UpgradeRefused",
    "open_socket",
]

#: The close code of a connection that ended without a close frame (RFC 6455: 1006).
DROPPED: Final = int(WSCloseCode.ABNORMAL_CLOSURE)
#: Seconds between pings; a pong missing for half of it closes the connection (1006).
HEARTBEAT: Final = 20.0
#: Seconds ``close()`` waits for the other end's close frame.
CLOSE_TIMEOUT: Final = 5.0
#: The most of a refusal's body read for its error message.
REFUSAL_BODY_BYTES: Final = 64 * 1024
#: The name of the pool's session for WebSockets.
_SESSION: Final = "websocket"


class SocketClosed(Exception):
    """The connection is closed: ``code`` and ``reason`` of its close (1006 when dropped)."""

    def __init__(self, code: int, reason: str = "") -> None:
        super().__init__(code, reason)
        self.code = code
        self.reason = reason


class UpgradeRefused(Exception):
    """The server answered the handshake with ``response`` (not 101 Switching Protocols)."""

    def __init__(self, response: HTTPResponse) -> None:
        super().__init__(response.status)
        self.response = response


class _Refusal(Exception):
    """A non-101 answer to the handshake, read by :func:`_refuse_unless_upgraded`."""

    def __init__(self, resp: aiohttp.ClientResponse, body: bytes) -> None:
        super().__init__(resp.status)
        self.status = resp.status
        self.reason = resp.reason
        self.headers = resp.headers
        self.body = body


async def _refuse_unless_upgraded(
    request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
) -> aiohttp.ClientResponse:
    """The WebSocket session's client middleware: a 101 answer goes on to the upgrade; any
    other (a redirect included: it is not followed, as the API key would go with it) is read,
    its first REFUSAL_BODY_BYTES, and raised as _Refusal (aiohttp would drop it unread)."""
    resp = await handler(request)
    if resp.status == 101:
        return resp
    parts: list[bytes] = []
    size = 0
    try:
        async for chunk in resp.content.iter_chunked(1 << 16):
            parts.append(chunk)
            size += len(chunk)
            if size >= REFUSAL_BODY_BYTES:
                break
    except TRANSPORT_ERRORS:
        pass  # what came is enough for a message: the status says the rest
    finally:
        resp.close()
    raise _Refusal(resp, b"".join(parts)[:REFUSAL_BODY_BYTES])


async def open_socket(
    pool: SessionPool,
    request: Request,
    *,
    max_message_bytes: int | None,
    compress: bool = False,
    protocols: Sequence[str] = (),
    heartbeat: float | None = HEARTBEAT,
) -> Socket:
    """Open the WebSocket ``request`` asks for (its URL, headers, proxy; its timeout's
    ``total`` bounds the handshake). Raises UpgradeRefused for a refusal, APIConnectionError
    or APITimeoutError when the connection fails."""
    session = pool.side_session(_SESSION, middlewares=(_refuse_unless_upgraded,))
    refusal: _Refusal | None = None
    try:
        async with asyncio.timeout(request.timeout.total):
            ws = await session.ws_connect(
                request.url,
                headers=request.headers,
                protocols=tuple(protocols),
                compress=15 if compress else 0,
                max_msg_size=max_message_bytes or 0,
                heartbeat=heartbeat,
                proxy=request.proxy,
                timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=CLOSE_TIMEOUT),
                decode_text=False,
            )
    except _Refusal as exc:
        refusal = exc
    except (*TRANSPORT_ERRORS, TimeoutError) as exc:
        raise transport_error(exc, request) from exc
    if refusal is not None:  # raised here, out of the except block: no chain to its raw body
        raise UpgradeRefused(
            HTTPResponse(
                status=refusal.status,
                reason=refusal.reason,
                headers=CIMultiDictProxy(refusal.headers.copy()),
                content=refusal.body,
                request=request,
                attempts=request.attempt,
            )
        )
    return Socket(ws, request, max_message_bytes)


class Socket:
    """One open WebSocket connection (see the module docstring)."""

    __slots__ = ("_closed", "_limit", "_request", "_ws", "response")

    def __init__(
        self,
        ws: aiohttp.ClientWebSocketResponse[bool],
        request: Request,
        limit: int | None,
    ) -> None:
        self._ws = ws
        self._request = request
        self._limit = limit
        self._closed: SocketClosed | None = None
        #: The handshake's answer (101): its headers, ``x-request-id`` among them (aiohttp
        #: keeps the answer of the upgrade on the connection, with no public name for it).
        self.response = HTTPResponse(
            status=101,
            reason="Switching Protocols",
            headers=ws._response.headers,
            request=request,
            attempts=request.attempt,
        )

    @property
    def closed(self) -> SocketClosed | None:
        """How the connection closed, or None while it is open."""
        return self._closed

    async def receive(self) -> bytes:
        """The next message (text frames as UTF-8 bytes); see the module docstring."""
        if self._closed is not None:
            raise self._closed
        ws = self._ws
        try:
            msg = await ws.receive()
        except TRANSPORT_ERRORS:
            msg = aiohttp.WSMessage(WSMsgType.CLOSED, None, None)
        kind = msg.type
        if kind is WSMsgType.TEXT or kind is WSMsgType.BINARY:
            data = msg.data
            return data if isinstance(data, bytes) else data.encode("utf-8")
        if kind is WSMsgType.CLOSE:
            closed = self._mark(int(msg.data), msg.extra or "")
        elif kind is WSMsgType.ERROR and isinstance(msg.data, aiohttp.WebSocketError):
            closed = self._mark(int(msg.data.code), str(msg.data))
            if closed.code == WSCloseCode.MESSAGE_TOO_BIG and self._limit is not None:
                raise ResponseTooLargeError(
                    self._request, limit=self._limit, size=None, subject="A WebSocket message"
                )
        else:  # CLOSED without a close frame, CLOSING (closed by us), a failed connection
            closed = self._mark(DROPPED)
            if not ws.closed:
                await self._close_quietly(WSCloseCode.ABNORMAL_CLOSURE)
        raise closed

    def _mark(self, code: int, reason: str = "") -> SocketClosed:
        """Record the close (the first one seen counts: ours, when we closed)."""
        if self._closed is None:
            self._closed = SocketClosed(code, reason)
        return self._closed

    async def send(self, data: str | bytes) -> None:
        """Send one message (a str as a text frame); SocketClosed once closed."""
        if self._closed is not None:
            raise self._closed
        try:
            if isinstance(data, str):
                await self._ws.send_str(data)
            else:
                await self._ws.send_bytes(data)
        except TRANSPORT_ERRORS:
            closed = self._mark(DROPPED)
            await self._close_quietly(WSCloseCode.ABNORMAL_CLOSURE)
            raise closed from None

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection with ``code`` and ``reason`` (waiting CLOSE_TIMEOUT seconds at
        most for the other end's close frame); a no-op once closed."""
        self._mark(code, reason)
        await self._close_quietly(code, reason)

    async def _close_quietly(self, code: int, reason: str = "") -> None:
        with contextlib.suppress(*TRANSPORT_ERRORS):
            await self._ws.close(code=code, message=reason.encode("utf-8"))
