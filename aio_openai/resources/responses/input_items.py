"""``client.responses.input_items``: the input items of a stored response."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Unpack

from ..._client import path_id
from ..._endpoints import endpoint
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._types import NOT_GIVEN, NotGiven, RequestOptions
from ...types.responses.response_item import ResponseItem
from ._base import ItemsResource, union_class

__all__ = ["InputItems"]

_ITEM = union_class(ResponseItem)


class InputItems(ItemsResource):
    """``client.responses.input_items``: list."""

    __slots__ = ()

    @endpoint("GET", "/responses/{response_id}/input_items")
    def list(
        self,
        response_id: str,
        *,
        after: str | NotGiven = NOT_GIVEN,
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        order: Literal["asc", "desc"] | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[ResponseItem, AsyncCursorPage[ResponseItem]]:
        """List the input items of a stored response (newest first unless ``order="asc"``):
        what was sent with it and what it inherited from ``previous_response_id``.

        ``await`` it for the first AsyncCursorPage, or ``async for item in ...`` to walk every
        page lazily. Items are ResponseItem (``Message``, ``ResponseFunctionToolCall``, ...).
        Raises NotFoundError for an unknown (or unstored) response.
        """
        path = f"/responses/{path_id('response_id', response_id)}/input_items"
        query = {
            "after": after,
            "include": None if isinstance(include, NotGiven) else list(include),
            "limit": limit,
            "order": order,
        }
        return self._list(path, _ITEM, options, query)
