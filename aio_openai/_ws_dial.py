"""Opening a WebSocket connection, and opening it again, by the rules of the retry policy.

A :class:`Dialer` holds what a ``connect(...)`` call asked for (path, query, headers, the
``websocket_connection_options`` and the reconnection options) and opens sockets with it:

- :meth:`Dialer.connect`, the first opening: the handshake is retried as a GET call is
  (``_retry.response_cause``: 408, 409, 429 rate limits and >= 500 answers, connection errors
  and timeouts; never 401, 403 or another 4xx), waiting the server's ``retry-after`` or the
  policy's full-jitter backoff, at most ``max_retries`` times, each retry paid from the
  client's retry budget; when they run out, the last failure is raised (the typed error of
  the status, or APIConnectionError).
- :meth:`Dialer.reconnect`, after an open connection closed: only when reconnection is on
  (``on_reconnecting`` given, as in the SDK) and the close code allows it
  (``_retry.close_cause``); each attempt (counted from 1 to ``max_retries`` since the last
  event the server sent after a reconnection) is paid from the budget, announced to
  ``on_reconnecting`` (which may change the query or headers, or abort) and made after the
  backoff; a handshake refused with a final status (401, 403, another 4xx) stops at once.
  Giving up raises WebSocketConnectionClosedError with the close code and reason, the
  attempts made and the last failure as its cause.

The API key goes in the ``Authorization`` header of the handshake, never in its URL, and every
error is built by the library's error classes, which mask it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from ._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    WebSocketConnectionClosedError,
    status_error,
)
from ._http import Request
from ._retry import (
    close_cause,
    exception_cause,
    response_cause,
    server_wait,
)
from ._websocket import Socket, SocketClosed, UpgradeRefused, open_socket
from .types.websocket_reconnection import ReconnectingEvent, ReconnectingOverrides

if TYPE_CHECKING:
    from ._client import AsyncOpenAI

__all__ = ["Dialer", "OnReconnecting"]

log = logging.getLogger("aio_openai")

#: The hook called before each reconnection attempt.
OnReconnecting = Callable[[ReconnectingEvent], ReconnectingOverrides | None]

_SCHEMES: Final = {"http": "ws", "https": "wss"}
#: The ``websocket_connection_options`` keys taken (see types/websocket_connection_options).
_OPTION_KEYS: Final = frozenset(
    {"max_size", "compression", "subprotocols", "extensions", "max_queue", "write_limit"}
)


@attrs.frozen
class _SocketSettings:
    """What ``websocket_connection_options`` ask of each socket."""

    max_message_bytes: int | None
    compress: bool
    protocols: tuple[str, ...]


def _settings(options: Mapping[str, Any], max_response_bytes: int | None) -> _SocketSettings:
    """The socket settings of ``websocket_connection_options``; TypeError for an unknown
    key, ValueError for a value aiohttp cannot honour."""
    unknown = sorted(set(options) - _OPTION_KEYS)
    if unknown:
        raise TypeError(
            f"unknown websocket_connection_options {unknown}; known: {sorted(_OPTION_KEYS)}"
        )
    if options.get("extensions"):
        raise ValueError(
            "websocket_connection_options['extensions'] is not supported: aiohttp negotiates"
            " permessage-deflate only (compression='deflate')"
        )
    compression = options.get("compression")
    if compression not in (None, "deflate"):
        raise ValueError(f"compression must be 'deflate' or None, got {compression!r}")
    max_size = options.get("max_size")
    if max_size is not None and (not isinstance(max_size, int) or max_size < 1):
        raise ValueError(f"max_size must be a positive number of bytes or None, got {max_size!r}")
    return _SocketSettings(
        max_message_bytes=max_response_bytes if max_size is None else max_size,
        compress=compression == "deflate",
        protocols=tuple(options.get("subprotocols") or ()),
    )


def _judge(request: Request, failure: Exception) -> tuple[APIError, str | None, float | None]:
    """A failed handshake: its error, why it is worth retrying (None: it is not), and the
    wait the server asked for."""
    if isinstance(failure, UpgradeRefused):
        response = failure.response
        if response.status < 300:  # the server does not speak WebSocket at this URL
            error: APIError = APIStatusError(
                f"The server answered the WebSocket handshake with {response.status}"
                f" {response.reason or ''}, not 101 Switching Protocols.",
                response=response,
                body=response.json_or_none(),
            )
            return error, None, None
        return status_error(response), response_cause(request, response), server_wait(response)
    assert isinstance(failure, APIConnectionError)
    return failure, exception_cause(failure), None


class Dialer:
    """Opens the sockets of one connection (see the module docstring)."""

    __slots__ = (
        "_budget",
        "_client",
        "_endpoint_headers",
        "_path",
        "_query",
        "_settings",
        "_stats",
        "extra_headers",
        "extra_query",
        "on_reconnecting",
        "policy",
        "retries",
    )

    def __init__(
        self,
        client: AsyncOpenAI,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        endpoint_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        websocket_connection_options: Mapping[str, Any] | None = None,
        on_reconnecting: OnReconnecting | None = None,
        max_retries: int = 5,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
    ) -> None:
        if not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be a non-negative int, got {max_retries!r}")
        self._client = client
        self._path = path
        self._query = {k: v for k, v in (query or {}).items() if v is not None}
        self._endpoint_headers = endpoint_headers
        self.extra_query: Mapping[str, Any] = dict(extra_query or {})
        self.extra_headers: Mapping[str, str] = dict(extra_headers or {})
        self._settings = _settings(websocket_connection_options or {}, client.max_response_bytes)
        self.on_reconnecting = on_reconnecting
        #: The client's policy with this connection's retry count and backoff bounds.
        self.policy = attrs.evolve(
            client.retry_policy,
            max_retries=max_retries,
            initial_delay=initial_delay,
            max_delay=max_delay,
        )
        self._budget = client.retry_budget
        self._stats = client.stats
        #: Reconnection attempts made since the server last sent an event.
        self.retries = 0
        self.request()  # bad headers or query fail here, before anything is sent

    @property
    def path(self) -> str:
        """The path of the connection, after the base URL (``/realtime``)."""
        return self._path

    def request(self) -> Request:
        """The handshake's request: the client's headers and query, the connection's own."""
        request = self._client.build_request(
            "GET",
            self._path,
            query=self._query,
            options={"extra_query": self.extra_query, "extra_headers": self.extra_headers},
            endpoint_headers=self._endpoint_headers,
        )
        request.url = request.url.with_scheme(_SCHEMES.get(request.url.scheme, "wss"))
        return request

    async def _open(self, request: Request) -> Socket:
        settings = self._settings
        return await open_socket(
            self._client._pool,
            request,
            max_message_bytes=settings.max_message_bytes,
            compress=settings.compress,
            protocols=settings.protocols,
        )

    def _pay(self, cause: str, delay: float) -> None:
        """Count one retry (its cause and wait) in the client's statistics."""
        stats = self._stats
        stats.retries += 1
        stats.retries_by_cause[cause] += 1
        stats.sleep_total += delay

    def _stop(self, retries: int, delay: float) -> str | None:
        """Why no further attempt is made after ``retries`` of them, or None to go on."""
        policy = self.policy
        if retries >= policy.max_retries:
            return "max_retries"
        if delay > policy.max_retry_after:
            return "wait_over_cap"
        if self._budget is not None and not self._budget.withdraw():
            return "budget"
        return None

    async def connect(self) -> Socket:
        """Open the connection, retrying the handshake (see the module docstring)."""
        self._stats.calls += 1
        if self._budget is not None:
            self._budget.deposit()
        retries = 0
        while True:
            request = self.request()
            request.attempt = retries + 1
            try:
                return await self._open(request)
            except (UpgradeRefused, APIConnectionError) as exc:
                failure: Exception = exc
            # out of the except block: the error does not chain to the internal refusal
            error, cause, wait = _judge(request, failure)
            if cause is None:
                raise error
            delay = self.policy.backoff(retries) if wait is None else wait
            stop = self._stop(retries, delay)
            if stop is not None:
                self._stats.gave_up[stop] += 1
                log.info(
                    "Giving up on the WebSocket %s after %d attempt(s): %s (%s)",
                    self._path,
                    retries + 1,
                    cause,
                    stop,
                )
                raise error
            retries += 1
            self._pay(cause, delay)
            log.info(
                "Retrying the WebSocket %s in %.3fs (attempt %d of %d): %s",
                self._path,
                delay,
                retries + 1,
                self.policy.max_retries + 1,
                cause,
            )
            await self.policy.sleep(delay)

    async def reconnect(
        self, closed: SocketClosed, unsent: Callable[[], list[str | bytes]]
    ) -> Socket:
        """A new socket for a connection that closed as ``closed`` says, or
        WebSocketConnectionClosedError (with the messages ``unsent()`` gives) when there is
        none to be had (see the module docstring)."""
        code = closed.code
        cause = close_cause(code)
        if cause is None:
            raise self.closed_error(closed, "its close code does not call for reconnecting", unsent)
        if self.on_reconnecting is None:
            raise self.closed_error(closed, "reconnection is off (no on_reconnecting)", unsent)
        last: BaseException | None = None
        wait: float | None = None
        while True:
            delay = self.policy.backoff(self.retries) if wait is None else wait
            stop = self._stop(self.retries, delay)
            if stop is not None:
                self._stats.gave_up[stop] += 1
                why = {
                    "max_retries": f"max_retries={self.policy.max_retries} attempts failed",
                    "wait_over_cap": f"the server asked for a wait of {delay:g} s",
                    "budget": "the client's retry budget is spent",
                }[stop]
                raise self._give_up(closed, why, unsent, cause=last)
            self.retries += 1
            event = ReconnectingEvent(
                attempt=self.retries,
                max_attempts=self.policy.max_retries,
                delay=delay,
                close_code=code,
                extra_query=self.extra_query,
                extra_headers=self.extra_headers,
            )
            try:
                overrides = self.on_reconnecting(event)
            except Exception as exc:
                raise self._give_up(closed, "on_reconnecting raised", unsent, cause=exc) from exc
            if overrides:
                if overrides.get("abort"):
                    raise self._give_up(closed, "on_reconnecting aborted", unsent, cause=last)
                if "extra_query" in overrides:
                    self.extra_query = dict(overrides["extra_query"])
                if "extra_headers" in overrides:
                    self.extra_headers = dict(overrides["extra_headers"])
            self._pay(cause, delay)
            log.info(
                "Reconnecting the WebSocket %s in %.3fs (attempt %d of %d): %s",
                self._path,
                delay,
                self.retries,
                self.policy.max_retries,
                cause,
            )
            await self.policy.sleep(delay)
            request = self.request()
            request.attempt = self.retries + 1
            try:
                return await self._open(request)
            except (UpgradeRefused, APIConnectionError) as exc:
                failure = exc
            error, again, wait = _judge(request, failure)
            last = error
            if again is None:
                why = "the server refused the new connection"
                raise self._give_up(closed, why, unsent, cause=error)
            cause = again

    def closed_error(
        self,
        closed: SocketClosed,
        why: str,
        unsent: Callable[[], list[str | bytes]],
        *,
        cause: BaseException | None = None,
    ) -> WebSocketConnectionClosedError:
        """The error of this connection, closed as ``closed`` says and not to be opened again
        (``why``), with the messages ``unsent()`` gives and ``cause`` as its cause."""
        said = f" ({closed.reason})" if closed.reason else ""
        error = WebSocketConnectionClosedError(
            f"The WebSocket connection to {self._path} closed with code {closed.code}{said}"
            f" and was not opened again: {why}.",
            request=self.request(),
            close_code=closed.code,
            close_reason=closed.reason,
            attempts=self.retries,
            unsent_messages=unsent(),
        )
        if cause is not None:
            error.__cause__ = cause
            error.__suppress_context__ = True
        return error

    def _give_up(
        self,
        closed: SocketClosed,
        why: str,
        unsent: Callable[[], list[str | bytes]],
        *,
        cause: BaseException | None = None,
    ) -> WebSocketConnectionClosedError:
        """:meth:`closed_error` after reconnection attempts, logged."""
        log.info(
            "Giving up on the WebSocket %s after %d reconnection attempt(s): %s",
            self._path,
            self.retries,
            why,
        )
        return self.closed_error(closed, why, unsent, cause=cause)
