"""``client.conversations.items``: the items of a conversation."""

from __future__ import annotations

from typing import Any, Final, Unpack

from ..._endpoints import endpoint
from ..._pagination import AsyncConversationCursorPage, AsyncPaginator
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.conversations.conversation import (
    Conversation,
    ConversationItem,
    ConversationItemList,
)
from ...types.conversations.item_create_params import ItemCreateParams
from ...types.conversations.item_list_params import ItemListParams
from ...types.conversations.item_retrieve_params import ItemRetrieveParams

__all__ = ["Items"]

#: The class of an item: a union (typed Any: a union is no ``type``), parsed by its tag.
_ITEM: Final[Any] = ConversationItem


class _CreateArgs(ItemCreateParams, RequestOptions, total=False): ...


class _RetrieveArgs(ItemRetrieveParams, RequestOptions, total=False): ...


class _ListArgs(ItemListParams, RequestOptions, total=False): ...


class Items(APIResource):
    """``client.conversations.items``: create, retrieve, list, delete."""

    __slots__ = ()

    @endpoint("POST", "/conversations/{conversation_id}/items", _CreateArgs, query=["include"])
    async def create(
        self, conversation_id: str, **params: Unpack[_CreateArgs]
    ) -> ConversationItemList:
        """Add items (up to 20: messages as dicts or EasyInputMessage, function call outputs,
        ...) to a conversation; returns them as stored (with ids) in a ConversationItemList.

        Raises NotFoundError for an unknown conversation, BadRequestError for a bad item.
        """
        return await self._call(
            Items.create, ConversationItemList, params, conversation_id=conversation_id
        )

    @endpoint("GET", "/conversations/{conversation_id}/items/{item_id}", _RetrieveArgs)
    async def retrieve(
        self, item_id: str, *, conversation_id: str, **params: Unpack[_RetrieveArgs]
    ) -> ConversationItem:
        """Retrieve one item of a conversation. Raises NotFoundError when there is none."""
        return await self._call(
            Items.retrieve,
            _ITEM,
            params,
            conversation_id=conversation_id,
            item_id=item_id,
        )

    @endpoint("GET", "/conversations/{conversation_id}/items", _ListArgs)
    def list(
        self, conversation_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[ConversationItem, AsyncConversationCursorPage[ConversationItem]]:
        """List the items of a conversation, newest first unless ``order="asc"``.

        ``await`` it for the first AsyncConversationCursorPage (``data``, ``first_id``,
        ``last_id``, ``has_more``), or ``async for item in ...`` to walk every page lazily.
        """
        ids = {"conversation_id": conversation_id}
        return self._pages(Items.list, _ITEM, params, ids, page=AsyncConversationCursorPage)

    @endpoint("DELETE", "/conversations/{conversation_id}/items/{item_id}")
    async def delete(
        self, item_id: str, *, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> Conversation:
        """Delete an item of a conversation; returns the Conversation (as the API does).

        Raises NotFoundError when there is no such item.
        """
        return await self._call(
            Items.delete, Conversation, options, conversation_id=conversation_id, item_id=item_id
        )
