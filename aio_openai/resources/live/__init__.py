"""The Live API: ``client.live.create()`` and ``client.live.sessions`` (REST), and over
WebSockets ``client.live.connect()`` (a new session), ``client.live.sideband`` and
``client.live.forks``."""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions
from ..._ws_connection import AsyncWebSocketConnectionManager, ConnectOptions, connect_method
from ..._ws_events import area
from ...types.live.live_create_params import LiveCreateParams
from ...types.live.live_create_response import LiveCreateResponse
from .areas import AsyncLiveSessionResource, LiveConnectionBase
from .forks import AsyncForksConnection, AsyncForksConnectionManager, Forks
from .sessions import Sessions
from .sideband import AsyncSidebandConnection, AsyncSidebandConnectionManager, Sideband

__all__ = [
    "AsyncForksConnection",
    "AsyncForksConnectionManager",
    "AsyncLiveConnection",
    "AsyncLiveConnectionManager",
    "AsyncSidebandConnection",
    "AsyncSidebandConnectionManager",
    "Forks",
    "Live",
    "Sessions",
    "Sideband",
]


class AsyncLiveConnection(LiveConnectionBase):
    """A Live session over one WebSocket."""

    session = area(AsyncLiveSessionResource)


class AsyncLiveConnectionManager(AsyncWebSocketConnectionManager[AsyncLiveConnection]):
    """What ``client.live.connect()`` returns."""

    connection_class = AsyncLiveConnection
    default_max_queue_size = 2_097_152


class _CreateArgs(LiveCreateParams, RequestOptions, total=False): ...


class Live(APIResource):
    """``client.live``: ``create``, ``sessions``, ``connect``, ``sideband`` and ``forks``."""

    __slots__ = ()

    @property
    def sessions(self) -> Sessions:
        """A Live session's REST calls: accept, reject, refer, hangup, fork,
        download_recording."""
        return Sessions(self._client, raw=self._raw)

    @endpoint("POST", "/live/sessions", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> LiveCreateResponse:
        """Start a Live session over WebRTC: ``transport`` (``type`` ``"webrtc"`` and the
        caller's ``sdp`` offer) and the ``session``'s configuration. Returns the session's
        id and the SDP answer. Raises BadRequestError for a bad parameter."""
        return await self._call(Live.create, LiveCreateResponse, params)

    @property
    def sideband(self) -> Sideband:
        """Sideband connections to a Live session: ``connect``."""
        return Sideband(self._client, raw=self._raw)

    @property
    def forks(self) -> Forks:
        """Forks of a Live session: ``connect``."""
        return Forks(self._client, raw=self._raw)

    @connect_method
    def connect(self, **options: Unpack[ConnectOptions]) -> AsyncLiveConnectionManager:
        """A new Live session over a WebSocket (``/live/sessions``); ``async with`` the
        result. The options are ConnectOptions'."""
        return AsyncLiveConnectionManager(self._client, "/live/sessions", **options)
