"""The parameters of ``conversations.update``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Required, TypedDict

__all__ = ["ConversationUpdateParams"]


class ConversationUpdateParams(TypedDict, total=False):
    """A conversation's ``metadata``, replaced."""

    metadata: Required[Mapping[str, str] | None]
