"""APIResource: the base of every resource, and its one way to send a call.

A resource method declares its endpoint with ``@endpoint`` (``_endpoints``) and hands its
arguments on, typed precisely::

    return await self._call(Assistants.update, Assistant, params, assistant_id=assistant_id)

- :meth:`~APIResource._call`: one answer, parsed into a type (``_call_parsed`` with a parser
  of its own, ``_call_binary`` for bytes; ``_call_raw`` for the APIResponse whatever the
  mode);
- :meth:`~APIResource._list`, :meth:`~APIResource._list_page`: a lazy list (cursor pages, or
  one page);
- :meth:`~APIResource._stream`: an AsyncStream of events (:meth:`~APIResource._stream_later`:
  built now, sent by the ``async with`` of a stream helper);
- :meth:`~APIResource._poll`: looks at an object until its status is terminal (the ``poll``
  and ``*_poll`` helpers).

The endpoint's spec splits the keyword arguments (path ids, body or query, per-call options),
``_request.build_request`` makes the Request, the client's chain sends it. A resource reached
through ``with_raw_response`` returns each answer as an APIResponse instead: that is decided
here, once, not in the resources; so is ``with_streaming_response``, whose calls leave the
answer's body on the wire for a :class:`~_binary.StreamedAPIResponse` (the raw resource's
``_call`` does, when :data:`OPEN_BODY` is set by :class:`StreamingResponses`).
``_endpoint_headers`` are headers every call of a resource class adds (the Assistants API's
``OpenAI-Beta``).
"""

from __future__ import annotations

import typing
from collections.abc import Awaitable, Callable, Collection, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, cast, get_args

import attrs

from ._binary import (
    BinaryResponseContent,
    ResponseContextManager,
    StreamedAPIResponse,
    binary_parser,
)
from ._endpoints import ENDPOINT_SPEC, OPTION_KEYS, EndpointSpec, is_endpoint
from ._exceptions import status_error
from ._http import HTTPResponse, Request
from ._pagination import AsyncCursorPage, AsyncPage, AsyncPaginator, PageFetch
from ._polling import Polled, check_poll_args, poll_until
from ._request import build_request
from ._response import PARSERS, APIResponse, answer, object_parser
from ._streaming import AsyncStream, EventStream, open_stream

if TYPE_CHECKING:
    from ._client import AsyncOpenAI

__all__ = [
    "OPEN_BODY",
    "APIResource",
    "AssistantsResource",
    "PollTarget",
    "StreamingResponses",
    "union_class",
]

T = TypeVar("T")
E = TypeVar("E")
P = TypeVar("P", bound=Polled)

Method = Callable[..., Any]

#: Set while a ``with_streaming_response`` call is sent: its answer's body is left on the wire.
OPEN_BODY: ContextVar[bool] = ContextVar("aio_openai_open_body", default=False)


