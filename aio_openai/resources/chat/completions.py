"""``client.chat.completions``: create a chat completion, whole or streamed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, Required, Unpack, overload

from ..._convert import converter
from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._streaming import AsyncStream, EventStream
from ..._types import NOT_GIVEN, NotGiven
from ...types.chat.chat_completion import ChatCompletion
from ...types.chat.chat_completion_chunk import ChatCompletionChunk
from ...types.chat.completion_create_params import (
    ChatCompletionMessageParam,
    CompletionCreateParams,
)

__all__ = ["Completions"]

_structure_chunk = converter.get_structure_hook(ChatCompletionChunk)


def parse_chunk(event: str | None, data: Any) -> ChatCompletionChunk:
    """One event of a chat completion stream, as a ChatCompletionChunk."""
    chunk: ChatCompletionChunk = _structure_chunk(data, ChatCompletionChunk)
    return chunk


_CHUNKS = EventStream(parse_chunk)


class _CreateArgs(CompletionCreateParams, total=False):
    messages: Required[Iterable[ChatCompletionMessageParam]]
    model: Required[str]


class Completions(APIResource):
    """``client.chat.completions``: ``create``."""

    __slots__ = ()

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
