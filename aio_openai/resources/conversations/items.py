"""``client.conversations.items``: the items of a conversation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal, Unpack

from ..._client import object_parser, path_id
from ..._endpoints import endpoint
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._types import NOT_GIVEN, NotGiven, RequestOptions
from ...types.conversations.conversation import (
    Conversation,
    ConversationItem,
    ConversationItemList,
)
from ...types.responses.response_item import ResponseInputItemParam
from ..responses._base import ItemsResource, union_class

__all__ = ["Items"]

_ITEM = union_class(ConversationItem)
_parse_item = object_parser(_ITEM)
_parse_item_list = object_parser(ConversationItemList)
_parse_conversation = object_parser(Conversation)


def _items_path(conversation_id: str) -> str:
    return f"/conversations/{path_id('conversation_id', conversation_id)}/items"


def _include(include: Sequence[str] | NotGiven) -> list[str] | None:
    return None if isinstance(include, NotGiven) else list(include)


class Items(ItemsResource):
    """``client.conversations.items``: create, retrieve, list, delete."""

    __slots__ = ()

    @endpoint("POST", "/conversations/{conversation_id}/items")
    async def create(
        self,
        conversation_id: str,
        *,
        items: Iterable[ResponseInputItemParam],
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> ConversationItemList:
        """Add items (up to 20: messages as dicts or EasyInputMessage, function call outputs,
        ...) to a conversation; returns them as stored (with ids) in a ConversationItemList.

        Raises NotFoundError for an unknown conversation, BadRequestError for a bad item.
        """
        return await self._call(  # type: ignore[no-any-return]
            "POST",
            _items_path(conversation_id),
            _parse_item_list,
            options,
            body={"items": list(items)},
            query={"include": _include(include)},
        )

    @endpoint("GET", "/conversations/{conversation_id}/items/{item_id}")
    async def retrieve(
        self,
        item_id: str,
        *,
        conversation_id: str,
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> ConversationItem:
        """Retrieve one item of a conversation. Raises NotFoundError when there is none."""
        path = f"{_items_path(conversation_id)}/{path_id('item_id', item_id)}"
        return await self._call(  # type: ignore[no-any-return]
            "GET", path, _parse_item, options, query={"include": _include(include)}
        )

    @endpoint("GET", "/conversations/{conversation_id}/items")
    def list(
        self,
        conversation_id: str,
        *,
        after: str | NotGiven = NOT_GIVEN,
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        order: Literal["asc", "desc"] | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[ConversationItem, AsyncCursorPage[ConversationItem]]:
        """List the items of a conversation, newest first unless ``order="asc"``.

        ``await`` it for the first AsyncCursorPage (``data``, ``first_id``, ``last_id``,
        ``has_more``), or ``async for item in ...`` to walk every page lazily.
        """
        query: dict[str, Any] = {
            "after": after,
            "include": _include(include),
            "limit": limit,
            "order": order,
        }
        return self._list(_items_path(conversation_id), _ITEM, options, query)

    @endpoint("DELETE", "/conversations/{conversation_id}/items/{item_id}")
    async def delete(
        self, item_id: str, *, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> Conversation:
        """Delete an item of a conversation; returns the Conversation (as the API does).

        Raises NotFoundError when there is no such item.
        """
        path = f"{_items_path(conversation_id)}/{path_id('item_id', item_id)}"
        return await self._call(  # type: ignore[no-any-return]
            "DELETE", path, _parse_conversation, options
        )
