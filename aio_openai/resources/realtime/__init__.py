"""The Realtime API: ``client.realtime.connect(...)``, a session over a WebSocket; its REST
calls (``calls``, ``client_secrets``) and ``client.realtime.translations``."""

from __future__ import annotations

from typing import Unpack

from ..._resource import APIResource
from ..._types import NOT_GIVEN, NotGiven
from ..._ws_connection import ConnectOptions, connect_method
from .calls import Calls
from .client_secrets import ClientSecrets
from .connection import AsyncRealtimeConnection, AsyncRealtimeConnectionManager
from .translations import Translations

__all__ = [
    "AsyncRealtimeConnection",
    "AsyncRealtimeConnectionManager",
    "Calls",
    "ClientSecrets",
    "Realtime",
    "Translations",
]


class Realtime(APIResource):
    """``client.realtime``: ``connect``, ``calls``, ``client_secrets`` and ``translations``."""

    __slots__ = ()

    @property
    def calls(self) -> Calls:
        """Realtime calls: create (WebRTC), accept, reject, refer, hangup (SIP)."""
        return Calls(self._client, raw=self._raw)

    @property
    def client_secrets(self) -> ClientSecrets:
        """Ephemeral keys for Realtime sessions: create."""
        return ClientSecrets(self._client, raw=self._raw)

    @property
    def translations(self) -> Translations:
        """Realtime translation: ``connect``."""
        return Translations(self._client, raw=self._raw)

    @connect_method
    def connect(
        self,
        *,
        call_id: str | NotGiven = NOT_GIVEN,
        model: str | NotGiven = NOT_GIVEN,
        **options: Unpack[ConnectOptions],
    ) -> AsyncRealtimeConnectionManager:
        """A Realtime session over a WebSocket (``/realtime?model=...``, or ``call_id`` to
        join a call); ``async with`` the result for an AsyncRealtimeConnection::

            async with client.realtime.connect(model="gpt-realtime") as connection:
                await connection.session.update(session={"type": "realtime", ...})
                async for event in connection:
                    ...

        The handshake is retried as any call is (never on 401 or 403); once open, the
        connection is opened again after a drop only when ``on_reconnecting`` is given. The
        options are ConnectOptions'. Raises the typed error of a refused handshake
        (AuthenticationError, ...), APIConnectionError when it cannot connect.
        """
        query = {"model": model, "call_id": call_id}
        return AsyncRealtimeConnectionManager(
            self._client,
            "/realtime",
            query={k: v for k, v in query.items() if v is not NOT_GIVEN},
            **options,
        )
