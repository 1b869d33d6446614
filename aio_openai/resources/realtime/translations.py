"""Realtime translation over a WebSocket: ``client.realtime.translations.connect(model)``.

The client sends ``session.update`` (the languages), ``session.input_audio_buffer.append``
(base64 audio) and ``session.close``; the server's events are typed as
``types.realtime.RealtimeTranslationServerEvent``.
"""

from __future__ import annotations

from typing import Unpack

from ..._resource import APIResource
from ..._ws_connection import (
    AsyncWebSocketConnection,
    AsyncWebSocketConnectionManager,
    ConnectOptions,
    connect_method,
)
from ..._ws_events import ConnectionArea, area, client_event
from ...types.realtime.realtime_translation_input_audio_buffer_append_event_param import (
    RealtimeTranslationInputAudioBufferAppendEventParam,
)
from ...types.realtime.realtime_translation_server_event import RealtimeTranslationServerEvent
from ...types.realtime.realtime_translation_session_close_event_param import (
    RealtimeTranslationSessionCloseEventParam,
)
from ...types.realtime.realtime_translation_session_update_event_param import (
    RealtimeTranslationSessionUpdateEventParam,
)
from .client_secrets import TranslationClientSecrets

__all__ = [
    "AsyncTranslationsConnection",
    "AsyncTranslationsConnectionManager",
    "AsyncTranslationsSessionInputAudioBufferResource",
    "AsyncTranslationsSessionResource",
    "Translations",
]


class AsyncTranslationsSessionInputAudioBufferResource(ConnectionArea):
    """``connection.session.input_audio_buffer``: ``append`` base64 audio."""

    __slots__ = ()
    append = client_event(
        "session.input_audio_buffer.append", RealtimeTranslationInputAudioBufferAppendEventParam
    )


class AsyncTranslationsSessionResource(ConnectionArea):
    """``connection.session``: ``update``, ``close``, and ``input_audio_buffer``."""

    __slots__ = ()
    update = client_event("session.update", RealtimeTranslationSessionUpdateEventParam)
    close = client_event("session.close", RealtimeTranslationSessionCloseEventParam)
    input_audio_buffer = area(AsyncTranslationsSessionInputAudioBufferResource)


class AsyncTranslationsConnection(AsyncWebSocketConnection[RealtimeTranslationServerEvent]):
    """A live translation session."""

    event_type = RealtimeTranslationServerEvent
    session = area(AsyncTranslationsSessionResource)


class AsyncTranslationsConnectionManager(
    AsyncWebSocketConnectionManager[AsyncTranslationsConnection]
):
    """What ``client.realtime.translations.connect(...)`` returns."""

    connection_class = AsyncTranslationsConnection


class Translations(APIResource):
    """``client.realtime.translations``: ``connect`` and ``client_secrets``."""

    __slots__ = ()

    @property
    def client_secrets(self) -> TranslationClientSecrets:
        """Ephemeral keys for translation sessions: create."""
        return TranslationClientSecrets(self._client, raw=self._raw)

    @connect_method
    def connect(
        self, model: str, **options: Unpack[ConnectOptions]
    ) -> AsyncTranslationsConnectionManager:
        """A translation session with ``model`` over a WebSocket (``/realtime/translations``);
        ``async with`` the result. The options are ConnectOptions' (reconnection is on when
        ``on_reconnecting`` is given)."""
        return AsyncTranslationsConnectionManager(
            self._client, "/realtime/translations", query={"model": model}, **options
        )
