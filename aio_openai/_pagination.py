"""AsyncPage / AsyncCursorPage and the lazy paginator ``list()`` returns.

``await client.models.list()`` gives the first page; ``async for item in client.x.list()``
walks every item of every page, fetching the next page only when the loop gets there.

A walk always ends: a page that says ``has_more`` but gives no cursor to go on with, or whose
cursor was already asked for on this walk (a server answering the same ``last_id`` again),
is delivered, and asking for the page after it raises :class:`PaginationError`.
"""

from __future__ import annotations

from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Collection,
    Generator,
    Mapping,
    Sequence,
)
from functools import partial
from typing import Any, ClassVar, Generic, Literal, TypeVar

from ._convert import converter
from ._exceptions import APIResponseValidationError, status_error
from ._http import Handler, HTTPResponse, Request
from ._models import DictDumps, Dump
from ._request import RequestConfig, build_request
from ._response import parse_json
from ._types import RequestOptions

__all__ = [
    "AsyncConversationCursorPage",
    "AsyncCursorPage",
    "AsyncNextCursorPage",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncTokenPage",
    "PageFetch",
    "PaginationError",
]

T = TypeVar("T")
P = TypeVar("P", bound="AsyncPage[Any]")


class PaginationError(APIResponseValidationError):
    """A cursor list that does not lead on: ``has_more`` with no usable cursor, or a cursor
    that does not advance. Raised when the page after it is asked for; ``response`` is the
    answer that said so."""


class AsyncPage(DictDumps, Generic[T]):
    """One page of a list (``data``, ``object``); for APIs without cursors it is the only one."""

    __slots__ = ("_request_id", "_sent", "data", "object")

    #: The fields of the SDK's class of this page, dumped first (``to_dict``).
    _declared: tuple[str, ...] = ("object",)
    #: The query parameter a cursor list sends the next page's cursor in.
    cursor_param: ClassVar[str] = "after"

    def __init__(self, *, data: list[T], object: str = "list") -> None:
        self.data = data
        self.object = object
        self._request_id: str | None = None
        # what the API sent besides ``data``, as it sent it (None for a page made in code)
        self._sent: dict[str, Any] | None = None

    def _fields(self) -> dict[str, Any]:
        """The page's keys besides ``data``, for a page made in code."""
        return {"object": self.object}

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> dict[str, object]:
        """The page as JSON-ready data, as the SDK's page's ``to_dict()``: by default the keys
        the API sent (``data`` with each item's ``to_dict()``, ``object``, ``has_more``,
        ``first_id``, ...); the arguments are the items' (see ``BaseObject.to_dict``)."""
        dump = Dump.of(
            mode,
            by_alias=use_api_names,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
        )
        sent = self._fields() if self._sent is None else self._sent
        out: dict[str, object] = {"data": [dump.value(item) for item in self.data]}
        declared = {key: sent[key] for key in self._declared if key in sent}
        if not exclude_unset:
            declared = {**dict.fromkeys(self._declared), **declared}
        for key, value in {**declared, **sent}.items():
            if not (value is None and (exclude_none or exclude_defaults)):
                out[key] = dump.value(value)
        return out

    def has_next_page(self) -> bool:
        """Whether another page follows."""
        return False

    async def get_next_page(self) -> AsyncPage[T]:
        """Fetch the next page; raises RuntimeError when there is none."""
        raise RuntimeError("no next page; check has_next_page() first")

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """This page and every page after it, fetched lazily."""
        page: AsyncPage[T] = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> T:
        return self.data[index]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self.data)} items>"


