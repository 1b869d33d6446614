"""Types of the Conversations API: Conversation and its items."""

from __future__ import annotations

from ..responses.response_item import EasyInputMessage, Message, MessageContent
from .conversation import (
    Conversation,
    ConversationDeleted,
    ConversationDeletedResource,
    ConversationItem,
    ConversationItemList,
)

__all__ = [
    "Conversation",
    "ConversationDeleted",
    "ConversationDeletedResource",
    "ConversationItem",
    "ConversationItemList",
    "EasyInputMessage",
    "Message",
    "MessageContent",
]
