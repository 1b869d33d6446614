"""The Responses API over a WebSocket (``GET /v1/responses``): one connection's protocol.

Each ``response.create`` event is a ``POST /v1/responses`` body (``type`` aside; the
WebSocket-only ``generate``, ``stream_id`` and ``stream`` are taken and dropped), checked as
the route checks it; the answer is the events of that response streamed
(:mod:`.stream`), the response stored as the route stores it. A bad event, an unknown model or
a refused body gets an ``error`` event (``code``, ``message``, ``param``, as in a stream), and
the connection goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final

from aio_openai.testing._checks import APIError
from aio_openai.testing._responses.checks import check_create
from aio_openai.testing._responses.state import ResponsesState
from aio_openai.testing._responses.stream import stream_events
from aio_openai.testing._ws import Answer

__all__ = ["ResponsesSocket"]

#: Fields of a ``response.create`` event that are not a body's.
_SOCKET_ONLY: Final = frozenset({"type", "generate", "stream_id", "stream", "event_id"})


def _error(message: str, *, code: str | None = None, param: str | None = None) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message, "param": param, "sequence_number": 0}


class ResponsesSocket:
    """The protocol of one Responses WebSocket connection; ``received`` lists the client
    events, parsed, in order."""

    def __init__(self, state: ResponsesState, knows_model: Callable[[str], bool]) -> None:
        self.state = state
        self.knows_model = knows_model
        self.received: list[Any] = []

    def opening(self) -> list[dict[str, Any]]:
        return []

    def answer(self, message: str | bytes) -> Answer:
        try:
            event = json.loads(message)
        except (ValueError, UnicodeDecodeError):
            return Answer([_error("The event is not valid JSON.", code="invalid_json")])
        self.received.append(event)
        kind = event.get("type") if isinstance(event, dict) else None
        if kind != "response.create":
            message = (
                "The 'type' field is missing." if not kind else f"Unsupported event: '{kind}'."
            )
            return Answer([_error(message, code="invalid_event", param="type")])
        body = {k: v for k, v in event.items() if k not in _SOCKET_ONLY}
        try:
            check_create(body)
            model = body["model"]
            if not self.knows_model(model):
                raise APIError(
                    404,
                    f"The model `{model}` does not exist or you do not have access to it.",
                    code="model_not_found",
                )
            stored = self.state.create_response({**body, "stream": True})
        except APIError as exc:
            return Answer([_error(exc.message, code=exc.code, param=exc.param)])
        return Answer(stream_events(stored.final, self.state.chunk_size), response=True)

    def closed(self) -> None:
        pass
