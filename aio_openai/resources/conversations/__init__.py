"""The Conversations API: ``/conversations`` (the successor of Assistants threads).

A conversation is a durable list of items. ``responses.create(conversation=conv.id, ...)``
reads it as the model's context and appends the new input and output to it.
"""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.conversations.conversation import Conversation, ConversationDeletedResource
from ...types.conversations.conversation_create_params import ConversationCreateParams
from ...types.conversations.conversation_update_params import ConversationUpdateParams
from .items import Items

__all__ = ["Conversations", "Items"]


class _CreateArgs(ConversationCreateParams, RequestOptions, total=False): ...


class _UpdateArgs(ConversationUpdateParams, RequestOptions, total=False): ...


class Conversations(APIResource):
    """``client.conversations``: create, retrieve, update, delete, and ``items``."""

    __slots__ = ()

    @property
    def items(self) -> Items:
        """The items of a conversation: create, retrieve, list, delete."""
        return Items(self._client, raw=self._raw)

    @endpoint("POST", "/conversations", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> Conversation:
        """Create a conversation, with up to 20 initial ``items`` and ``metadata``.

        Raises BadRequestError for a bad item or metadata (``param`` names it).
        """
        return await self._call(Conversations.create, Conversation, params)

    @endpoint("GET", "/conversations/{conversation_id}")
    async def retrieve(
        self, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> Conversation:
        """Retrieve a conversation. Raises NotFoundError when there is no such conversation."""
        return await self._call(
            Conversations.retrieve, Conversation, options, conversation_id=conversation_id
        )

    @endpoint("POST", "/conversations/{conversation_id}", _UpdateArgs)
    async def update(self, conversation_id: str, **params: Unpack[_UpdateArgs]) -> Conversation:
        """Replace a conversation's metadata; returns the conversation."""
        return await self._call(
            Conversations.update, Conversation, params, conversation_id=conversation_id
        )

    @endpoint("DELETE", "/conversations/{conversation_id}")
    async def delete(
        self, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> ConversationDeletedResource:
        """Delete a conversation (its items are not deleted).

        Raises NotFoundError when there is no such conversation.
        """
        return await self._call(
            Conversations.delete,
            ConversationDeletedResource,
            options,
            conversation_id=conversation_id,
        )
