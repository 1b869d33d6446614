"""WebSocket connections with the SDK's API: the connection and its ``connect()`` manager.

``async with client.realtime.connect(model=...) as connection`` opens a connection (the
manager's :class:`~._ws_dial.Dialer` retries the handshake as the retry policy says) and closes
it on the way out. A connection is read by one task at a time: ``await connection.recv()``
(a typed event), ``recv_bytes()`` (the raw message), ``async for event in connection``, or
``dispatch_events()`` to the handlers registered with ``on``/``once``; it is written with
``send(event)`` (a typed client event or a dict), ``send_raw`` or the per-area helpers
(``connection.session.update(...)``, see ``_ws_events``).

When the connection closes under a reader and reconnection is on (``on_reconnecting``), the
reader opens it again by the retry policy's rules and goes on reading; what was sent meanwhile
is queued (up to ``max_queue_size`` bytes, WebSocketQueueFullError past it) and sent once it
is open again, in order. Otherwise, or when the attempts run out, the reader gets
WebSocketConnectionClosedError with the close code and the messages never sent; iteration
just ends on a normal close (code 1000, or 1001 not retried, or ``close()``) with nothing
unsent.

Cancelling a task waiting in ``recv()`` cancels only that wait: the connection stays open and
no message is lost; cancelled during a reconnection, the attempt in progress is dropped (a
half-open socket is closed) and the next ``recv()`` goes on reconnecting from the attempts
already made. Nothing here starts a task.
"""

from __future__ import annotations

import inspect
from collections import deque
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypedDict, TypeVar, Unpack

from ._convert import converter
from ._endpoints import keyword_parameters
from ._exceptions import (
    APIError,
    APIResponseValidationError,
    WebSocketConnectionClosedError,
    WebSocketQueueFullError,
)
from ._http import HTTPResponse
from ._json import dumps as json_dumps
from ._json import loads as json_loads
from ._models import BaseObject
from ._request import to_param
from ._retry import close_cause
from ._types import NOT_GIVEN
from ._websocket import Socket, SocketClosed
from ._ws_dial import Dialer, OnReconnecting
from .types.websocket_connection_options import WebSocketConnectionOptions

if TYPE_CHECKING:
    from ._client import AsyncOpenAI

__all__ = [
    "AsyncWebSocketConnection",
    "AsyncWebSocketConnectionManager",
    "ConnectOptions",
    "EventHandlers",
    "SendQueue",
    "connect_method",
]

E = TypeVar("E")
C = TypeVar("C", bound="AsyncWebSocketConnection[Any]")
F = TypeVar("F", bound=Callable[..., Any])
Handler = Callable[[Any], Any]


class ConnectOptions(TypedDict, total=False):
    """The options every ``connect(...)`` method takes, as the SDK names them.

    - ``extra_query``, ``extra_headers``: added to the handshake's query and headers (the
      client's ``default_query``/``default_headers`` are sent too; the API key always goes in
      the ``Authorization`` header, never in the URL).
    - ``websocket_connection_options``: see ``types.websocket_connection_options``.
    - ``on_reconnecting``: turns reconnection on (off by default, as in the SDK): called with
      a ReconnectingEvent before each attempt, it may return ReconnectingOverrides.
    - ``max_retries`` (default 5): retries of the opening handshake, and reconnection attempts
      after a close; ``initial_delay`` (0.5) and ``max_delay`` (8.0) bound the full-jitter
      backoff between them (the client's retry budget pays for each).
    - ``max_queue_size``: the bytes of messages queued while the connection is not open
      (1 MiB; 2 MiB for the Live API).
    """

    extra_query: Mapping[str, Any] | None
    extra_headers: Mapping[str, str] | None
    websocket_connection_options: WebSocketConnectionOptions | None
    on_reconnecting: OnReconnecting | None
    max_retries: int
    initial_delay: float
    max_delay: float
    max_queue_size: int


def connect_method(fn: F) -> F:
    """Give a ``connect(self, ..., **options: Unpack[ConnectOptions])`` method the signature
    listing the options; returns the method unchanged."""
    signature = inspect.signature(fn)
    own = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
    options = keyword_parameters(ConnectOptions)
    vars(fn)["__signature__"] = signature.replace(parameters=[*own, *options])
    return fn


def _size(data: str | bytes) -> int:
    return len(data.encode("utf-8")) if isinstance(data, str) else len(data)


def encode_event(event: object) -> str:
    """A client event (a typed event or a mapping) as the text of its message."""
    return json_dumps(to_param(event)).decode("utf-8")