class AsyncCursorPage(AsyncPage[T]):
    """A page of a cursor list: ``data``, ``first_id``, ``last_id``, ``has_more``.

    ``fetch(cursor, seen)`` gets the page after ``cursor``; ``seen`` holds the cursors
    already asked for on this walk, ``cursor`` included, which the next page must not give.
    """

    __slots__ = ("_fetch", "_stop", "first_id", "has_more", "last_id")

    _declared: tuple[str, ...] = ("has_more",)

    def __init__(
        self,
        *,
        data: list[T],
        object: str = "list",
        first_id: str | None = None,
        last_id: str | None = None,
        has_more: bool = False,
        fetch: Callable[[str, Collection[str]], Awaitable[AsyncCursorPage[T]]] | None = None,
    ) -> None:
        super().__init__(data=data, object=object)
        self.first_id = first_id
        self.last_id = last_id
        self.has_more = has_more
        self._fetch = fetch
        # why this page does not lead on although it says has_more, raised on the next step
        self._stop: PaginationError | None = None

    def _fields(self) -> dict[str, Any]:
        return {
            "has_more": self.has_more,
            "object": self.object,
            "first_id": self.first_id,
            "last_id": self.last_id,
        }

    def next_cursor(self) -> str | None:
        """The ``after`` cursor of the next page, or None."""
        if not self.has_more or not self.data:
            return None
        if self.last_id:
            return self.last_id
        last = self.data[-1]
        return getattr(last, "id", None)

    def has_next_page(self) -> bool:
        """Whether another page follows (True for a page that says so but cannot lead on:
        asking for it raises PaginationError, so a ``while has_next_page()`` loop ends)."""
        if self._fetch is None:
            return False
        return self._stop is not None or self.next_cursor() is not None

    async def get_next_page(self) -> AsyncCursorPage[T]:
        """Fetch the next page. Raises PaginationError when this page says ``has_more`` but
        gives no cursor, or the next page repeats the cursor it was asked for."""
        return await self._next_page(set())

    async def iter_pages(self) -> AsyncIterator[AsyncCursorPage[T]]:
        """This page and every page after it, fetched lazily. Raises PaginationError instead
        of asking for a cursor a second time (the pages would repeat forever)."""
        page: AsyncCursorPage[T] = self
        seen: set[str] = set()
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page._next_page(seen)

    async def _next_page(self, seen: set[str]) -> AsyncCursorPage[T]:
        if self._stop is not None:
            raise self._stop
        cursor = self.next_cursor()
        if self._fetch is None or cursor is None:
            raise RuntimeError("no next page; check has_next_page() first")
        seen.add(cursor)
        return await self._fetch(cursor, seen)


class AsyncConversationCursorPage(AsyncCursorPage[T]):
    """A page of a conversation's items: its cursor is the page's ``last_id`` only."""

    __slots__ = ()

    def next_cursor(self) -> str | None:
        """The ``after`` cursor of the next page (the page's ``last_id``), or None."""
        return self.last_id or None if self.has_more else None


class AsyncNextCursorPage(AsyncCursorPage[T]):
    """A page whose cursor is its ``next`` (sent as ``after``); ``has_more`` may be absent,
    and only ``has_more: false`` or no ``next`` ends the list."""

    __slots__ = ("next",)

    _declared = ("has_more", "next")

    def __init__(self, *, next: str | None = None, **fields: Any) -> None:
        super().__init__(**fields)
        self.next = next

    def _fields(self) -> dict[str, Any]:
        return {**super()._fields(), "next": self.next}

    def next_cursor(self) -> str | None:
        """The cursor of the next page (``next``), or None."""
        return self.next or None if self.has_more and self.data else None


class AsyncTokenPage(AsyncNextCursorPage[T]):
    """A page whose cursor is its ``next``, sent as ``page`` (a token, not an id)."""

    __slots__ = ()

    cursor_param: ClassVar[str] = "page"


