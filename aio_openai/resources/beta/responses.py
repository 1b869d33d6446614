"""The beta Responses API: ``client.beta.responses``.

The same API as ``client.responses`` (the same calls, served by the same endpoints), marked
``?beta=true`` on every REST call and typed with the beta objects (``BetaResponse``,
``BetaResponseStreamEvent``, ...), which know the beta features (``multi_agent``, agent
messages, programs). ``betas`` asks for beta features by name, sent as the ``openai-beta``
header (``["responses_multi_agent=v1"]``). ``connect()`` is the Responses connection over a
WebSocket with the beta helpers (``multi_agent`` in ``response.create``, and
``response.inject``).
"""

from __future__ import annotations

from typing import Any, Final, Literal, Unpack, overload

from ..._endpoints import endpoint
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._resource import APIResource
from ..._streaming import AsyncStream, EventStream
from ..._types import NOT_GIVEN, NotGiven, RequestOptions
from ..._ws_connection import AsyncWebSocketConnectionManager, ConnectOptions, connect_method
from ..._ws_events import area, client_event
from ...types.beta.beta_compacted_response import BetaCompactedResponse
from ...types.beta.beta_response import BetaResponse
from ...types.beta.beta_response_item import BetaResponseItem
from ...types.beta.beta_response_stream_event import BetaResponseStreamEvent
from ...types.beta.response_compact_params import ResponseCompactParams
from ...types.beta.response_create_params import ResponseCreateParamsBase
from ...types.beta.response_retrieve_params import ResponseRetrieveParamsBase
from ...types.beta.responses.input_item_list_params import InputItemListParams
from ...types.beta.responses.input_token_count_params import InputTokenCountParams
from ...types.beta.responses.input_token_count_response import InputTokenCountResponse
from ...types.responses.response_stream_event import parse_stream_event
from ..responses import connection as ga

__all__ = [
    "AsyncResponsesConnection",
    "AsyncResponsesConnectionManager",
    "InputItems",
    "InputTokens",
    "Responses",
]

#: ``betas`` goes in this header, its names joined by commas.
_BETAS: Final = {"betas": "openai-beta"}
#: The events of a beta stream, and the ones it ends with (as the GA stream's).
_EVENTS: Final = EventStream(
    lambda event, data: parse_stream_event(BetaResponseStreamEvent, event, data),
    frozenset({"response.completed", "response.failed", "response.incomplete", "error"}),
)
#: The class of an item: a union (typed Any: a union is no ``type``), parsed by its tag.
_ITEM: Final[Any] = BetaResponseItem


class _BetasArgs(RequestOptions, total=False):
    """The per-call options and ``betas``, for the calls with no other parameter."""

    betas: list[Literal["responses_multi_agent=v1"]]


class _CreateArgs(ResponseCreateParamsBase, RequestOptions, total=False): ...


class _RetrieveArgs(ResponseRetrieveParamsBase, RequestOptions, total=False): ...


class _CompactArgs(ResponseCompactParams, RequestOptions, total=False): ...


class _ListArgs(InputItemListParams, RequestOptions, total=False): ...


class _CountArgs(InputTokenCountParams, RequestOptions, total=False): ...


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


