"""``client.responses.input_items``: the input items of a stored response."""

from __future__ import annotations

from typing import Any, Final, Unpack

from ..._endpoints import endpoint
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.responses.input_item_list_params import InputItemListParams
from ...types.responses.response_item import ResponseItem

__all__ = ["InputItems"]

#: The class of an item: a union (typed Any: a union is no ``type``), parsed by its tag.
_ITEM: Final[Any] = ResponseItem


class _ListArgs(InputItemListParams, RequestOptions, total=False): ...


class InputItems(APIResource):
    """``client.responses.input_items``: list."""

    __slots__ = ()

    @endpoint("GET", "/responses/{response_id}/input_items", _ListArgs)
    def list(
        self, response_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[ResponseItem, AsyncCursorPage[ResponseItem]]:
        """List the input items of a stored response (newest first unless ``order="asc"``):
        what was sent with it and what it inherited from ``previous_response_id``.

        ``await`` it for the first AsyncCursorPage, or ``async for item in ...`` to walk every
        page lazily. Items are ResponseItem (``ResponseInputMessageItem``,
        ``ResponseOutputMessage``, ``ResponseFunctionToolCallItem``, ...). Raises
        NotFoundError for an unknown (or unstored) response.
        """
        return self._list(InputItems.list, _ITEM, params, response_id=response_id)
