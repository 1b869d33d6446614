"""The Responses API: ``/responses`` (the successor of Assistants runs).

A response is one model turn: ``input`` (a string or a list of items), optional
``instructions`` and ``tools``, chained to earlier turns by ``previous_response_id`` or by a
``conversation``. ``background=True`` queues it and returns at once; ``poll`` waits until it is
``completed``, ``failed``, ``cancelled`` or ``incomplete``, with step 4's poll loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, Final, Literal, Unpack, overload

from ..._chain import Response as HTTPResponse
from ..._client import object_parser, path_id
from ..._endpoints import endpoint
from ..._polling import check_poll_args, poll_until
from ..._response import APIResponse
from ..._streaming import AsyncStream
from ..._types import NOT_GIVEN, NotGiven, RequestOptions
from ...types.beta._unions import body_params
from ...types.responses.response import TERMINAL_RESPONSE_STATUSES, Response
from ...types.responses.response_create_params import ResponseCreateParams
from ...types.responses.response_stream_event import (
    ResponseStreamEvent,
    parse_response_stream_event,
)
from ._base import ItemsResource
from .input_items import InputItems

__all__ = ["InputItems", "Responses"]

_parse_response = object_parser(Response)

_OPTION_KEYS: Final = RequestOptions.__optional_keys__
_PARAM_KEYS: Final = ResponseCreateParams.__optional_keys__ - _OPTION_KEYS
_LIST_KEYS: Final = ("input", "tools", "include")


def _no_body(response: HTTPResponse) -> None:
    return None


def _response_path(response_id: str) -> str:
    return f"/responses/{path_id('response_id', response_id)}"


def _split(params: dict[str, Any]) -> tuple[dict[str, Any], RequestOptions]:
    """The request body and the per-call options of ``create``'s keyword arguments."""
    body: dict[str, Any] = {}
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
        if isinstance(value, Iterable) and not isinstance(value, str | list | tuple | Mapping):
            body[key] = list(value)
    return body_params(body), options  # type: ignore[return-value]


def _without_deadline(options: RequestOptions) -> RequestOptions:
    """The per-request options of a poll: its ``deadline`` is the whole wait's, not theirs."""
    out = RequestOptions(**options)
    out.pop("deadline", None)
    return out


#: The events that end a Responses stream: a body that ends before one is a cut connection.
_STREAM_END: Final = frozenset(
    {"response.completed", "response.failed", "response.incomplete", "error"}
)