class APIResource:
    """A group of endpoints under one URL prefix."""

    __slots__ = ("_client", "_headers", "_raw")

    def __init__(self, client: AsyncOpenAI, *, raw: bool = False) -> None:
        self._client = client
        self._raw = raw
        self._headers = self._endpoint_headers()

    @property
    def with_raw_response(self) -> Any:
        """The same methods, each returning an APIResponse (status, headers, parse())."""
        return self._as_raw()

    @property
    def with_streaming_response(self) -> Any:
        """The same methods, each returning an ``async with`` giving a StreamedAPIResponse whose
        body is read as it arrives (``iter_bytes()``, ``stream_to_file()``, ``await
        parse()``)."""
        return StreamingResponses(self._as_raw())

    def _as_raw(self) -> Self:
        return type(self)(self._client, raw=True)

    def _endpoint_headers(self) -> Mapping[str, str] | None:
        """Headers every call of this resource adds (none by default); asked once, when the
        resource is made."""
        return None

    # -- sending ---------------------------------------------------------------------------------

    def _request(self, fn: Method, params: Mapping[str, Any], fields: Mapping[str, Any]) -> Request:
        """The Request of the call ``fn`` declares, with these arguments."""
        spec: EndpointSpec = getattr(fn, ENDPOINT_SPEC)
        path, body, query, options = spec.prepare(params, fields)
        return build_request(
            self._client._config,
            spec.method,
            path,
            body=body,
            query=query,
            options=options,
            metered=spec.metered,
            endpoint_headers=self._headers,
            files=spec.files,
            counts_tokens=spec.counts_tokens,
        )

    async def _call(
        self, fn: Method, cast_to: type[T], params: Mapping[str, Any], /, **fields: Any
    ) -> T:
        """Send the call ``fn`` declares; its answer as ``cast_to`` (a class or a union).

        ``params`` are the method's keyword arguments, ``fields`` its named ones (path ids,
        ``stream``). A raw resource returns the APIResponse instead.
        """
        request = self._request(fn, params, fields)
        parser: Callable[[HTTPResponse], T] = PARSERS[cast_to]
        if self._raw and OPEN_BODY.get():
            return cast(T, await self._open(request, parser))
        response = await self._client._handler(request)
        if not 200 <= response.status < 300:
            raise status_error(response)
        return cast(T, APIResponse(response, parser)) if self._raw else parser(response)

    async def _open(
        self, request: Request, parser: Callable[[HTTPResponse], T]
    ) -> StreamedAPIResponse[T]:
        """Send ``request`` leaving a 2xx body on the wire (``with_streaming_response``)."""
        request.open_body = True
        response = await self._client._stream_handler(request)
        if not 200 <= response.status < 300:
            raise status_error(response)
        return StreamedAPIResponse(response, parser, limit=self._client.max_response_bytes)

    async def _call_parsed(
        self,
        fn: Method,
        parse: Callable[[HTTPResponse], T],
        params: Mapping[str, Any],
        /,
        **fields: Any,
    ) -> T:
        """As :meth:`_call`, the answer made by ``parse``."""
        request = self._request(fn, params, fields)
        if self._raw and OPEN_BODY.get():
            return cast(T, await self._open(request, parse))
        response = await self._client._handler(request)
        return cast(T, answer(response, parse, self._raw))

    async def _call_binary(
        self, fn: Method, params: Mapping[str, Any], /, **fields: Any
    ) -> BinaryResponseContent:
        """As :meth:`_call`, for an answer of bytes (read in full, within the client's
        ``max_response_bytes``)."""
        return await self._call_parsed(fn, binary_parser, params, **fields)

    async def _call_raw(
        self, fn: Method, cast_to: type[T], params: Mapping[str, Any], /, **fields: Any
    ) -> APIResponse[T]:
        """As :meth:`_call`, the APIResponse whatever the mode (the poll helpers' looks)."""
        response = await self._client._handler(self._request(fn, params, fields))
        return cast(APIResponse[T], answer(response, object_parser(cast_to), True))

    def _result(self, response: APIResponse[T]) -> T:
        """What a method returns for ``response``: its parsed value, or itself when raw."""
        return cast(T, response) if self._raw else response.parse()

    def _list(
        self, fn: Method, item: type[T], params: Mapping[str, Any], /, **fields: Any
    ) -> AsyncPaginator[T, AsyncCursorPage[T]]:
        """A cursor list of ``item``: await it for the first page, ``async for`` every item."""
        return AsyncPaginator(self._pages(fn, item, params, fields, cursor=True))

    def _list_page(
        self, fn: Method, item: type[T], params: Mapping[str, Any], /, **fields: Any
    ) -> AsyncPaginator[T, AsyncPage[T]]:
        """A list that comes whole, in one page."""
        return AsyncPaginator(self._pages(fn, item, params, fields, cursor=False))

    def _pages(
        self,
        fn: Method,
        item: type[T],
        params: Mapping[str, Any],
        fields: Mapping[str, Any],
        *,
        cursor: bool,
    ) -> PageFetch[T]:
        spec: EndpointSpec = getattr(fn, ENDPOINT_SPEC)
        path, _, query, options = spec.prepare(params, fields)
        return PageFetch(
            self._client._config,
            self._client._handler,
            path,
            item,
            cursor=cursor,
            query=query,
            options=options,
            raw=self._raw,
            endpoint_headers=self._headers,
        )

    async def _stream(
        self, fn: Method, events: EventStream[E], params: Mapping[str, Any], /, **fields: Any
    ) -> AsyncStream[E]:
        """Send the call ``fn`` declares with ``stream=True``: an AsyncStream of its events
        (a raw resource returns the stream's APIResponse, whose ``parse()`` is the stream)."""
        request = self._request(fn, params, {**fields, "stream": True})
        stream = await open_stream(self._client, request, events, params)
        return cast(AsyncStream[E], stream.response) if self._raw else stream

    def _stream_later(
        self, fn: Method, events: EventStream[E], params: Mapping[str, Any], /, **fields: Any
    ) -> Callable[[], Awaitable[AsyncStream[E]]]:
        """The call ``fn`` declares with ``stream=True``, built now (bad arguments raise at
        once) and sent when the returned function is awaited: what the stream helpers'
        ``async with`` opens. It gives the AsyncStream itself, raw resource or not."""
        request = self._request(fn, params, {**fields, "stream": True})
        client = self._client
        return lambda: open_stream(client, request, events, params)

    async def _poll(
        self,
        target: PollTarget[P],
        params: Mapping[str, Any],
        ids: Mapping[str, str],
        *,
        first: Method | None = None,
        poll_interval_ms: int | None,
    ) -> P:
        """Look at an object (``target``, the path ``ids``) until its status is terminal;
        return it (a raw resource: the last APIResponse).

        ``first``, if given, is the method of the call that creates or resumes the object,
        sent first with ``params`` and ``ids``; the ids the later looks lack are then taken
        from its answer. ``params`` hold the per-call options of every request (and the first
        call's parameters); their ``deadline`` bounds the whole wait (past it,
        PollTimeoutError), and ``poll_interval_ms`` is the wait between looks when the server
        names none.
        """
        deadline = params.get("deadline")
        check_poll_args(poll_interval_ms, deadline)
        policy = params.get("retry_policy") or self._client.retry_policy
        call_params = {k: v for k, v in params.items() if k != "deadline"}
        options = {k: v for k, v in call_params.items() if k in OPTION_KEYS}
        look_ids = dict(ids)

        def look() -> Awaitable[APIResponse[P]]:
            return self._call_raw(target.retrieve, target.cls, options, **look_ids)

        async def first_look() -> APIResponse[P]:
            assert first is not None
            response = await self._call_raw(first, target.cls, call_params, **ids)
            for name, value in target.ids_of(response.parse()).items():
                look_ids.setdefault(name, value)  # the ids the caller gave are kept
            return response

        response = await poll_until(
            look,
            terminal=target.terminal,
            policy=policy,
            poll_interval_ms=poll_interval_ms,
            deadline=deadline,
            first=None if first is None else first_look,
            noun=target.cls.__name__,
        )
        return self._result(response)


