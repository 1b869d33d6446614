"""The Realtime API's WebSocket connection (``client.realtime.connect(...)``) and its helpers.

A session over one WebSocket: the client sends events (``session.update``,
``conversation.item.create``, ``response.create``, ``input_audio_buffer.append``, ...), the
server answers with events (``session.created`` first, then ``session.updated``,
``conversation.item.created``, ``response.output_text.delta``,
``response.output_audio.delta``, ``response.function_call_arguments.done``, ``response.done``,
``error``, ...), typed as ``types.realtime.RealtimeServerEvent`` (an unknown type as
UnknownVariant).
"""

from __future__ import annotations

from ..._ws_connection import AsyncWebSocketConnection, AsyncWebSocketConnectionManager
from ..._ws_events import ConnectionArea, area, client_event
from ...types.realtime.conversation_item_create_event_param import (
    ConversationItemCreateEventParam,
)
from ...types.realtime.conversation_item_delete_event_param import (
    ConversationItemDeleteEventParam,
)
from ...types.realtime.conversation_item_retrieve_event_param import (
    ConversationItemRetrieveEventParam,
)
from ...types.realtime.conversation_item_truncate_event_param import (
    ConversationItemTruncateEventParam,
)
from ...types.realtime.input_audio_buffer_append_event_param import (
    InputAudioBufferAppendEventParam,
)
from ...types.realtime.input_audio_buffer_clear_event_param import (
    InputAudioBufferClearEventParam,
)
from ...types.realtime.input_audio_buffer_commit_event_param import (
    InputAudioBufferCommitEventParam,
)
from ...types.realtime.output_audio_buffer_clear_event_param import (
    OutputAudioBufferClearEventParam,
)
from ...types.realtime.realtime_server_event import RealtimeServerEvent
from ...types.realtime.response_cancel_event_param import ResponseCancelEventParam
from ...types.realtime.response_create_event_param import ResponseCreateEventParam
from ...types.realtime.session_update_event_param import SessionUpdateEventParam

__all__ = [
    "AsyncRealtimeConnection",
    "AsyncRealtimeConnectionManager",
    "AsyncRealtimeConversationItemResource",
    "AsyncRealtimeConversationResource",
    "AsyncRealtimeInputAudioBufferResource",
    "AsyncRealtimeOutputAudioBufferResource",
    "AsyncRealtimeResponseResource",
    "AsyncRealtimeSessionResource",
]


class AsyncRealtimeSessionResource(ConnectionArea):
    """``connection.session``: ``update(session=...)`` (the server answers
    ``session.updated``)."""

    __slots__ = ()
    update = client_event("session.update", SessionUpdateEventParam)


class AsyncRealtimeResponseResource(ConnectionArea):
    """``connection.response``: ``create`` a response (the model's turn), ``cancel`` one."""

    __slots__ = ()
    create = client_event("response.create", ResponseCreateEventParam)
    cancel = client_event("response.cancel", ResponseCancelEventParam)


class AsyncRealtimeInputAudioBufferResource(ConnectionArea):
    """``connection.input_audio_buffer``: ``append`` base64 audio, ``commit``, ``clear``."""

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
    """``connection.conversation``: its ``item`` helpers."""

    __slots__ = ()
    item = area(AsyncRealtimeConversationItemResource)


class AsyncRealtimeOutputAudioBufferResource(ConnectionArea):
    """``connection.output_audio_buffer``: ``clear`` (stop the audio being played)."""

    __slots__ = ()
    clear = client_event("output_audio_buffer.clear", OutputAudioBufferClearEventParam)


class AsyncRealtimeConnection(AsyncWebSocketConnection[RealtimeServerEvent]):
    """A live Realtime session (see ``_ws_connection`` for reading, sending, reconnecting
    and closing)."""

    event_type = RealtimeServerEvent
    session = area(AsyncRealtimeSessionResource)
    response = area(AsyncRealtimeResponseResource)
    input_audio_buffer = area(AsyncRealtimeInputAudioBufferResource)
    conversation = area(AsyncRealtimeConversationResource)
    output_audio_buffer = area(AsyncRealtimeOutputAudioBufferResource)


class AsyncRealtimeConnectionManager(AsyncWebSocketConnectionManager[AsyncRealtimeConnection]):
    """What ``client.realtime.connect(...)`` returns: ``async with`` it for an
    AsyncRealtimeConnection."""

    connection_class = AsyncRealtimeConnection
