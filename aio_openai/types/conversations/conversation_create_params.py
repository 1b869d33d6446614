"""The parameters of ``conversations.create``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypedDict

from ..._types import NotGiven
from ..responses.response_item import ResponseInputItemParam

__all__ = ["ConversationCreateParams"]


class ConversationCreateParams(TypedDict, total=False):
    """A new conversation: up to 20 initial ``items``, and ``metadata``."""

    items: Iterable[ResponseInputItemParam] | NotGiven | None
    metadata: Mapping[str, str] | NotGiven | None