class SendQueue:
    """Messages waiting for the connection, oldest first, within ``max_bytes`` in all."""

    __slots__ = ("_items", "_size", "max_bytes")

    def __init__(self, max_bytes: int = 1_048_576) -> None:
        if not isinstance(max_bytes, int) or max_bytes < 1:
            raise ValueError(
                f"max_queue_size must be a positive number of bytes, got {max_bytes!r}"
            )
        self.max_bytes = max_bytes
        self._items: deque[str | bytes] = deque()
        self._size = 0

    def __len__(self) -> int:
        return len(self._items)

    def put(self, data: str | bytes) -> None:
        """Queue ``data``; WebSocketQueueFullError (nothing queued) past ``max_bytes``."""
        size = _size(data)
        if self._size + size > self.max_bytes:
            raise WebSocketQueueFullError(
                f"the queue of unsent WebSocket messages would pass max_queue_size="
                f"{self.max_bytes:,} bytes; the message was not queued"
            )
        self._items.append(data)
        self._size += size

    def first(self) -> str | bytes:
        return self._items[0]

    def pop(self) -> None:
        """Drop the first message (it was sent)."""
        self._size -= _size(self._items.popleft())

    def drain(self) -> list[str | bytes]:
        """Every queued message, oldest first; the queue is left empty."""
        items = list(self._items)
        self._items.clear()
        self._size = 0
        return items


class EventHandlers:
    """Handlers by event type (``"event"``: every event), each called once or every time."""

    __slots__ = ("_handlers",)

    def __init__(self) -> None:
        self._handlers: dict[str, list[tuple[Handler, bool]]] = {}

    def add(self, event_type: str, handler: Handler, *, once: bool = False) -> None:
        self._handlers.setdefault(event_type, []).append((handler, once))

    def remove(self, event_type: str, handler: Handler) -> None:
        """Remove the first registration of ``handler`` for ``event_type`` (if any)."""
        entries = self._handlers.get(event_type, [])
        for index, (registered, _) in enumerate(entries):
            if registered == handler:
                del entries[index]
                return

    def take(self, event_type: str) -> list[Handler]:
        """The handlers to call for one event of ``event_type`` (``once`` ones removed)."""
        entries = self._handlers.get(event_type)
        if not entries:
            return []
        self._handlers[event_type] = [entry for entry in entries if not entry[1]]
        return [handler for handler, _ in entries]

    def copy(self) -> EventHandlers:
        other = EventHandlers()
        other._handlers = {key: list(entries) for key, entries in self._handlers.items()}
        return other


def _registrar(
    handlers: EventHandlers, owner: Any, event_type: str, handler: Handler | None, once: bool
) -> Any:
    """``on``/``once``: register and return ``owner``, or give a decorator that does."""
    if handler is not None:
        handlers.add(event_type, handler, once=once)
        return owner

    def decorator(fn: Handler) -> Handler:
        handlers.add(event_type, fn, once=once)
        return fn

    return decorator


def _is_progress(data: bytes) -> bool:
    """Whether a message is an event other than ``error`` (the server is serving again)."""
    try:
        event = json_loads(data)
    except (ValueError, RecursionError):
        return False
    kind = event.get("type") if isinstance(event, dict) else None
    return isinstance(kind, str) and bool(kind) and kind != "error"