class InputItems(APIResource):
    """``client.beta.responses.input_items``: list."""

    __slots__ = ()

    @endpoint("GET", "/responses/{response_id}/input_items?beta=true", _ListArgs, headers=_BETAS)
    def list(
        self, response_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[BetaResponseItem, AsyncCursorPage[BetaResponseItem]]:
        """The input items of a stored response as beta items (see
        ``client.responses.input_items.list``). NotFoundError for an unknown response."""
        return self._list(InputItems.list, _ITEM, params, response_id=response_id)


class InputTokens(APIResource):
    """``client.beta.responses.input_tokens``: count."""

    __slots__ = ()

    @endpoint("POST", "/responses/input_tokens?beta=true", _CountArgs, headers=_BETAS)
    async def count(self, **params: Unpack[_CountArgs]) -> InputTokenCountResponse:
        """Count the input tokens of a beta ``create`` request without running it (see
        ``client.responses.input_tokens.count``)."""
        return await self._call(InputTokens.count, InputTokenCountResponse, params)


class Responses(APIResource):
    """``client.beta.responses``: create (whole or streamed), retrieve, cancel, compact,
    delete, ``input_items``, ``input_tokens``, and ``connect`` (a WebSocket)."""

    __slots__ = ()

    @property
    def input_items(self) -> InputItems:
        """The input items of a stored response: list."""
        return InputItems(self._client, raw=self._raw)

    @property
    def input_tokens(self) -> InputTokens:
        """The input tokens a request would use: count."""
        return InputTokens(self._client, raw=self._raw)

    @connect_method
    def connect(self, **options: Unpack[ConnectOptions]) -> AsyncResponsesConnectionManager:
        """Beta Responses over a WebSocket (``/responses``); ``async with`` the result."""
        return AsyncResponsesConnectionManager(self._client, "/responses", **options)

    @overload
    async def create(
        self,
        *,
        stream: Literal[False] | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> BetaResponse: ...

    @overload
    async def create(
        self, *, stream: Literal[True], **params: Unpack[_CreateArgs]
    ) -> AsyncStream[BetaResponseStreamEvent]: ...

    @overload
    async def create(
        self, *, stream: bool, **params: Unpack[_CreateArgs]
    ) -> BetaResponse | AsyncStream[BetaResponseStreamEvent]: ...

    @endpoint("POST", "/responses?beta=true", _CreateArgs, metered=True, headers=_BETAS)
    async def create(
        self,
        *,
        stream: bool | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> BetaResponse | AsyncStream[BetaResponseStreamEvent]:
        """Ask the model for a response, with the beta features (``multi_agent``, ...) and
        ``betas`` (see ``client.responses.create`` for the rest). Returns a BetaResponse, or
        with ``stream=True`` an AsyncStream of BetaResponseStreamEvent. Raises as
        ``client.responses.create`` does."""
        if stream:
            return await self._stream(Responses.create, _EVENTS, params)
        return await self._call(Responses.create, BetaResponse, params, stream=stream)

    @overload
    async def retrieve(
        self,
        response_id: str,
        *,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        **params: Unpack[_RetrieveArgs],
    ) -> BetaResponse: ...

    @overload
    async def retrieve(
        self, response_id: str, *, stream: Literal[True], **params: Unpack[_RetrieveArgs]
    ) -> AsyncStream[BetaResponseStreamEvent]: ...

    @endpoint("GET", "/responses/{response_id}?beta=true", _RetrieveArgs, headers=_BETAS)
    async def retrieve(
        self,
        response_id: str,
        *,
        stream: bool | NotGiven = NOT_GIVEN,
        **params: Unpack[_RetrieveArgs],
    ) -> BetaResponse | AsyncStream[BetaResponseStreamEvent]:
        """Retrieve a stored response as a BetaResponse; with ``stream=True`` (a background
        one), its events from the start or after ``starting_after``. NotFoundError when there
        is no such response."""
        fn = Responses.retrieve
        if stream:
            return await self._stream(fn, _EVENTS, params, response_id=response_id)
        return await self._call(fn, BetaResponse, params, response_id=response_id, stream=stream)

    @endpoint("DELETE", "/responses/{response_id}?beta=true", _BetasArgs, headers=_BETAS)
    async def delete(self, response_id: str, **params: Unpack[_BetasArgs]) -> None:
        """Delete a stored response. Returns None; NotFoundError when there is no such one."""
        return await self._call(Responses.delete, type(None), params, response_id=response_id)

    @endpoint("POST", "/responses/{response_id}/cancel?beta=true", _BetasArgs, headers=_BETAS)
    async def cancel(self, response_id: str, **params: Unpack[_BetasArgs]) -> BetaResponse:
        """Cancel a background response; returns it (``cancelled``). BadRequestError for a
        response not made with ``background=True``, NotFoundError for an unknown id."""
        return await self._call(Responses.cancel, BetaResponse, params, response_id=response_id)

    @endpoint("POST", "/responses/compact?beta=true", _CompactArgs, metered=True, headers=_BETAS)
    async def compact(self, **params: Unpack[_CompactArgs]) -> BetaCompactedResponse:
        """Compact a conversation's ``input`` or the history of ``previous_response_id`` (see
        ``client.responses.compact``). Returns a BetaCompactedResponse."""
        return await self._call(Responses.compact, BetaCompactedResponse, params)
