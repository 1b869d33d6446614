"""WebSocket sessions of the fake server: the upgrade, the loop of messages, the faults.

A WebSocket route checks its request (the middlewares have already checked the API key and
served any fault that refuses the upgrade: a status, a reset), then hands it to
:func:`serve_session` with a :class:`SocketSession`, the protocol of one connection: its
``opening`` events, and the :class:`Answer` to each client message. The events are sent as
text messages, one JSON object each.

A stream fault (``stream_cut``, ``stream_stall``, ``stream_error``, see :mod:`._faults`) put
on the request by the faults middleware strikes in the first answer that is a model response
(``Answer.response``), once ``after`` bytes of its events are out (by default, after its first
event): the connection is reset (a TCP RST: the client sees close code 1006), the events stall
until the faults are released, or an ``error`` event (``server_error``) is sent and the
connection closed with code 1011. Open sockets are closed with code 1001 (going away) when
the server stops.
"""

from __future__ import annotations

import json
import os
import weakref
from typing import Any, Final, NamedTuple, Protocol

from aiohttp import WSMsgType, web

from aio_openai.testing._http import reset_connection
from aio_openai.testing._sse import STREAM_FAULT_KEY, StreamFault

__all__ = [
    "SOCKETS_KEY",
    "Answer",
    "SocketSession",
    "close_open_sockets",
    "error_event",
    "new_event_id",
    "serve_session",
]

#: The open WebSockets of an application (closed on shutdown).
SOCKETS_KEY: Final = web.AppKey("aio_openai_fake_sockets", weakref.WeakSet[web.WebSocketResponse])
#: The largest client message taken.
_MAX_MESSAGE: Final = 16 * 1024 * 1024
_SERVER_ERROR: Final = "The server had an error while processing your request. Sorry about that!"


class Answer(NamedTuple):
    """The server events answering one client message; ``response`` when they are a model
    response (the events a stream fault strikes in)."""

    events: list[dict[str, Any]]
    response: bool = False


class SocketSession(Protocol):
    """The protocol of one WebSocket connection."""

    def opening(self) -> list[dict[str, Any]]:
        """The events sent as the connection opens (``session.created``)."""
        ...

    def answer(self, message: str | bytes) -> Answer:
        """The events answering one client message (an ``error`` event for a bad one)."""
        ...

    def closed(self) -> None:
        """The connection is closed."""
        ...


def new_event_id() -> str:
    """A fresh server event id, ``event_<22 hex>``."""
    return "event_" + os.urandom(11).hex()


def error_event(
    message: str,
    *,
    type: str = "invalid_request_error",
    code: str | None = None,
    param: str | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """An ``error`` event: ``event_id`` is the client event's that caused it, if any."""
    return {
        "type": "error",
        "event_id": new_event_id(),
        "error": {
            "type": type,
            "code": code,
            "message": message,
            "param": param,
            "event_id": event_id,
        },
    }


class _Sender:
    """Sends events, applying the request's stream fault to the first response."""

    def __init__(
        self, ws: web.WebSocketResponse, request: web.Request, fault: StreamFault | None
    ) -> None:
        self.ws = ws
        self.request = request
        self.fault = fault
        self.sent = 0  # bytes of the faulted response sent so far

    async def send(self, answer: Answer) -> bool:
        """Send ``answer``'s events; False once the fault ended the connection."""
        for event in answer.events:
            data = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
            await self.ws.send_str(data)
            fault = self.fault
            if fault is None or not answer.response:
                continue
            self.sent += len(data.encode("utf-8"))
            if fault.after is not None and self.sent < fault.after:
                continue
            self.fault = None
            if fault.kind == "stream_cut":
                reset_connection(self.request)
                return False
            if fault.kind == "stream_error":
                error = error_event(_SERVER_ERROR, type="server_error")
                await self.ws.send_str(json.dumps(error))
                await self.ws.close(code=1011, message=b"server error")
                return False
            if fault.stall is not None:
                await fault.stall()
        return True


async def serve_session(request: web.Request, session: SocketSession) -> web.WebSocketResponse:
    """Upgrade ``request`` and serve ``session`` until either side closes."""
    ws = web.WebSocketResponse(max_msg_size=_MAX_MESSAGE)
    await ws.prepare(request)
    sockets = request.app.get(SOCKETS_KEY)
    if sockets is not None:
        sockets.add(ws)
    sender = _Sender(ws, request, request.get(STREAM_FAULT_KEY))
    try:
        if not await sender.send(Answer(session.opening())):
            return ws
        async for msg in ws:
            if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                break
            if not await sender.send(session.answer(msg.data)):
                break
    finally:
        session.closed()
    return ws


async def close_open_sockets(app: web.Application) -> None:
    """``on_shutdown``: close every open socket with 1001 (going away)."""
    for ws in list(app.get(SOCKETS_KEY, ())):
        await ws.close(code=1001, message=b"server shutting down")
