"""``client.chat.completions``: create a chat completion, whole or streamed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final, Literal, Unpack, overload

from ..._client import object_parser
from ..._convert import converter
from ..._endpoints import endpoint
from ..._streaming import AsyncStream
from ..._types import NOT_GIVEN, NotGiven, RequestOptions
from ...types.chat.chat_completion import ChatCompletion
from ...types.chat.chat_completion_chunk import ChatCompletionChunk
from ...types.chat.completion_create_params import (
    ChatCompletionMessageParam,
    CompletionCreateParams,
)
from .._base import APIResource

__all__ = ["Completions"]

_parse_completion = object_parser(ChatCompletion)
_structure_chunk = converter.get_structure_hook(ChatCompletionChunk)

_OPTION_KEYS: Final = RequestOptions.__optional_keys__
_PARAM_KEYS: Final = CompletionCreateParams.__optional_keys__ - _OPTION_KEYS
_LIST_KEYS: Final = ("messages", "tools", "functions")


def _parse_chunk(event: str | None, data: Any) -> ChatCompletionChunk:
    chunk: ChatCompletionChunk = _structure_chunk(data, ChatCompletionChunk)
    return chunk


class Completions(APIResource):
    """``client.chat.completions``: ``create``."""

    __slots__ = ()

    @overload
    async def create(
        self,
        *,
        messages: Iterable[ChatCompletionMessageParam],
        model: str,
        stream: Literal[False] | NotGiven | None = NOT_GIVEN,
        **params: Unpack[CompletionCreateParams],
    ) -> ChatCompletion: ...

    @overload
    async def create(
        self,
        *,
        messages: Iterable[ChatCompletionMessageParam],
        model: str,
        stream: Literal[True],
        **params: Unpack[CompletionCreateParams],
    ) -> AsyncStream[ChatCompletionChunk]: ...

    @overload
    async def create(
        self,
        *,
        messages: Iterable[ChatCompletionMessageParam],
        model: str,
        stream: bool,
        **params: Unpack[CompletionCreateParams],
    ) -> ChatCompletion | AsyncStream[ChatCompletionChunk]: ...

    @endpoint("POST", "/chat/completions", metered=True)
    async def create(
        self,
        *,
        messages: Iterable[ChatCompletionMessageParam],
        model: str,
        stream: bool | NotGiven | None = NOT_GIVEN,
        **params: Unpack[CompletionCreateParams],
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
        body: dict[str, Any] = {"messages": messages, "model": model}
        options: dict[str, Any] = {}
        for key, value in params.items():
            if key in _PARAM_KEYS:
                body[key] = value
            elif key in _OPTION_KEYS:
                options[key] = value
            else:
                raise TypeError(f"create() got an unexpected keyword argument {key!r}")
        for key in _LIST_KEYS:  # generators and other one-shot iterables become lists
            value = body.get(key)
            if value is not None and not isinstance(value, list | tuple | NotGiven):
                body[key] = list(value)
        if stream:
            body["stream"] = True
            return await self._client.request_stream(  # type: ignore[no-any-return]
                "POST",
                "/chat/completions",
                _parse_chunk,
                body=body,
                options=options,  # type: ignore[arg-type]
                raw=self._raw,
                metered=True,
            )
        if stream is not NOT_GIVEN:
            body["stream"] = stream
        return await self._client.request(  # type: ignore[no-any-return]
            "POST",
            "/chat/completions",
            _parse_completion,
            body=body,
            options=options,  # type: ignore[arg-type]
            raw=self._raw,
            metered=True,
        )