class Responses(ItemsResource):
    """``client.responses``: create (whole or streamed), retrieve, delete, cancel,
    ``input_items``, and the helpers poll and create_and_poll."""

    __slots__ = ()

    @property
    def input_items(self) -> InputItems:
        """The input items of a stored response: list."""
        return InputItems(self._client, raw=self._raw)

    @overload
    async def create(
        self,
        *,
        stream: Literal[False] | NotGiven | None = NOT_GIVEN,
        **params: Unpack[ResponseCreateParams],
    ) -> Response: ...

    @overload
    async def create(
        self, *, stream: Literal[True], **params: Unpack[ResponseCreateParams]
    ) -> AsyncStream[ResponseStreamEvent]: ...

    @overload
    async def create(
        self, *, stream: bool, **params: Unpack[ResponseCreateParams]
    ) -> Response | AsyncStream[ResponseStreamEvent]: ...

    @endpoint("POST", "/responses", metered=True)
    async def create(
        self,
        *,
        stream: bool | NotGiven | None = NOT_GIVEN,
        **params: Unpack[ResponseCreateParams],
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
        body, options = _split(dict(params))
        if stream:
            body["stream"] = True
            return await self._client.request_stream(  # type: ignore[no-any-return]
                "POST",
                "/responses",
                parse_response_stream_event,
                final_events=_STREAM_END,
                body=body,
                options=options,
                raw=self._raw,
                metered=True,
            )
        if stream is not NOT_GIVEN:
            body["stream"] = stream
        return await self._call(  # type: ignore[no-any-return]
            "POST", "/responses", _parse_response, options, body=body, metered=True
        )

    @overload
    async def retrieve(
        self,
        response_id: str,
        *,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        include_obfuscation: bool | NotGiven = NOT_GIVEN,
        starting_after: int | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Response: ...

    @overload
    async def retrieve(
        self,
        response_id: str,
        *,
        stream: Literal[True],
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        include_obfuscation: bool | NotGiven = NOT_GIVEN,
        starting_after: int | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncStream[ResponseStreamEvent]: ...

    @endpoint("GET", "/responses/{response_id}")
    async def retrieve(
        self,
        response_id: str,
        *,
        stream: bool | NotGiven = NOT_GIVEN,
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        include_obfuscation: bool | NotGiven = NOT_GIVEN,
        starting_after: int | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Response | AsyncStream[ResponseStreamEvent]:
        """Retrieve a stored response (a background one shows its progress).

        With ``stream=True`` (a background response), an AsyncStream of its events from the
        start, or from after the event numbered ``starting_after``: how a client that lost
        its stream picks it up again. Raises NotFoundError when there is no such response
        (or it was not stored).
        """
        path = _response_path(response_id)
        query = {
            "include": None if isinstance(include, NotGiven) else list(include),
            "include_obfuscation": include_obfuscation,
            "starting_after": starting_after,
        }
        if stream:
            return await self._client.request_stream(  # type: ignore[no-any-return]
                "GET",
                path,
                parse_response_stream_event,
                final_events=_STREAM_END,
                query={**query, "stream": True},
                options=options,
                raw=self._raw,
            )
        return await self._call(  # type: ignore[no-any-return]
            "GET", path, _parse_response, options, query=query
        )

    @endpoint("DELETE", "/responses/{response_id}")
    async def delete(self, response_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a stored response. Returns None; NotFoundError when there is no such one."""
        await self._call("DELETE", _response_path(response_id), _no_body, options)

    @endpoint("POST", "/responses/{response_id}/cancel")
    async def cancel(self, response_id: str, **options: Unpack[RequestOptions]) -> Response:
        """Cancel a background response; returns it (``cancelled``).

        Only responses created with ``background=True`` can be cancelled: BadRequestError
        for others; NotFoundError for an unknown id.
        """
        return await self._call(  # type: ignore[no-any-return]
            "POST", f"{_response_path(response_id)}/cancel", _parse_response, options
        )

    # -- polling helpers --------------------------------------------------------------------

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
        _response_path(response_id)  # a bad id fails before anything is sent
        return await self._poll(response_id, None, poll_interval_ms, options)  # type: ignore[no-any-return]

    async def create_and_poll(
        self,
        *,
        poll_interval_ms: int | None = None,
        **params: Unpack[ResponseCreateParams],
    ) -> Response:
        """Create a response (see ``create``; ``background`` defaults to True here) and wait
        until it is terminal (see ``poll``). ``deadline`` covers both.
        """
        body, options = _split(dict(params))
        body.setdefault("background", True)
        check_poll_args(poll_interval_ms, options.get("deadline"))
        call_options = _without_deadline(options)

        async def first() -> APIResponse[Response]:
            return await self._call(  # type: ignore[no-any-return]
                "POST",
                "/responses",
                _parse_response,
                call_options,
                body=body,
                raw=True,
                metered=True,
            )

        return await self._poll(None, first, poll_interval_ms, options)  # type: ignore[no-any-return]

    async def _poll(
        self,
        response_id: str | None,
        first: Callable[[], Awaitable[APIResponse[Response]]] | None,
        poll_interval_ms: int | None,
        options: RequestOptions,
    ) -> Any:
        """The poll loop of the helpers; a raw resource returns the last APIResponse."""
        deadline = options.get("deadline")
        check_poll_args(poll_interval_ms, deadline)
        call_options = _without_deadline(options)
        policy = options.get("retry_policy") or self._client.retry_policy
        ids = {"response_id": response_id}

        async def retrieve() -> APIResponse[Response]:
            path = _response_path(ids["response_id"] or "")
            return await self._call(  # type: ignore[no-any-return]
                "GET", path, _parse_response, call_options, raw=True
            )

        async def first_look() -> APIResponse[Response]:
            assert first is not None
            response = await first()
            ids["response_id"] = response.parse().id
            return response

        response = await poll_until(
            retrieve,
            terminal=TERMINAL_RESPONSE_STATUSES,
            policy=policy,
            poll_interval_ms=poll_interval_ms,
            deadline=deadline,
            first=None if first is None else first_look,
            noun="Response",
        )
        return response if self._raw else response.parse()
