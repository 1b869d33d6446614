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
``_request.build_request`` makes the Request, the client's chain sends it. How an answer is
returned is the resource's mode, decided here, once, not in the resources: a resource reached
through ``with_raw_response`` returns each answer as an APIResponse (its body read); through
``with_streaming_response``, each method returns an AsyncResponseContextManager giving the
AsyncAPIResponse (its body unread), for every method, those to come included.
``_endpoint_headers`` are headers every call of a resource class adds (the Assistants API's
``OpenAI-Beta``); an Assistants resource's public methods warn that the API is deprecated.
"""

from __future__ import annotations

import sys
import typing
import warnings
from collections.abc import Awaitable, Callable, Collection, Mapping
from functools import partial, update_wrapper
from typing import TYPE_CHECKING, Any, ClassVar, Final, Generic, Self, TypeVar, cast, get_args

import attrs

from ._binary import BinaryResponseContent, binary_parser
from ._endpoints import ENDPOINT_SPEC, OPTION_KEYS, EndpointSpec
from ._exceptions import status_error
from ._http import HTTPResponse, Request
from ._pagination import AsyncCursorPage, AsyncPage, AsyncPaginator, PageFetch
from ._polling import Polled, check_poll_args, poll_until
from ._request import build_request
from ._response import PARSERS, APIResponse, AsyncResponseContextManager, answer, object_parser
from ._streamed import open_event_response, open_response, open_stream
from ._streaming import AsyncStream, EventStream

if TYPE_CHECKING:
    from ._client import AsyncOpenAI

__all__ = [
    "ASSISTANTS_DEPRECATED",
    "DEPRECATED",
    "PLAIN",
    "RAW",
    "STREAMED",
    "APIResource",
    "AdminResource",
    "AssistantsResource",
    "PollTarget",
    "StreamingMethods",
    "union_class",
]

T = TypeVar("T")
E = TypeVar("E")
P = TypeVar("P", bound=Polled)

Method = Callable[..., Any]


#: How a resource returns answers (its ``_raw``): parsed, as an APIResponse (body read), or
#: as an AsyncAPIResponse (body unread). ``raw=True`` is RAW.
PLAIN: Final = 0
RAW: Final = 1
STREAMED: Final = 2


class APIResource:
    """A group of endpoints under one URL prefix."""

    __slots__ = ("_client", "_headers", "_raw")

    def __init__(self, client: AsyncOpenAI, *, raw: int = PLAIN) -> None:
        self._client = client
        self._raw = raw  # the mode: PLAIN, RAW or STREAMED; sub-resources are made in it
        self._headers = self._endpoint_headers()

    @property
    def with_raw_response(self) -> Any:
        """The same methods, each returning an APIResponse (status, headers, parse())."""
        return self._as_raw()

    @property
    def with_streaming_response(self) -> Any:
        """The same methods, each returning an async context manager that sends the call and
        gives its AsyncAPIResponse with the body unread (``await response.parse()``,
        ``iter_bytes()``, ``iter_lines()``, ...), closed when the block is left."""
        return StreamingMethods(type(self)(self._client, raw=STREAMED))

    def _as_raw(self) -> Self:
        return type(self)(self._client, raw=RAW)

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
            json_without_files=spec.json_without_files,
            counts_tokens=spec.counts_tokens,
        )

    async def _call(
        self, fn: Method, cast_to: type[T], params: Mapping[str, Any], /, **fields: Any
    ) -> T:
        """Send the call ``fn`` declares; its answer as ``cast_to`` (a class or a union).

        ``params`` are the method's keyword arguments, ``fields`` its named ones (path ids,
        ``stream``). A raw or streamed resource returns what its mode returns (``_answer``).
        """
        request = self._request(fn, params, fields)
        if self._raw:
            return await self._answer(request, PARSERS[cast_to], params)
        response = await self._client._handler(request)
        if not 200 <= response.status < 300:
            raise status_error(response)
        parser: Callable[[HTTPResponse], T] = PARSERS[cast_to]
        return parser(response)

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
        if self._raw:
            return await self._answer(request, parse, params)
        return cast(T, answer(await self._client._handler(request), parse, False))

    async def _call_binary(
        self, fn: Method, params: Mapping[str, Any], /, **fields: Any
    ) -> BinaryResponseContent:
        """As :meth:`_call`, for an answer of bytes: read in full (within the client's
        ``max_response_bytes``) as BinaryResponseContent; a raw resource's APIResponse parses
        to it, a streamed resource's AsyncAPIResponse reads it on demand (``iter_bytes()``,
        ``stream_to_file()``)."""
        return await self._call_parsed(fn, binary_parser, params, **fields)

    async def _answer(
        self, request: Request, parse: Callable[[HTTPResponse], T], options: Mapping[str, Any]
    ) -> T:
        """Send ``request``; what this resource's mode returns for its answer: the result
        ``parse`` makes, its APIResponse (raw), or its AsyncAPIResponse (streamed; ``options``
        are the call's, for the body's idle timeout)."""
        if self._raw == STREAMED:
            return cast(T, await open_response(self._client, request, parse, options))
        response = await self._client._handler(request)
        return cast(T, answer(response, parse, bool(self._raw)))

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
        return self._pages(fn, item, params, fields, page=AsyncCursorPage)

    def _list_page(
        self, fn: Method, item: type[T], params: Mapping[str, Any], /, **fields: Any
    ) -> AsyncPaginator[T, AsyncPage[T]]:
        """A list that comes whole, in one page."""
        return self._pages(fn, item, params, fields, page=AsyncPage)

    def _post_page(
        self, fn: Method, item: type[T], params: Mapping[str, Any], /, **fields: Any
    ) -> AsyncPaginator[T, AsyncPage[T]]:
        """A list answered whole, in one page, by the call ``fn`` declares whatever its
        method (``vector_stores.search`` POSTs its query): built now, so bad arguments raise
        at once; sent when awaited or iterated."""
        request = self._request(fn, params, fields)
        fetch = PageFetch(self._client._config, self._client._handler, "", item, page=AsyncPage)
        return AsyncPaginator(partial(self._answer, request, fetch.parse, params))

    def _pages(
        self,
        fn: Method,
        item: type[T],
        params: Mapping[str, Any],
        fields: Mapping[str, Any],
        *,
        page: type[AsyncPage[Any]],
    ) -> AsyncPaginator[T, Any]:
        """The pages (of the class ``page``) of the list ``fn`` declares."""
        spec: EndpointSpec = getattr(fn, ENDPOINT_SPEC)
        path, _, query, options = spec.prepare(params, fields)
        fetch = PageFetch(
            self._client._config,
            self._client._handler,
            path,
            item,
            page=page,
            query=query,
            options=options,
            endpoint_headers=self._headers,
        )
        if not self._raw:
            return AsyncPaginator(fetch)
        return AsyncPaginator(partial(self._first_page, fetch, params))

    def _first_page(self, fetch: PageFetch[T], params: Mapping[str, Any]) -> Awaitable[Any]:
        """The first page's answer as this resource's mode returns it (the pages after it,
        fetched from the page, come parsed)."""
        request, parse = fetch.first()
        return self._answer(request, parse, params)

    async def _stream(
        self, fn: Method, events: EventStream[E], params: Mapping[str, Any], /, **fields: Any
    ) -> AsyncStream[E]:
        """Send the call ``fn`` declares with ``stream=True``: an AsyncStream of its events
        (a raw resource returns the stream's APIResponse, whose ``parse()`` is the stream).
        ``stream=NOT_GIVEN`` among ``fields`` sends no ``stream`` (a GET that always streams)."""
        request = self._request(fn, params, {"stream": True, **fields})
        if self._raw == STREAMED:
            response = await open_event_response(self._client, request, events, params)
            return cast(AsyncStream[E], response)
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


@attrs.frozen
class PollTarget(Generic[P]):
    """What a poll looks at: the ``retrieve`` method (an endpoint) giving a ``cls``, the path
    ids of an object as ``ids_of`` reads them from it, and its ``terminal`` statuses."""

    retrieve: Method
    cls: type[P]
    ids_of: Callable[[P], Mapping[str, str]]
    terminal: Collection[str]


#: The messages of the Assistants API's DeprecationWarning, as the SDK's: most resources say
#: the first, ``beta.assistants`` the second.
ASSISTANTS_DEPRECATED: Final = "The Assistants API is deprecated in favor of the Responses API"
DEPRECATED: Final = "deprecated"


class StreamingMethods:
    """``resource.with_streaming_response``: the resource's methods (and sub-resources), each
    returning an :class:`AsyncResponseContextManager` around its call, sent on entering::

        async with client.models.with_streaming_response.retrieve("gpt-4") as response:
            model = await response.parse()

    One wrapper for every method, those to come included: the resource it wraps is in the
    STREAMED mode, so its methods return AsyncAPIResponses, which the manager closes.
    """

    __slots__ = ("_resource",)

    def __init__(self, resource: APIResource) -> None:
        self._resource = resource

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._resource, name)
        if isinstance(attr, APIResource):
            return StreamingMethods(attr)
        if name.startswith("_") or not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> AsyncResponseContextManager[Any]:
            return AsyncResponseContextManager(attr(*args, **kwargs))

        return update_wrapper(call, attr)

    def __dir__(self) -> list[str]:
        return [name for name in dir(self._resource) if not name.startswith("_")]

    def __repr__(self) -> str:
        return f"<{type(self._resource).__name__}.with_streaming_response>"


class AssistantsResource(APIResource):
    """A resource of the Assistants API: every call carries ``OpenAI-Beta: assistants=vN``.

    The version comes from ``AsyncOpenAI(assistants_version=...)``; a call's
    ``extra_headers`` can still override it. The API is deprecated (OpenAI retires it in
    favour of the Responses API): as in the official SDK, each public method a subclass
    defines warns so when called (a DeprecationWarning naming the caller's line, with the
    SDK's message: ``_deprecation``).
    """

    __slots__ = ()

    #: The DeprecationWarning's message (the SDK's, per resource).
    _deprecation: ClassVar[str] = ASSISTANTS_DEPRECATED

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, attr in list(vars(cls).items()):
            if not name.startswith("_") and callable(attr) and not isinstance(attr, type):
                setattr(cls, name, _deprecated(attr, cls._deprecation))

    def _endpoint_headers(self) -> Mapping[str, str]:
        return {"OpenAI-Beta": f"assistants={self._client.assistants_version}"}


class AdminResource(APIResource):
    """A resource of the admin API (``client.admin``): every call sends the client's admin
    key (``admin_api_key``, ``OPENAI_ADMIN_KEY``) in ``Authorization`` instead of the API
    key, as the SDK does. A client without one refuses the call with TypeError before
    anything is sent (``_request.check_credentials``). The admin key goes where the API key
    goes, so it is masked wherever the API key is (the errors, ``http_request``, the logs)
    and leaves only for the client's base URL."""

    __slots__ = ()

    def _endpoint_headers(self) -> Mapping[str, str]:
        key = self._client.admin_api_key
        return {"Authorization": f"Bearer {key}" if key else ""}


def _deprecated(fn: Method, message: str) -> Method:
    """``fn``, warning ``message`` (a DeprecationWarning, at the caller's line) when called.

    A plain function returning what ``fn`` returns (a coroutine, a paginator), so the warning
    comes when the call is made, as the SDK's; the wrapper carries ``fn``'s endpoint
    declaration and signature."""

    def warn_and_call(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(message, DeprecationWarning, stacklevel=_caller_level())
        return fn(*args, **kwargs)

    return update_wrapper(warn_and_call, fn)


def _caller_level() -> int:
    """The ``stacklevel`` of the first frame outside this module (a call through
    ``with_streaming_response`` passes through it twice), seen from ``warn_and_call``."""
    frame = sys._getframe(2)
    level = 2
    while frame.f_back is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
        level += 1
    return level


def union_class(union: Any) -> Any:
    """``union`` as a ``typing.Union`` (it has a ``__name__``, which list errors print): the
    ``cast_to`` of an endpoint answering one of several classes."""
    return typing.Union[get_args(union)]  # noqa: UP007
