"""The Responses API: ``/responses`` (the successor of Assistants runs).

A response is one model turn: ``input`` (a string or a list of items), optional
``instructions`` and ``tools``, chained to earlier turns by ``previous_response_id`` or by a
``conversation``. ``background=True`` queues it and returns at once; ``poll`` waits until it is
``completed``, ``failed``, ``cancelled`` or ``incomplete``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, Unpack, overload

from ..._endpoints import endpoint, takes
from ..._http import HTTPResponse
from ..._resource import APIResource, PollTarget
from ..._response import parse_json
from ..._streaming import AsyncStream, EventStream
from ..._types import NOT_GIVEN, NotGiven, RequestOptions
from ..._ws_connection import ConnectOptions, connect_method
from ...types.responses.compacted_response import CompactedResponse
from ...types.responses.response import TERMINAL_RESPONSE_STATUSES, Response
from ...types.responses.response_compact_params import ResponseCompactParams
from ...types.responses.response_create_params import ResponseCreateParamsBase
from ...types.responses.response_retrieve_params import ResponseRetrieveParamsBase
from ...types.responses.response_stream_event import (
    ResponseStreamEvent,
    parse_response_stream_event,
)
from .connection import AsyncResponsesConnection, AsyncResponsesConnectionManager
from .input_items import InputItems
from .input_tokens import InputTokens

if TYPE_CHECKING:
    from ...lib.streaming.responses import AsyncResponseStreamManager
    from ...types.responses.parsed_response import ParsedResponse

__all__ = [
    "AsyncResponsesConnection",
    "AsyncResponsesConnectionManager",
    "InputItems",
    "InputTokens",
    "Responses",
]

#: The events of a Responses stream; a body that ends before one of the final ones was cut.
_EVENTS: Final = EventStream(
    parse_response_stream_event,
    frozenset({"response.completed", "response.failed", "response.incomplete", "error"}),
)
#: The events as the stream helper reads them: each one's JSON data and its typed object.
_EVENT_PAIRS: Final = EventStream(
    lambda event, data: (data, parse_response_stream_event(event, data)), _EVENTS.final_events
)

TextFormatT = TypeVar("TextFormatT")


class _CreateArgs(ResponseCreateParamsBase, RequestOptions, total=False): ...


class _RetrieveArgs(ResponseRetrieveParamsBase, RequestOptions, total=False): ...


class _ParseArgs(_CreateArgs, total=False):
    """``create``'s keywords and ``verbosity``, which the SDK's ``parse`` sends as it is."""

    verbosity: Literal["low", "medium", "high"] | None


class _CompactArgs(ResponseCompactParams, RequestOptions, total=False): ...


class Responses(APIResource):
    """``client.responses``: create (whole or streamed), retrieve, delete, cancel, compact,
    ``input_items``, ``input_tokens``, and the helpers poll and create_and_poll."""

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
        """Responses over a WebSocket (``/responses``); ``async with`` the result for an
        AsyncResponsesConnection: ``await connection.response.create(model=..., input=...)``,
        then read the response's events. The options are ConnectOptions'."""
        return AsyncResponsesConnectionManager(self._client, "/responses", **options)

    @overload
    async def create(
        self,
        *,
        stream: Literal[False] | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> Response: ...

    @overload
    async def create(
        self, *, stream: Literal[True], **params: Unpack[_CreateArgs]
    ) -> AsyncStream[ResponseStreamEvent]: ...

    @overload
    async def create(
        self, *, stream: bool, **params: Unpack[_CreateArgs]
    ) -> Response | AsyncStream[ResponseStreamEvent]: ...

    @endpoint("POST", "/responses", _CreateArgs, metered=True)
    async def create(
        self,
        *,
        stream: bool | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> Response | AsyncStream[ResponseStreamEvent]:
        """Ask the model for a response and return it.

        ``model``, ``input`` (a string, or a list of items: dicts such as
        ``{"role": "user", "content": "Hi"}`` or ``{"type": "function_call_output",
        "call_id": ..., "output": ...}``, or item objects such as an earlier response's
        ``output`` items), ``instructions``, ``tools`` (``FunctionTool`` or dicts),
        ``previous_response_id`` or ``conversation`` (to continue a conversation),
        ``store``, ``background``, ``max_output_tokens`` and every other parameter of the
        official SDK pass through (others in ``extra_body``), as do the per-call options.
        ``response.output_text`` is the reply's text, ``response.function_calls`` the calls
        to answer. With ``stream=True``, an AsyncStream of ResponseStreamEvent
        (``response.created``, ..., ``response.output_text.delta``, ...,
        ``response.completed``) as soon as the answer starts.
        Raises BadRequestError for a bad parameter (``param`` names it), NotFoundError for an
        unknown ``previous_response_id`` or conversation; a stream raises APIError for an
        ``error`` event and APIConnectionError/APITimeoutError when it is cut or stalls.
        """
        if stream:
            return await self._stream(Responses.create, _EVENTS, params)
        return await self._call(Responses.create, Response, params, stream=stream)

    @overload
    async def retrieve(
        self,
        response_id: str,
        *,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        **params: Unpack[_RetrieveArgs],
    ) -> Response: ...

    @overload
    async def retrieve(
        self, response_id: str, *, stream: Literal[True], **params: Unpack[_RetrieveArgs]
    ) -> AsyncStream[ResponseStreamEvent]: ...

    @endpoint("GET", "/responses/{response_id}", _RetrieveArgs)
    async def retrieve(
        self,
        response_id: str,
        *,
        stream: bool | NotGiven = NOT_GIVEN,
        **params: Unpack[_RetrieveArgs],
    ) -> Response | AsyncStream[ResponseStreamEvent]:
        """Retrieve a stored response (a background one shows its progress).

        With ``stream=True`` (a background response), an AsyncStream of its events from the
        start, or from after the event numbered ``starting_after``: how a client that lost
        its stream picks it up again. Raises NotFoundError when there is no such response
        (or it was not stored).
        """
        if stream:
            return await self._stream(Responses.retrieve, _EVENTS, params, response_id=response_id)
        fn = Responses.retrieve
        return await self._call(fn, Response, params, response_id=response_id, stream=stream)

    @endpoint("DELETE", "/responses/{response_id}")
    async def delete(self, response_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a stored response. Returns None; NotFoundError when there is no such one."""
        return await self._call(Responses.delete, type(None), options, response_id=response_id)

    @endpoint("POST", "/responses/{response_id}/cancel")
    async def cancel(self, response_id: str, **options: Unpack[RequestOptions]) -> Response:
        """Cancel a background response; returns it (``cancelled``).

        Only responses created with ``background=True`` can be cancelled: BadRequestError
        for others; NotFoundError for an unknown id.
        """
        return await self._call(Responses.cancel, Response, options, response_id=response_id)

    @endpoint("POST", "/responses/compact", _CompactArgs, metered=True)
    async def compact(self, **params: Unpack[_CompactArgs]) -> CompactedResponse:
        """Compact a conversation that runs out of context: its ``input`` (items, as for
        ``create``) or the history of ``previous_response_id``.

        Returns a CompactedResponse whose ``output`` (the user messages, and a ``compaction``
        item carrying the rest in ``encrypted_content``) is the input to give the next
        ``create`` in place of the whole history. Raises NotFoundError for an unknown
        ``previous_response_id``, BadRequestError for a bad item.
        """
        return await self._call(Responses.compact, CompactedResponse, params)

    # -- polling helpers --------------------------------------------------------------------

    @takes(None)
    async def poll(
        self,
        response_id: str,
        *,
        poll_interval_ms: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Response:
        """Wait until a (background) response's status is terminal (``completed``,
        ``failed``, ``cancelled``, ``incomplete``) and return it.

        Waits between looks as the server's ``openai-poll-after-ms`` header asks, else
        ``poll_interval_ms``, else 1 s. ``deadline`` (seconds) bounds the whole wait and
        raises PollTimeoutError (an APITimeoutError) carrying the last Response seen as
        ``.last``. Cancelling the awaiting task does not cancel the response on the server.
        """
        ids = {"response_id": response_id}
        return await self._poll(_POLL, options, ids, poll_interval_ms=poll_interval_ms)

    @takes(_CreateArgs)
    async def create_and_poll(
        self,
        *,
        poll_interval_ms: int | None = None,
        **params: Unpack[_CreateArgs],
    ) -> Response:
        """Create a response (see ``create``; ``background`` defaults to True here) and wait
        until it is terminal (see ``poll``). ``deadline`` covers both.
        """
        params.setdefault("background", True)
        first = Responses.create
        return await self._poll(_POLL, params, {}, first=first, poll_interval_ms=poll_interval_ms)

    # -- the official SDK's helpers ----------------------------------------------------------

    @overload
    async def parse(
        self,
        *,
        text_format: type[TextFormatT],
        parse_as: NotGiven = NOT_GIVEN,
        stream: Literal[False] | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_ParseArgs],
    ) -> ParsedResponse[TextFormatT]: ...

    @overload
    async def parse(
        self,
        *,
        text_format: type[Any] | NotGiven = NOT_GIVEN,
        parse_as: type[TextFormatT] | None,
        stream: Literal[False] | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_ParseArgs],
    ) -> ParsedResponse[TextFormatT]: ...

    @overload
    async def parse(
        self,
        *,
        text_format: NotGiven = NOT_GIVEN,
        parse_as: NotGiven = NOT_GIVEN,
        stream: Literal[False] | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_ParseArgs],
    ) -> ParsedResponse[None]: ...

    @takes(_ParseArgs)
    async def parse(
        self,
        *,
        text_format: Any = NOT_GIVEN,
        parse_as: Any = NOT_GIVEN,
        stream: Literal[False] | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_ParseArgs],
    ) -> ParsedResponse[Any]:
        """Ask for a response whose text is a ``text_format`` and parse it.

        ``text_format`` is an attrs class, a dataclass, a TypedDict or a pydantic model: its
        strict JSON schema is sent as ``text.format``, and each final ``output_text`` part's
        ``parsed`` is its text made into it; ``output_parsed`` is the first one (None for a
        refusal). ``parse_as`` parses into another type than the one sent (None: parse
        nothing). Function calls of ``function_tool(T)`` tools (or other strict function
        tools) get ``parsed_arguments``. Every parameter of ``create`` passes through.
        Returns a ParsedResponse.

        Raises ContentParseError (holding the text) when a text does not fit the type,
        TypeError for a type no strict schema describes or for ``text_format`` with a
        ``text.format`` of your own, ValueError for ``stream=True`` (use ``stream()``); and
        whatever ``create`` raises.
        """
        from ..._parsing import parse_response
        from ..._tools import responses_tools

        if stream:
            raise ValueError("parse() returns a whole response; use stream() to stream one")
        body: dict[str, Any] = dict(params)
        output_type = _text_format(text_format, body)
        if not isinstance(parse_as, NotGiven):
            output_type = parse_as
        tools = body.get("tools", NOT_GIVEN)
        converted = [] if isinstance(tools, NotGiven) else responses_tools(tools)
        if not isinstance(tools, NotGiven):
            body["tools"] = converted

        def parse_answer(response: HTTPResponse) -> ParsedResponse[Any]:
            return parse_response(
                parse_json(response), text_format=output_type, tools=converted, response=response
            )

        return await self._call_parsed(Responses.create, parse_answer, body, stream=stream)

    @overload
    def stream(
        self,
        *,
        text_format: type[TextFormatT],
        response_id: str | NotGiven = NOT_GIVEN,
        starting_after: int | NotGiven = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> AsyncResponseStreamManager[TextFormatT]: ...

    @overload
    def stream(
        self,
        *,
        text_format: NotGiven = NOT_GIVEN,
        response_id: str | NotGiven = NOT_GIVEN,
        starting_after: int | NotGiven = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> AsyncResponseStreamManager[None]: ...

    @takes(_CreateArgs)
    def stream(
        self,
        *,
        text_format: Any = NOT_GIVEN,
        response_id: str | NotGiven = NOT_GIVEN,
        starting_after: int | NotGiven = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> AsyncResponseStreamManager[Any]:
        """Stream a new response (``model``, ``input``, ...), or an existing background one
        (``response_id``, from its start or after the event ``starting_after``), as events.

        ``async with client.responses.stream(...) as stream:`` sends the request and gives an
        AsyncResponseStream: ``async for event in stream`` yields the API's events (with the
        SDK's ``snapshot`` on text and argument deltas and ``parsed`` on
        ``response.output_text.done``), and ``await stream.get_final_response()`` is the
        ParsedResponse. Leaving the block closes the connection. ``text_format`` and
        ``tools`` as in ``parse``. Raises ValueError for a new response without ``model`` or
        ``input``, or for ``response_id``/``starting_after`` with parameters of a new one.
        """
        from ..._tools import responses_tools
        from ...lib.streaming.responses import AsyncResponseStream, AsyncResponseStreamManager

        body: dict[str, Any] = dict(params)
        options = {k: v for k, v in body.items() if k in RequestOptions.__optional_keys__}
        new = [k for k, v in body.items() if k not in options and not isinstance(v, NotGiven)]
        resume = not isinstance(response_id, NotGiven) or not isinstance(starting_after, NotGiven)
        if resume and [k for k in new if k not in ("include", "tools")]:
            raise ValueError(
                "response_id and starting_after stream an existing response; they cannot go"
                f" with the parameters of a new one ({', '.join(new)})"
            )
        output_type = _text_format(text_format, body)
        tools = body.get("tools", NOT_GIVEN)
        converted = [] if isinstance(tools, NotGiven) else responses_tools(tools)
        plain = Responses(self._client)  # a raw resource's stream is a stream all the same
        after = None if isinstance(starting_after, NotGiven) else starting_after
        if resume:
            if isinstance(response_id, NotGiven):
                raise ValueError("starting_after needs the response_id of the stream to resume")
            query = {**options, "include": body.get("include", NOT_GIVEN)}

            async def open_stream() -> AsyncResponseStream[Any]:
                raw = await plain._stream(
                    Responses.retrieve, _EVENT_PAIRS, query, response_id=response_id
                )
                return AsyncResponseStream(
                    raw, text_format=output_type, tools=converted, starting_after=after
                )

        else:
            for required in ("model", "input"):
                if required not in new:
                    raise ValueError(f"{required} must be given to stream a new response")
            if not isinstance(tools, NotGiven):
                body["tools"] = converted

            async def open_stream() -> AsyncResponseStream[Any]:
                raw = await plain._stream(Responses.create, _EVENT_PAIRS, body)
                return AsyncResponseStream(raw, text_format=output_type, tools=converted)

        return AsyncResponseStreamManager(open_stream)


#: A response, as the poll helpers look at it.
_POLL: Final = PollTarget(
    Responses.retrieve,
    Response,
    lambda response: {"response_id": response.id},
    TERMINAL_RESPONSE_STATUSES,
)


def _text_format(text_format: Any, params: dict[str, Any]) -> Any:
    """The type to parse into (None for none), after putting its strict schema in the
    ``text.format`` of ``params``; TypeError when ``text`` names a format of its own."""
    from ..._parsing import is_output_type
    from ..._structured import text_format_param

    if isinstance(text_format, NotGiven) or not is_output_type(text_format):
        return None
    text = params.get("text")
    text = {} if isinstance(text, NotGiven) or text is None else dict(text)
    if "format" in text:
        raise TypeError("text_format and a text.format of your own cannot go together")
    params["text"] = {**text, "format": text_format_param(text_format)}
    return text_format
