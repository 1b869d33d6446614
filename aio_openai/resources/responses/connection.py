"""The Responses API over a WebSocket: ``client.responses.connect()`` (and
``client.beta.responses.connect()``).

The client sends ``response.create`` (the body of ``POST /responses``, plus the
WebSocket-only ``generate`` and ``stream_id``) and ``response.steer``; the server answers each
response with the events of a streamed response (``response.created``,
``response.output_text.delta``, ..., ``response.completed``), typed as the streamed ones are
(``types.responses.ResponseStreamEvent``; an unknown type as UnknownResponseStreamEvent).
"""

from __future__ import annotations

from typing import Any, Final

from ..._ws_connection import AsyncWebSocketConnection, AsyncWebSocketConnectionManager
from ..._ws_events import ConnectionArea, area, client_event
from ...types.responses.response_stream_event import (
    ResponseStreamEvent,
    parse_response_stream_event,
)

__all__ = [
    "CREATE_KEYWORDS",
    "AsyncResponsesConnection",
    "AsyncResponsesConnectionManager",
    "AsyncResponsesResponseResource",
]

#: The fields of a ``response.create`` event.
CREATE_KEYWORDS: Final = (
    "access_programs", "background", "background_options", "context_management",
    "conversation", "generate", "image", "include", "input", "instructions",
    "max_output_tokens", "max_tool_calls", "metadata", "model", "moderation",
    "parallel_tool_calls", "previous_response_id", "prompt", "prompt_cache_key",
    "prompt_cache_options", "prompt_cache_retention", "reasoning", "safety_identifier",
    "service_tier", "store", "stream", "stream_id", "stream_options", "temperature", "text",
    "tool_choice", "tools", "top_logprobs", "top_p", "truncation", "user",
)  # fmt: skip


class AsyncResponsesResponseResource(ConnectionArea):
    """``connection.response``: ``create`` a response, ``steer`` one in progress."""

    __slots__ = ()
    create = client_event("response.create", optional=CREATE_KEYWORDS)
    steer = client_event("response.steer", required=("input", "previous_response_id"), optional=())


class AsyncResponsesConnection(AsyncWebSocketConnection[ResponseStreamEvent]):
    """Responses over one WebSocket (see ``_ws_connection`` for reading, sending,
    reconnecting and closing)."""

    response = area(AsyncResponsesResponseResource)

    def _structure(self, value: dict[str, Any]) -> ResponseStreamEvent:
        return parse_response_stream_event(None, value)


class AsyncResponsesConnectionManager(AsyncWebSocketConnectionManager[AsyncResponsesConnection]):
    """What ``client.responses.connect()`` returns: ``async with`` it for an
    AsyncResponsesConnection."""

    connection_class = AsyncResponsesConnection