class AsyncWebSocketConnection(Generic[E]):
    """An open WebSocket connection of one of the APIs (see the module docstring).

    A subclass names its event type (``event_type``, structured by the converter, unknown
    types giving UnknownVariant) or overrides :meth:`_structure`, and declares its areas.
    """

    #: The type the server's events are structured into.
    event_type: ClassVar[Any] = None

    def __init__(
        self,
        socket: Socket,
        dialer: Dialer,
        *,
        queue: SendQueue | None = None,
        handlers: EventHandlers | None = None,
    ) -> None:
        self._socket = socket
        self._dialer = dialer
        self._queue = queue if queue is not None else SendQueue()
        self._handlers = handlers.copy() if handlers is not None else EventHandlers()
        self._closed: SocketClosed | None = None  # how the user closed it
        self._ended: SocketClosed | None = None  # how it closed for good, not reopened
        self._unsent: list[str | bytes] = []
        self._reading = False
        self._reconnecting = False
        self._flushing = False

    @property
    def handshake(self) -> HTTPResponse:
        """The answer (101) to the handshake of the current socket: ``headers``,
        ``request_id``. (``response`` is the area of the ``response.*`` helpers.)"""
        return self._socket.response

    @property
    def request_id(self) -> str | None:
        """OpenAI's ``x-request-id`` of the handshake of the current socket."""
        return self._socket.response.request_id

    # -- reading -----------------------------------------------------------------------------

    async def recv(self) -> E:
        """The next event from the server, typed; see the module docstring for how a closed
        connection is handled. Cancelling it is safe: nothing is lost."""
        return self.parse_event(await self.recv_bytes())

    async def recv_bytes(self) -> bytes:
        """The next message from the server as it came (text as UTF-8 bytes)."""
        if self._reading:
            raise RuntimeError(
                "another task is already reading this WebSocket connection (recv, iteration or"
                " dispatch_events): one reader at a time"
            )
        self._reading = True
        try:
            while True:
                if self._closed is not None:
                    raise self._closed_error()
                if self._ended is not None:
                    raise self._ended_error()
                try:
                    data = await self._socket.receive()
                except SocketClosed as closed:
                    await self._recover(closed)
                    continue
                if self._dialer.retries and _is_progress(data):
                    self._dialer.retries = 0
                return data
        finally:
            self._reading = False

    async def _recover(self, closed: SocketClosed) -> None:
        """A new socket for one that closed (WebSocketConnectionClosedError when there is
        none to be had), then what was queued meanwhile is sent."""
        if self._closed is not None:
            raise self._closed_error()
        self._reconnecting = True
        try:
            socket = await self._dialer.reconnect(closed, self._queue.drain)
        except WebSocketConnectionClosedError:
            self._ended = closed  # for good: a later read does not try again
            raise
        finally:
            self._reconnecting = False
        if self._closed is not None:  # closed while reconnecting
            await socket.close(self._closed.code, self._closed.reason)
            raise self._closed_error()
        self._socket = socket
        await self._flush()

    def parse_event(self, data: str | bytes) -> E:
        """A raw message as a typed event (unknown types as UnknownVariant);
        APIResponseValidationError for a message that is not a JSON event."""
        try:
            value = json_loads(data.encode("utf-8") if isinstance(data, str) else data)
        except (ValueError, RecursionError) as exc:
            reason: str | None = str(exc)
        else:
            reason = None
        text = data if isinstance(data, str) else data.decode("utf-8", "replace")
        if reason is not None or not isinstance(value, dict):
            raise APIResponseValidationError(
                self.handshake,
                text,
                message=f"A WebSocket message is not a JSON event: {reason or 'not an object'}",
            )
        try:
            return self._structure(value)
        except Exception as exc:
            problem = repr(exc)
        raise APIResponseValidationError(
            self.handshake, value, message=f"Invalid WebSocket event {value.get('type')}: {problem}"
        )

    def _structure(self, value: dict[str, Any]) -> E:
        event: E = converter.structure(value, self.event_type)
        return event

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> E:
        try:
            return await self.recv()
        except WebSocketConnectionClosedError as exc:
            if exc.unsent_frames or not self._ends_quietly(exc):
                raise
            raise StopAsyncIteration from None

    def _ends_quietly(self, exc: WebSocketConnectionClosedError) -> bool:
        """A normal end of the connection: closed here, or by the server with 1000 (or 1001
        when no reconnection was tried)."""
        if self._closed is not None:
            return True
        return exc.close_code == 1000 or (exc.close_code == 1001 and exc.attempts == 0)

    # -- handlers ----------------------------------------------------------------------------

    def on(self, event_type: str, handler: Handler | None = None) -> Any:
        """Call ``handler`` for every event of ``event_type`` (``"event"``: every event) when
        :meth:`dispatch_events` runs; returns the connection, or a decorator without
        ``handler``."""
        return _registrar(self._handlers, self, event_type, handler, once=False)

    def once(self, event_type: str, handler: Handler | None = None) -> Any:
        """As :meth:`on`, for the next such event only."""
        return _registrar(self._handlers, self, event_type, handler, once=True)

    def off(self, event_type: str, handler: Handler) -> Self:
        """Remove a handler registered with :meth:`on` or :meth:`once`."""
        self._handlers.remove(event_type, handler)
        return self

    async def dispatch_events(self) -> None:
        """Read events until the connection ends, calling their handlers (awaiting those that
        return awaitables) in the order registered. An ``error`` event with no handler for it
        (nor for ``"event"``) raises APIError."""
        async for event in self:
            kind = getattr(event, "type", None)
            specific = self._handlers.take(kind) if isinstance(kind, str) else []
            generic = self._handlers.take("event")
            if kind == "error" and not specific and not generic:
                error: Any = getattr(event, "error", None)
                body = error.to_dict() if isinstance(error, BaseObject) else error
                message = body.get("message") if isinstance(body, Mapping) else None
                raise APIError(
                    f"WebSocket error event: {message or body}",
                    self._socket.response.request,
                    body=body,
                )
            for handler in [*specific, *generic]:
                result = handler(event)
                if inspect.isawaitable(result):
                    await result

    # -- writing -----------------------------------------------------------------------------

    async def send(self, event: object) -> None:
        """Send a client event: a typed event object or a dict (``{"type": ...}``)."""
        await self.send_raw(encode_event(event))

    async def send_raw(self, data: str | bytes) -> None:
        """Send one message as it is (a str as a text frame). While the connection is being
        opened again it is queued (WebSocketQueueFullError past ``max_queue_size``)."""
        if self._closed is not None:
            raise self._closed_error()
        if self._ended is not None:
            raise self._ended_error()
        if self._reconnecting or self._flushing or len(self._queue):
            self._queue.put(data)
            await self._flush()
            return
        try:
            await self._socket.send(data)
        except SocketClosed as closed:
            if self._dialer.on_reconnecting is None or close_cause(closed.code) is None:
                why = "nothing reopens it"
                raise self._dialer.closed_error(closed, why, lambda: [data]) from None
            self._queue.put(data)  # sent once the reader has opened the connection again

    async def _flush(self) -> None:
        """Send the queued messages, in order, while the socket is open."""
        if self._flushing or self._reconnecting:
            return
        self._flushing = True
        try:
            queue = self._queue
            while len(queue) and self._closed is None:
                try:
                    await self._socket.send(queue.first())
                except SocketClosed:
                    return  # kept for the reader's reconnection
                queue.pop()
        finally:
            self._flushing = False

    # -- closing -----------------------------------------------------------------------------

    async def close(self, *, code: int = 1000, reason: str = "") -> None:
        """Close the connection (a reader then stops); messages still queued are reported
        by the next read as unsent."""
        if self._closed is None:
            self._closed = SocketClosed(code, reason)
            self._unsent = self._queue.drain()
        await self._socket.close(code, reason)

    def _closed_error(self) -> WebSocketConnectionClosedError:
        closed = self._closed
        assert closed is not None
        unsent, self._unsent = self._unsent, []
        return self._dialer.closed_error(closed, "it was closed by close()", lambda: unsent)

    def _ended_error(self) -> WebSocketConnectionClosedError:
        ended = self._ended
        assert ended is not None
        return self._dialer.closed_error(ended, "it had already closed for good", list)

    def __repr__(self) -> str:
        state = "open" if self._closed is None and self._ended is None else "closed"
        return f"<{type(self).__name__} {self._dialer.path} {state}>"


