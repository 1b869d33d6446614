"""The Conversation object, its deletion, and a page of its items."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from ..._models import BaseObject
from ..responses.response_item import ResponseItem

__all__ = [
    "Conversation",
    "ConversationDeleted",
    "ConversationDeletedResource",
    "ConversationItem",
    "ConversationItemList",
]

ConversationItem = ResponseItem
"""An item of a conversation (a message, a function call or its output, ...), tagged on
``type``; the same union as a response's input items."""


@attrs.frozen(kw_only=True)
class Conversation(BaseObject):
    """A conversation: a durable list of items that responses read and add to."""

    id: str
    created_at: int | None = None
    metadata: Any = None
    object: Literal["conversation"] | str = "conversation"


@attrs.frozen(kw_only=True)
class ConversationDeletedResource(BaseObject):
    """The answer to deleting a conversation."""

    id: str
    deleted: bool = True
    object: Literal["conversation.deleted"] | str = "conversation.deleted"


ConversationDeleted = ConversationDeletedResource


@attrs.frozen(kw_only=True)
class ConversationItemList(BaseObject):
    """The items ``conversations.items.create`` added, as one list."""

    data: list[ResponseItem] = attrs.field(factory=list)
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool = False
    object: Literal["list"] | str = "list"
