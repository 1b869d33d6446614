"""The beta Responses API over a WebSocket: ``client.beta.responses.connect()``: the
Responses connection with the beta helpers (``multi_agent`` in ``response.create``, and
``response.inject``)."""

from __future__ import annotations

from typing import Unpack

from ..._resource import APIResource
from ..._ws_connection import AsyncWebSocketConnectionManager, ConnectOptions, connect_method
from ..._ws_events import area, client_event
from ..responses import connection as ga

__all__ = ["AsyncResponsesConnection", "AsyncResponsesConnectionManager", "Responses"]


class AsyncResponsesResponseResource(ga.AsyncResponsesResponseResource):
    """``connection.response``: ``create`` (with ``multi_agent``), ``steer``, ``inject``."""

    __slots__ = ()
    create = client_event("response.create", optional=(*ga.CREATE_KEYWORDS, "multi_agent"))
    inject = client_event("response.inject", required=("input", "response_id"), optional=())


class AsyncResponsesConnection(ga.AsyncResponsesConnection):
    """Beta Responses over one WebSocket."""

    response = area(AsyncResponsesResponseResource)


class AsyncResponsesConnectionManager(AsyncWebSocketConnectionManager[AsyncResponsesConnection]):
    """What ``client.beta.responses.connect()`` returns."""

    connection_class = AsyncResponsesConnection


class Responses(APIResource):
    """``client.beta.responses``: ``connect``."""

    __slots__ = ()

    @connect_method
    def connect(self, **options: Unpack[ConnectOptions]) -> AsyncResponsesConnectionManager:
        """Beta Responses over a WebSocket (``/responses``); ``async with`` the result."""
        return AsyncResponsesConnectionManager(self._client, "/responses", **options)