class AsyncPaginator(Generic[T, P]):
    """What ``list()`` returns: await it for the first page, or ``async for`` every item."""

    __slots__ = ("_first",)

    def __init__(self, first: Callable[[], Awaitable[P]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, P]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page: AsyncPage[T] = await self._first()
        async for item in page:
            yield item


def check_cursor(
    page: AsyncCursorPage[Any], response: HTTPResponse, body: Any, seen: Collection[str]
) -> None:
    """Mark a page that says ``has_more`` but cannot lead on: no cursor, or one of ``seen``.

    The page is still delivered; asking for the one after it raises the PaginationError.
    """
    if not page.has_more:
        return
    cursor = page.next_cursor()
    if cursor is None:
        why = "gives no cursor to go on with (no last_id, and no id on its last item)"
    elif cursor in seen:
        why = f"gives the cursor {cursor!r} again: the pages would repeat forever"
    else:
        return
    message = f"{response.request.url.path}: a page with has_more {why}"
    page._stop = PaginationError(response, body, message=message)


def page_items(data: Any) -> Sequence[Any]:
    """The ``data`` array of a list body (empty when absent)."""
    items = data.get("data") if isinstance(data, dict) else None
    if items is None:
        return ()
    if not isinstance(items, list):
        raise TypeError("the list's 'data' is not an array")
    return items


class PageFetch(Generic[T]):
    """Fetches and parses one page of a list (of the class ``page``): the first, or the one
    after a cursor.

    A plain object rather than closures, so a list call leaves no reference cycle behind for
    the garbage collector (a cursor page keeps it to fetch the next page). :meth:`first`
    gives the request of the first page and its parser, for callers that send it themselves
    (a raw or streamed response); the pages after it are fetched here.
    """

    __slots__ = (
        "config",
        "endpoint_headers",
        "handler",
        "hook",
        "item",
        "options",
        "page",
        "path",
        "query",
    )

    def __init__(
        self,
        config: RequestConfig,
        handler: Handler,
        path: str,
        item: type[T],
        *,
        page: type[AsyncPage[Any]],
        query: Mapping[str, Any] | None = None,
        options: RequestOptions | Mapping[str, Any] | None = None,
        endpoint_headers: Mapping[str, str] | None = None,
    ) -> None:
        self.config = config
        self.handler = handler
        self.path = path
        self.item = item
        self.hook = converter.get_structure_hook(item)
        self.page = page
        self.query = dict(query or {})
        self.options = options
        self.endpoint_headers = endpoint_headers

    def __call__(self, after: str | None = None, seen: Collection[str] = ()) -> Awaitable[Any]:
        """The first page, or (a cursor list) the page after ``after``; ``seen`` holds the
        cursors asked for on this walk, which the page must not give as its next one."""
        if after is None:
            request, parse = self.first()
        else:
            request = self._request({**self.query, self.page.cursor_param: after})
            parse = partial(self.parse, seen=seen) if seen else self.parse
        return self._fetch(request, parse)

    def first(self) -> tuple[Request, Callable[[HTTPResponse], AsyncPage[T]]]:
        """The request of the first page, and the parser of its answer."""
        query = self.query
        after = query.get(self.page.cursor_param)  # the caller's own starting cursor
        parse = partial(self.parse, seen=(after,)) if isinstance(after, str) else self.parse
        return self._request(query), parse

    def _request(self, query: dict[str, Any]) -> Request:
        return build_request(
            self.config,
            "GET",
            self.path,
            query=query,
            options=self.options,
            endpoint_headers=self.endpoint_headers,
        )

    async def _fetch(
        self, request: Request, parse: Callable[[HTTPResponse], AsyncPage[T]]
    ) -> AsyncPage[T]:
        response = await self.handler(request)
        if not 200 <= response.status < 300:
            raise status_error(response)
        return parse(response)

    def parse(self, response: HTTPResponse, seen: Collection[str] = ()) -> AsyncPage[T]:
        data = parse_json(response)
        item, hook = self.item, self.hook
        try:
            if not isinstance(data, dict) or "data" not in data:
                raise TypeError("a list response must be an object with 'data'")
            items = [hook(x, item) for x in page_items(data)]
            page: AsyncPage[T]
            if issubclass(self.page, AsyncCursorPage):
                extra = {}
                has_more = data.get("has_more", False)
                if issubclass(self.page, AsyncNextCursorPage):
                    # no has_more: the list goes on while there is a ``next``
                    extra["next"] = data.get("next")
                    has_more = data.get("has_more", True)
                page = self.page(
                    data=items,
                    object=str(data.get("object", "list")),
                    first_id=data.get("first_id"),
                    last_id=data.get("last_id"),
                    has_more=bool(has_more),
                    fetch=self,
                    **extra,
                )
                check_cursor(page, response, data, seen)
            else:
                page = AsyncPage(data=items, object=str(data.get("object", "list")))
        except Exception as exc:
            reason = repr(exc)
        else:
            page._request_id = response.request_id
            page._sent = {k: v for k, v in data.items() if k != "data"}
            return page
        # raised outside the except block: no __context__ holding parts of the body
        raise APIResponseValidationError(
            response, data, message=f"Invalid list of {getattr(item, '__name__', item)}: {reason}"
        )
