"""The beta Realtime protocol: ``client.beta.realtime.connect(model=...)``.

The same WebSocket as ``client.realtime.connect`` with ``OpenAI-Beta: realtime=v1``: the
server speaks the beta event names (``response.text.delta``, ``response.audio.delta``, ...),
typed as ``types.beta.realtime.RealtimeServerEvent``; there is one more helper area,
``transcription_session``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Unpack

from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions
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
from ...types.beta.realtime.session_create_params import SessionCreateParams
from ...types.beta.realtime.session_create_response import SessionCreateResponse
from ...types.beta.realtime.session_update_event_param import SessionUpdateEventParam
from ...types.beta.realtime.transcription_session import TranscriptionSession
from ...types.beta.realtime.transcription_session_create_params import (
    TranscriptionSessionCreateParams,
)
from ...types.beta.realtime.transcription_session_update_param import (
    TranscriptionSessionUpdateParam,
)

__all__ = [
    "AsyncRealtimeConnection",
    "AsyncRealtimeConnectionManager",
    "Realtime",
    "Sessions",
    "TranscriptionSessions",
]

#: The header that asks for the beta protocol.
BETA_HEADER: Final = {"OpenAI-Beta": "realtime=v1"}
#: The header the SDK sends with the beta sessions' REST calls (the Assistants API's, as it
#: does: kept for servers that look at it).
SESSIONS_HEADER: Final = {"OpenAI-Beta": "assistants=v2"}


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


class _SessionCreateArgs(SessionCreateParams, RequestOptions, total=False): ...


class _TranscriptionCreateArgs(TranscriptionSessionCreateParams, RequestOptions, total=False): ...


class Sessions(APIResource):
    """``client.beta.realtime.sessions``: create (the beta protocol's ephemeral key)."""

    __slots__ = ()

    def _endpoint_headers(self) -> Mapping[str, str]:
        return SESSIONS_HEADER

    @endpoint("POST", "/realtime/sessions", _SessionCreateArgs)
    async def create(self, **params: Unpack[_SessionCreateArgs]) -> SessionCreateResponse:
        """A Realtime session's configuration (``model``, ``voice``, ``instructions``,
        ``modalities``, ``tools``, ...) and a ``client_secret`` (``ek_...``, with its
        ``expires_at``) a browser uses to connect in the beta protocol. Raises
        BadRequestError for a bad parameter."""
        return await self._call(Sessions.create, SessionCreateResponse, params)


class TranscriptionSessions(APIResource):
    """``client.beta.realtime.transcription_sessions``: create."""

    __slots__ = ()

    def _endpoint_headers(self) -> Mapping[str, str]:
        return SESSIONS_HEADER

    @endpoint("POST", "/realtime/transcription_sessions", _TranscriptionCreateArgs)
    async def create(self, **params: Unpack[_TranscriptionCreateArgs]) -> TranscriptionSession:
        """A transcription session's configuration (``input_audio_transcription``,
        ``turn_detection``, ...) and its ``client_secret``. Raises BadRequestError for a bad
        parameter."""
        return await self._call(TranscriptionSessions.create, TranscriptionSession, params)


class Realtime(APIResource):
    """``client.beta.realtime``: ``connect``, ``sessions``, ``transcription_sessions``."""

    __slots__ = ()

    @property
    def sessions(self) -> Sessions:
        """Beta Realtime sessions (ephemeral keys): create."""
        return Sessions(self._client, raw=self._raw)

    @property
    def transcription_sessions(self) -> TranscriptionSessions:
        """Beta Realtime transcription sessions (ephemeral keys): create."""
        return TranscriptionSessions(self._client, raw=self._raw)

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