class AsyncWebSocketConnectionManager(Generic[C]):
    """What a ``connect(...)`` method returns: ``async with`` it (or ``await
    manager.enter()``, then ``close()`` the connection) for an open connection.

    Events may be sent (``send``) and handlers registered (``on``, ``once``, ``off``) before
    the connection opens: they are sent, and handed to it, when it does. Bad options raise
    TypeError or ValueError from ``connect(...)`` itself.
    """

    #: The class of the connection it opens.
    connection_class: ClassVar[type[Any]]
    #: ``max_queue_size`` when not given.
    default_max_queue_size: ClassVar[int] = 1_048_576

    def __init__(
        self,
        client: AsyncOpenAI,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        endpoint_headers: Mapping[str, str] | None = None,
        **options: Unpack[ConnectOptions],
    ) -> None:
        unknown = [key for key in options if key not in ConnectOptions.__annotations__]
        if unknown:
            raise TypeError(f"connect() got an unexpected keyword argument {unknown[0]!r}")
        given: dict[str, Any] = {k: v for k, v in options.items() if v is not NOT_GIVEN}
        self._dialer = Dialer(
            client,
            path,
            query=query,
            endpoint_headers=endpoint_headers,
            extra_query=given.get("extra_query"),
            extra_headers=given.get("extra_headers"),
            websocket_connection_options=given.get("websocket_connection_options"),
            on_reconnecting=given.get("on_reconnecting"),
            max_retries=given.get("max_retries", 5),
            initial_delay=given.get("initial_delay", 0.5),
            max_delay=given.get("max_delay", 8.0),
        )
        self._queue = SendQueue(given.get("max_queue_size", self.default_max_queue_size))
        self._handlers = EventHandlers()
        self._connection: C | None = None

    def send(self, event: object) -> None:
        """Queue a client event, sent as soon as the connection opens."""
        self._queue.put(encode_event(event))

    def on(self, event_type: str, handler: Handler | None = None) -> Any:
        """Register a handler before the connection opens (see the connection's ``on``)."""
        return _registrar(self._handlers, self, event_type, handler, once=False)

    def once(self, event_type: str, handler: Handler | None = None) -> Any:
        """As :meth:`on`, for the next such event only."""
        return _registrar(self._handlers, self, event_type, handler, once=True)

    def off(self, event_type: str, handler: Handler) -> Self:
        """Remove a handler registered with :meth:`on` or :meth:`once`."""
        self._handlers.remove(event_type, handler)
        return self

    async def __aenter__(self) -> C:
        """Open the connection (retrying the handshake as the retry policy says); send what
        was queued."""
        socket = await self._dialer.connect()
        try:
            connection: C = self.connection_class(
                socket, self._dialer, queue=self._queue, handlers=self._handlers
            )
            await connection._flush()
        except BaseException:
            await socket.close()
            raise
        self._connection = connection
        return connection

    enter = __aenter__

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.close()
            except Exception:
                if exc is None:
                    raise
