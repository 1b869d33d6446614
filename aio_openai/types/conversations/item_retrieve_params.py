"""The parameters of ``conversations.items.retrieve``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from ..._types import NotGiven

__all__ = ["ItemRetrieveParams"]


class ItemRetrieveParams(TypedDict, total=False):
    """``include`` asks for extra fields of the item."""

    include: Sequence[str] | NotGiven
