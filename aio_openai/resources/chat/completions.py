"""``client.chat.completions``: create a chat completion, whole or streamed; the stored ones
(``store=True``): retrieve, update, list, delete, and their ``messages``; ``parse`` and
``stream``, the official SDK's helpers for structured outputs and stream events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, Required, TypeVar, Unpack, overload

from ..._convert import converter
from ..._endpoints import endpoint, takes
from ..._http import HTTPResponse
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._resource import APIResource
from ..._response import parse_json
from ..._streaming import AsyncStream, EventStream
from ..._types import NOT_GIVEN, NotGiven, RequestOptions
from ...types.chat.chat_completion import ChatCompletion
from ...types.chat.chat_completion_chunk import ChatCompletionChunk
from ...types.chat.chat_completion_deleted import ChatCompletionDeleted
from ...types.chat.completion_create_params import (
    ChatCompletionMessageParam,
    CompletionCommonParams,
    CompletionCreateParamsBase,
    ResponseFormat,
)
from ...types.chat.completion_list_params import CompletionListParams
from ...types.chat.completion_update_params import CompletionUpdateParams
from .messages import Messages

if TYPE_CHECKING:
    from ...lib.streaming.chat import AsyncChatCompletionStreamManager
    from ...types.chat.parsed_chat_completion import ParsedChatCompletion

__all__ = ["Completions", "Messages"]

_structure_chunk = converter.get_structure_hook(ChatCompletionChunk)


def parse_chunk(event: str | None, data: Any) -> ChatCompletionChunk:
    """One event of a chat completion stream, as a ChatCompletionChunk."""
    chunk: ChatCompletionChunk = _structure_chunk(data, ChatCompletionChunk)
    return chunk


_CHUNKS = EventStream(parse_chunk)
#: The chunks as the stream helper reads them: each one's JSON data and its typed object.
_CHUNK_PAIRS = EventStream(lambda event, data: (data, parse_chunk(event, data)))

ResponseFormatT = TypeVar("ResponseFormatT")


class _CreateArgs(CompletionCreateParamsBase, RequestOptions, total=False): ...


class _UpdateArgs(CompletionUpdateParams, RequestOptions, total=False): ...


class _ListArgs(CompletionListParams, RequestOptions, total=False): ...


class _HelperArgs(CompletionCommonParams, total=False):
    """The keywords of ``parse`` and ``stream`` besides ``response_format``."""

    messages: Required[Iterable[ChatCompletionMessageParam]]
    model: Required[str]


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

    # -- the official SDK's helpers ----------------------------------------------------------

    @overload
    async def parse(
        self, *, response_format: type[ResponseFormatT], **params: Unpack[_HelperArgs]
    ) -> ParsedChatCompletion[ResponseFormatT]: ...

    @overload
    async def parse(
        self,
        *,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        **params: Unpack[_HelperArgs],
    ) -> ParsedChatCompletion[None]: ...

    @takes(_HelperArgs)
    async def parse(
        self, *, response_format: Any = NOT_GIVEN, **params: Unpack[_HelperArgs]
    ) -> ParsedChatCompletion[Any]:
        """Ask for a completion whose content is a ``response_format`` and parse it.

        ``response_format`` is an attrs class, a dataclass, a TypedDict or a pydantic model:
        its strict JSON schema is sent, and ``choices[i].message.parsed`` is the content made
        into it (None for a refusal, which ``message.refusal`` holds). ``tools`` must be strict
        function tools (``function_tool(T)``, or ``"strict": True``): each call's
        ``function.parsed_arguments`` is a T (or the decoded JSON). Every parameter of
        ``create`` passes through. Returns a ParsedChatCompletion.

        Raises LengthFinishReasonError or ContentFilterFinishReasonError when a choice was cut
        at the token limit or by the content filter, ContentParseError (holding the text)
        when the content does not fit the type, TypeError for a type no strict schema
        describes, ValueError for a tool that is not a strict function; and whatever
        ``create`` raises.
        """
        from ..._parsing import check_parse_tools, parse_chat_completion

        body: dict[str, Any] = dict(params)
        output_type = _helper_format(response_format, body)
        tools = body.get("tools", NOT_GIVEN)
        checked = [] if isinstance(tools, NotGiven) else check_parse_tools(tools)
        if not isinstance(tools, NotGiven):
            body["tools"] = checked

        def parse_answer(response: HTTPResponse) -> ParsedChatCompletion[Any]:
            return parse_chat_completion(
                parse_json(response),
                response_format=output_type,
                tools=checked,
                response=response,
            )

        return await self._call_parsed(Completions.create, parse_answer, body, stream=False)

    @overload
    def stream(
        self, *, response_format: type[ResponseFormatT], **params: Unpack[_HelperArgs]
    ) -> AsyncChatCompletionStreamManager[ResponseFormatT]: ...

    @overload
    def stream(
        self,
        *,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        **params: Unpack[_HelperArgs],
    ) -> AsyncChatCompletionStreamManager[None]: ...

    @takes(_HelperArgs)
    def stream(
        self, *, response_format: Any = NOT_GIVEN, **params: Unpack[_HelperArgs]
    ) -> AsyncChatCompletionStreamManager[Any]:
        """Stream a completion as events, accumulated (and parsed, as ``parse`` does).

        ``async with client.chat.completions.stream(...) as stream:`` sends the request and
        gives an AsyncChatCompletionStream: ``async for event in stream`` yields the official
        SDK's events (``chunk``, ``content.delta``, ``content.done``, ``refusal.delta``,
        ``tool_calls.function.arguments.delta``/``.done``, ``logprobs.*``), and
        ``await stream.get_final_completion()`` is the ParsedChatCompletion. Leaving the block
        closes the connection. ``response_format`` may be a type (see ``parse``) or a dict;
        ``tools`` may be any tools (strict ones have their arguments parsed). Raises as
        ``parse`` does, while the stream is read.
        """
        from ...lib.streaming.chat import (
            AsyncChatCompletionStream,
            AsyncChatCompletionStreamManager,
        )

        body: dict[str, Any] = dict(params)
        output_type = _helper_format(response_format, body)
        tools = body.get("tools", NOT_GIVEN)
        listed: list[Mapping[str, Any]] = [] if isinstance(tools, NotGiven) else list(tools)
        if not isinstance(tools, NotGiven):
            body["tools"] = listed
        plain = Completions(self._client)  # a raw resource's stream is a stream all the same

        async def open_stream() -> AsyncChatCompletionStream[Any]:
            raw = await plain._stream(Completions.create, _CHUNK_PAIRS, body)
            return AsyncChatCompletionStream(raw, response_format=output_type, tools=listed)

        return AsyncChatCompletionStreamManager(open_stream)


def _helper_format(response_format: Any, params: dict[str, Any]) -> Any:
    """The type to parse into (None for none), after putting the ``response_format`` to
    send in ``params``: its strict schema, or the dict given."""
    from ..._parsing import is_output_type
    from ..._structured import response_format_param

    if isinstance(response_format, NotGiven):
        return None
    if not is_output_type(response_format):
        params["response_format"] = response_format
        return None
    params["response_format"] = response_format_param(response_format)
    return response_format
