"""The legacy Completions API: ``/completions`` (a prompt in, text out), whole or streamed."""

from __future__ import annotations

from typing import Any, Final, Literal, Unpack, overload

from .._convert import converter
from .._endpoints import endpoint
from .._resource import APIResource
from .._streaming import AsyncStream, EventStream
from .._types import NOT_GIVEN, NotGiven, RequestOptions
from ..types.completion import Completion
from ..types.completion_create_params import CompletionCreateParamsBase

__all__ = ["Completions"]

_structure = converter.get_structure_hook(Completion)


def _parse_chunk(event: str | None, data: Any) -> Completion:
    """One event of a completion stream: a Completion holding the next piece of text."""
    chunk: Completion = _structure(data, Completion)
    return chunk


_CHUNKS: Final = EventStream(_parse_chunk)


class _CreateArgs(CompletionCreateParamsBase, RequestOptions, total=False): ...


class Completions(APIResource):
    """``client.completions``: ``create``."""

    __slots__ = ()

    @overload
    async def create(
        self,
        *,
        stream: Literal[False] | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> Completion: ...

    @overload
    async def create(
        self, *, stream: Literal[True], **params: Unpack[_CreateArgs]
    ) -> AsyncStream[Completion]: ...

    @overload
    async def create(
        self, *, stream: bool, **params: Unpack[_CreateArgs]
    ) -> Completion | AsyncStream[Completion]: ...

    @endpoint("POST", "/completions", _CreateArgs, metered=True)
    async def create(
        self, *, stream: bool | NotGiven | None = NOT_GIVEN, **params: Unpack[_CreateArgs]
    ) -> Completion | AsyncStream[Completion]:
        """Complete a ``prompt`` (a string, strings, or token ids) with ``model``
        (gpt-3.5-turbo-instruct, davinci-002, babbage-002).

        Returns a Completion with ``n`` choices per prompt; with ``stream=True``, an
        AsyncStream of Completion pieces as soon as the answer starts (with
        ``stream_options={"include_usage": True}``, a last piece with no choices carries the
        usage). Every parameter of the official SDK passes through (``max_tokens``,
        ``echo``, ``logprobs``, ``stop``, ``suffix``, ``best_of``, ...). The rate limiter
        counts the prompt's tokens, or ``max_tokens`` x ``n`` when larger. Raises
        BadRequestError for a bad parameter, NotFoundError for an unknown model; a stream
        raises APIConnectionError/APITimeoutError when it is cut or stalls.
        """
        if stream:
            return await self._stream(Completions.create, _CHUNKS, params)
        return await self._call(Completions.create, Completion, params, stream=stream)
