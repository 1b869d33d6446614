"""The Responses API: ``/responses`` (the successor of Assistants runs).

A response is one model turn: ``input`` (a string or a list of items), optional
``instructions`` and ``tools``, chained to earlier turns by ``previous_response_id`` or by a
``conversation``. ``background=True`` queues it and returns at once; ``poll`` waits until it is
``completed``, ``failed``, ``cancelled`` or ``incomplete``.
"""

from __future__ import annotations

from typing import Final, Literal, Unpack, overload

from ..._endpoints import endpoint, takes
from ..._resource import APIResource, PollTarget
from ..._streaming import AsyncStream, EventStream
from ..._types import NOT_GIVEN, NotGiven, RequestOptions
from ...types.responses.response import TERMINAL_RESPONSE_STATUSES, Response
from ...types.responses.response_create_params import ResponseCreateParams
from ...types.responses.response_retrieve_params import ResponseRetrieveParams
from ...types.responses.response_stream_event import (
    ResponseStreamEvent,
    parse_response_stream_event,
)
from .input_items import InputItems

__all__ = ["InputItems", "Responses"]

#: The events of a Responses stream; a body that ends before one of the final ones was cut.
_EVENTS: Final = EventStream(
    parse_response_stream_event,
    frozenset({"response.completed", "response.failed", "response.incomplete", "error"}),
)


class _RetrieveArgs(ResponseRetrieveParams, RequestOptions, total=False): ...


class Responses(APIResource):
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

    @endpoint("POST", "/responses", ResponseCreateParams, metered=True)
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

    @takes(ResponseCreateParams)
    async def create_and_poll(
        self,
        *,
        poll_interval_ms: int | None = None,
        **params: Unpack[ResponseCreateParams],
    ) -> Response:
        """Create a response (see ``create``; ``background`` defaults to True here) and wait
        until it is terminal (see ``poll``). ``deadline`` covers both.
        """
        params.setdefault("background", True)
        first = Responses.create
        return await self._poll(_POLL, params, {}, first=first, poll_interval_ms=poll_interval_ms)


#: A response, as the poll helpers look at it.
_POLL: Final = PollTarget(
    Responses.retrieve,
    Response,
    lambda response: {"response_id": response.id},
    TERMINAL_RESPONSE_STATUSES,
)
