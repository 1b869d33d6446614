"""The beta Realtime protocol: ``client.beta.realtime.connect(model=...)``.

The same WebSocket as ``client.realtime.connect`` with ``OpenAI-Beta: realtime=v1``: the
server speaks the beta event names (``response.text.delta``, ``response.audio.delta``, ...),
typed as ``types.beta.realtime.RealtimeServerEvent``; there is one more helper area,
``transcription_session``.
"""

from __future__ import annotations

from typing import Final, Unpack

from ..._resource import APIResource
from ..._ws_connection import (
    AsyncWebSocketConnection,
    AsyncWebSocketConnectionManager,
    ConnectOptions,
    connect_method,
)
from ..._ws_events import ConnectionArea, area, client_event
from ...types.beta.realtime.conversation_item_create_event_param import (
    ConversationItemCreateEventParam,
)
from ...types.beta.realtime.conversation_item_delete_event_param import (
    ConversationItemDeleteEventParam,
)
from ...types.beta.realtime.conversation_item_retrieve_event_param import (
    ConversationItemRetrieveEventParam,
)
from ...types.beta.realtime.conversation_item_truncate_event_param import (
    ConversationItemTruncateEventParam,
)
from ...types.beta.realtime.input_audio_buffer_append_event_param import (
    InputAudioBufferAppendEventParam,
)
from ...types.beta.realtime.input_audio_buffer_clear_event_param import (
    InputAudioBufferClearEventParam,
)
from ...types.beta.realtime.input_audio_buffer_commit_event_param import (
    InputAudioBufferCommitEventParam,
)
from ...types.beta.realtime.realtime_server_event import RealtimeServerEvent
from ...types.beta.realtime.response_cancel_event_param import ResponseCancelEventParam
from ...types.beta.realtime.response_create_event_param import ResponseCreateEventParam
from ...types.beta.realtime.session_update_event_param import SessionUpdateEventParam
from ...types.beta.realtime.transcription_session_update_param import (
    TranscriptionSessionUpdateParam,
)

__all__ = ["AsyncRealtimeConnection", "AsyncRealtimeConnectionManager", "Realtime"]

#: The header that asks for the beta protocol.
BETA_HEADER: Final = {"OpenAI-Beta": "realtime=v1"}


class AsyncRealtimeSessionResource(ConnectionArea):
    """``connection.session``: ``update``."""

    __slots__ = ()
    update = client_event("session.update", SessionUpdateEventParam)


class AsyncRealtimeResponseResource(ConnectionArea):
    """``connection.response``: ``create``, ``cancel``."""

    __slots__ = ()
    create = client_event("response.create", ResponseCreateEventParam)
    cancel = client_event("response.cancel", ResponseCancelEventParam)


class AsyncRealtimeInputAudioBufferResource(ConnectionArea):
    """``connection.input_audio_buffer``: ``append``, ``commit``, ``clear``."""

    __slots__ = ()
    append = client_event("input_audio_buffer.append", InputAudioBufferAppendEventParam)
    commit = client_event("input_audio_buffer.commit", InputAudioBufferCommitEventParam)
    clear = client_event("input_audio_buffer.clear", InputAudioBufferClearEventParam)


class AsyncRealtimeConversationItemResource(ConnectionArea):
    """``connection.conversation.item``: ``create``, ``delete``, ``retrieve``, ``truncate``."""

    __slots__ = ()
    create = client_event("conversation.item.create", ConversationItemCreateEventParam)
    delete = client_event("conversation.item.delete", ConversationItemDeleteEventParam)
    retrieve = client_event("conversation.item.retrieve", ConversationItemRetrieveEventParam)
    truncate = client_event("conversation.item.truncate", ConversationItemTruncateEventParam)


class AsyncRealtimeConversationResource(ConnectionArea):
    """``connection.conversation``: ``item``."""

    __slots__ = ()
    item = area(AsyncRealtimeConversationItemResource)


class AsyncRealtimeOutputAudioBufferResource(ConnectionArea):
    """``connection.output_audio_buffer``: ``clear``."""

    __slots__ = ()
    clear = client_event("output_audio_buffer.clear")


class AsyncRealtimeTranscriptionSessionResource(ConnectionArea):
    """``connection.transcription_session``: ``update``."""

    __slots__ = ()
    update = client_event("transcription_session.update", TranscriptionSessionUpdateParam)


class AsyncRealtimeConnection(AsyncWebSocketConnection[RealtimeServerEvent]):
    """A Realtime session in the beta protocol."""

    event_type = RealtimeServerEvent
    session = area(AsyncRealtimeSessionResource)
    response = area(AsyncRealtimeResponseResource)
    input_audio_buffer = area(AsyncRealtimeInputAudioBufferResource)
    conversation = area(AsyncRealtimeConversationResource)
    output_audio_buffer = area(AsyncRealtimeOutputAudioBufferResource)
    transcription_session = area(AsyncRealtimeTranscriptionSessionResource)


class AsyncRealtimeConnectionManager(AsyncWebSocketConnectionManager[AsyncRealtimeConnection]):
    """What ``client.beta.realtime.connect(...)`` returns."""

    connection_class = AsyncRealtimeConnection


class Realtime(APIResource):
    """``client.beta.realtime``: ``connect``."""

    __slots__ = ()

    @connect_method
    def connect(
        self, *, model: str, **options: Unpack[ConnectOptions]
    ) -> AsyncRealtimeConnectionManager:
        """A Realtime session with ``model`` in the beta protocol (``/realtime`` with
        ``OpenAI-Beta: realtime=v1``); ``async with`` the result."""
        return AsyncRealtimeConnectionManager(
            self._client,
            "/realtime",
            query={"model": model},
            endpoint_headers=BETA_HEADER,
            **options,
        )
