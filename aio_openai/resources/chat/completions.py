"""``client.chat.completions``: create a chat completion, whole or streamed; and the stored
ones (``store=True``): retrieve, update, list, delete, and their ``messages``."""

from __future__ import annotations

from typing import Any, Literal, Unpack, overload

from ..._convert import converter
from ..._endpoints import endpoint
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._resource import APIResource
from ..._streaming import AsyncStream, EventStream
from ..._types import NOT_GIVEN, NotGiven, RequestOptions
from ...types.chat.chat_completion import ChatCompletion
from ...types.chat.chat_completion_chunk import ChatCompletionChunk
from ...types.chat.chat_completion_deleted import ChatCompletionDeleted
from ...types.chat.completion_create_params import CompletionCreateParamsBase
from ...types.chat.completion_list_params import CompletionListParams
from ...types.chat.completion_update_params import CompletionUpdateParams
from .messages import Messages

__all__ = ["Completions", "Messages"]

_structure_chunk = converter.get_structure_hook(ChatCompletionChunk)


def parse_chunk(event: str | None, data: Any) -> ChatCompletionChunk:
    """One event of a chat completion stream, as a ChatCompletionChunk."""
    chunk: ChatCompletionChunk = _structure_chunk(data, ChatCompletionChunk)
    return chunk


_CHUNKS = EventStream(parse_chunk)


class _CreateArgs(CompletionCreateParamsBase, RequestOptions, total=False): ...


class _UpdateArgs(CompletionUpdateParams, RequestOptions, total=False): ...


class _ListArgs(CompletionListParams, RequestOptions, total=False): ...


class Completions(APIResource):
    """``client.chat.completions``: create; retrieve, update, list, delete the stored ones
    and list their ``messages``."""

    __slots__ = ()

    @property
    def messages(self) -> Messages:
        """The messages of a stored chat completion: list."""
        return Messages(self._client, raw=self._raw)

    @overload
    async def create(
        self,
        *,
        stream: Literal[False] | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> ChatCompletion: ...

    @overload
    async def create(
        self, *, stream: Literal[True], **params: Unpack[_CreateArgs]
    ) -> AsyncStream[ChatCompletionChunk]: ...

    @overload
    async def create(
        self, *, stream: bool, **params: Unpack[_CreateArgs]
    ) -> ChatCompletion | AsyncStream[ChatCompletionChunk]: ...

    @endpoint("POST", "/chat/completions", _CreateArgs, metered=True)
    async def create(
        self, *, stream: bool | NotGiven | None = NOT_GIVEN, **params: Unpack[_CreateArgs]
    ) -> ChatCompletion | AsyncStream[ChatCompletionChunk]:
        """Ask the model for the next message of a conversation.

        Returns a ChatCompletion; with ``stream=True``, an AsyncStream of ChatCompletionChunk
        as soon as the answer starts (``async for chunk in stream``; ``async with stream`` or
        ``await stream.close()`` to stop early). Every parameter of the official SDK passes
        through (``tools``, ``response_format``, ``n``, ``max_tokens``/``max_completion_tokens``,
        ``stream_options={"include_usage": True}``, ...); others go in ``extra_body``, and the
        per-call options (``timeout``, ``max_retries``, ``stream_idle_timeout``, ...) too.
        Raises BadRequestError for a bad request, RateLimitError past the retries,
        APIConnectionError/APITimeoutError when no answer comes; a stream raises APIError
        for an error event and APIConnectionError/APITimeoutError when it is cut or stalls.
        """
        if stream:
            return await self._stream(Completions.create, _CHUNKS, params)
        return await self._call(Completions.create, ChatCompletion, params, stream=stream)

    @endpoint("GET", "/chat/completions/{completion_id}")
    async def retrieve(
        self, completion_id: str, **options: Unpack[RequestOptions]
    ) -> ChatCompletion:
        """Retrieve a chat completion created with ``store=True``.

        Raises NotFoundError when there is none (or it was not stored).
        """
        return await self._call(
            Completions.retrieve, ChatCompletion, options, completion_id=completion_id
        )

    @endpoint("POST", "/chat/completions/{completion_id}", _UpdateArgs)
    async def update(self, completion_id: str, **params: Unpack[_UpdateArgs]) -> ChatCompletion:
        """Replace the ``metadata`` of a stored chat completion (``None`` clears it); returns
        the completion. Only the metadata can change."""
        return await self._call(
            Completions.update, ChatCompletion, params, completion_id=completion_id
        )

    @endpoint("GET", "/chat/completions", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[ChatCompletion, AsyncCursorPage[ChatCompletion]]:
        """List the stored chat completions, oldest first unless ``order="desc"``; ``model``
        and ``metadata`` (every key/value given must match) filter them.

        ``await`` it for the first AsyncCursorPage, or ``async for completion in ...`` to
        walk every page lazily.
        """
        return self._list(Completions.list, ChatCompletion, params)

    @endpoint("DELETE", "/chat/completions/{completion_id}")
    async def delete(
        self, completion_id: str, **options: Unpack[RequestOptions]
    ) -> ChatCompletionDeleted:
        """Delete a stored chat completion. Raises NotFoundError when there is none."""
        return await self._call(
            Completions.delete, ChatCompletionDeleted, options, completion_id=completion_id
        )
