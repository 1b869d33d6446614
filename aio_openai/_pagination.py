"""AsyncPage / AsyncCursorPage and the lazy paginator ``list()`` returns.

``await client.models.list()`` gives the first page; ``async for item in client.x.list()``
walks every item of every page, fetching the next page only when the loop gets there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Sequence
from typing import Any, Generic, TypeVar

__all__ = ["AsyncCursorPage", "AsyncPage", "AsyncPaginator"]

T = TypeVar("T")
P = TypeVar("P", bound="AsyncPage[Any]")


class AsyncPage(Generic[T]):
    """One page of a list (``data``, ``object``); for APIs without cursors it is the only one."""

    __slots__ = ("_request_id", "data", "object")

    def __init__(self, *, data: list[T], object: str = "list") -> None:
        self.data = data
        self.object = object
        self._request_id: str | None = None

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
    """A page of a cursor list: ``data``, ``first_id``, ``last_id``, ``has_more``."""

    __slots__ = ("_fetch", "first_id", "has_more", "last_id")

    def __init__(
        self,
        *,
        data: list[T],
        object: str = "list",
        first_id: str | None = None,
        last_id: str | None = None,
        has_more: bool = False,
        fetch: Callable[[str], Awaitable[AsyncCursorPage[T]]] | None = None,
    ) -> None:
        super().__init__(data=data, object=object)
        self.first_id = first_id
        self.last_id = last_id
        self.has_more = has_more
        self._fetch = fetch

    def next_cursor(self) -> str | None:
        """The ``after`` cursor of the next page, or None."""
        if not self.has_more or not self.data:
            return None
        if self.last_id:
            return self.last_id
        last = self.data[-1]
        return getattr(last, "id", None)

    def has_next_page(self) -> bool:
        return self._fetch is not None and self.next_cursor() is not None

    async def get_next_page(self) -> AsyncCursorPage[T]:
        cursor = self.next_cursor()
        if self._fetch is None or cursor is None:
            raise RuntimeError("no next page; check has_next_page() first")
        return await self._fetch(cursor)


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


def page_items(data: Any) -> Sequence[Any]:
    """The ``data`` array of a list body (empty when absent)."""
    items = data.get("data") if isinstance(data, dict) else None
    if items is None:
        return ()
    if not isinstance(items, list):
        raise TypeError("the list's 'data' is not an array")
    return items
