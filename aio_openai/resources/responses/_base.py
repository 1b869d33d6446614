"""ItemsResource: an APIResource whose request bodies may hold attrs objects (input items)."""

from __future__ import annotations

import typing
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar, get_args

from ..._chain import Response as HTTPResponse
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._types import RequestOptions
from ...types.beta._unions import body_params
from .._base import APIResource

__all__ = ["ItemsResource", "union_class"]

T = TypeVar("T")


def union_class(union: Any) -> Any:
    """``union`` as a ``typing.Union`` (it has a ``__name__``, which list errors print)."""
    return typing.Union[get_args(union)]  # noqa: UP007


class ItemsResource(APIResource):
    """A resource of the Responses or Conversations API."""

    __slots__ = ()

    def _call(
        self,
        method: str,
        path: str,
        parser: Callable[[HTTPResponse], T],
        options: RequestOptions,
        *,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        raw: bool | None = None,
        metered: bool = False,
    ) -> Awaitable[Any]:
        """Send one call; attrs objects in ``body`` become JSON without their unset fields."""
        return self._client.request(
            method,
            path,
            parser,
            body=None if body is None else body_params(body),
            query=query,
            options=options,
            raw=self._raw if raw is None else raw,
            metered=metered,
        )

    def _list(
        self,
        path: str,
        item: Any,
        options: RequestOptions,
        query: Mapping[str, Any],
    ) -> AsyncPaginator[Any, AsyncCursorPage[Any]]:
        """A cursor-paginated list of ``item`` (a class or a union)."""
        return self._client.page(
            path, item, cursor=True, query=query, options=options, raw=self._raw
        )