class StreamingResponses:
    """``resource.with_streaming_response``: each endpoint method of the resource (and of its
    sub-resources) returns a ResponseContextManager; ``async with`` sends the call and gives a
    StreamedAPIResponse, whose body is left on the wire when the method sends one call (a
    list gives its first page read)."""

    __slots__ = ("_resource",)

    def __init__(self, resource: APIResource) -> None:
        self._resource = resource

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._resource, name)
        if isinstance(attr, APIResource):
            return StreamingResponses(attr._as_raw())
        if not is_endpoint(attr):
            raise AttributeError(
                f"{type(self._resource).__name__}.with_streaming_response has no {name!r}:"
                " it has the resource's endpoint methods"
            )
        limit = self._resource._client.max_response_bytes

        def call(*args: Any, **kwargs: Any) -> ResponseContextManager[Any]:
            async def send() -> StreamedAPIResponse[Any]:
                token = OPEN_BODY.set(True)
                try:
                    result = await attr(*args, **kwargs)
                finally:
                    OPEN_BODY.reset(token)
                if isinstance(result, StreamedAPIResponse):
                    return result
                return StreamedAPIResponse(
                    result.http_response, lambda _: result.parse(), limit=limit
                )

            return ResponseContextManager(send)

        call.__name__ = call.__qualname__ = name
        call.__doc__ = attr.__doc__
        return call


@attrs.frozen
class PollTarget(Generic[P]):
    """What a poll looks at: the ``retrieve`` method (an endpoint) giving a ``cls``, the path
    ids of an object as ``ids_of`` reads them from it, and its ``terminal`` statuses."""

    retrieve: Method
    cls: type[P]
    ids_of: Callable[[P], Mapping[str, str]]
    terminal: Collection[str]


class AssistantsResource(APIResource):
    """A resource of the Assistants API: every call carries ``OpenAI-Beta: assistants=vN``.

    The version comes from ``AsyncOpenAI(assistants_version=...)``; a call's
    ``extra_headers`` can still override it.
    """

    __slots__ = ()

    def _endpoint_headers(self) -> Mapping[str, str]:
        return {"OpenAI-Beta": f"assistants={self._client.assistants_version}"}


def union_class(union: Any) -> Any:
    """``union`` as a ``typing.Union`` (it has a ``__name__``, which list errors print): the
    ``cast_to`` of an endpoint answering one of several classes."""
    return typing.Union[get_args(union)]  # noqa: UP007
