"""The Conversations API: ``/conversations`` (the successor of Assistants threads).

A conversation is a durable list of items. ``responses.create(conversation=conv.id, ...)``
reads it as the model's context and appends the new input and output to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Unpack

from ..._client import object_parser, path_id
from ..._endpoints import endpoint
from ..._types import NOT_GIVEN, NotGiven, RequestOptions
from ...types.conversations.conversation import Conversation, ConversationDeletedResource
from ...types.responses.response_item import ResponseInputItemParam
from ..responses._base import ItemsResource
from .items import Items

__all__ = ["Conversations", "Items"]

_parse_conversation = object_parser(Conversation)
_parse_deleted = object_parser(ConversationDeletedResource)


def _conversation_path(conversation_id: str) -> str:
    return f"/conversations/{path_id('conversation_id', conversation_id)}"


class Conversations(ItemsResource):
    """``client.conversations``: create, retrieve, update, delete, and ``items``."""

    __slots__ = ()

    @property
    def items(self) -> Items:
        """The items of a conversation: create, retrieve, list, delete."""
        return Items(self._client, raw=self._raw)

    @endpoint("POST", "/conversations")
    async def create(
        self,
        *,
        items: Iterable[ResponseInputItemParam] | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Create a conversation, with up to 20 initial ``items`` and ``metadata``.

        Raises BadRequestError for a bad item or metadata (``param`` names it).
        """
        if items is not None and not isinstance(items, NotGiven):
            items = list(items)
        return await self._call(  # type: ignore[no-any-return]
            "POST",
            "/conversations",
            _parse_conversation,
            options,
            body={"items": items, "metadata": metadata},
        )

    @endpoint("GET", "/conversations/{conversation_id}")
    async def retrieve(
        self, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> Conversation:
        """Retrieve a conversation. Raises NotFoundError when there is no such conversation."""
        return await self._call(  # type: ignore[no-any-return]
            "GET", _conversation_path(conversation_id), _parse_conversation, options
        )

    @endpoint("POST", "/conversations/{conversation_id}")
    async def update(
        self,
        conversation_id: str,
        *,
        metadata: Mapping[str, str] | None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Replace a conversation's metadata; returns the conversation."""
        return await self._call(  # type: ignore[no-any-return]
            "POST",
            _conversation_path(conversation_id),
            _parse_conversation,
            options,
            body={"metadata": metadata},
        )

    @endpoint("DELETE", "/conversations/{conversation_id}")
    async def delete(
        self, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> ConversationDeletedResource:
        """Delete a conversation (its items are not deleted).

        Raises NotFoundError when there is no such conversation.
        """
        return await self._call(  # type: ignore[no-any-return]
            "DELETE", _conversation_path(conversation_id), _parse_deleted, options
        )
