"""The parameters of ``conversations.items.list``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypedDict

from ..._types import NotGiven

__all__ = ["ItemListParams"]


class ItemListParams(TypedDict, total=False):
    """A page of items: ``limit`` of them after the cursor ``after``, newest first unless
    ``order="asc"``; ``include`` asks for extra fields."""

    after: str | NotGiven
    include: Sequence[str] | NotGiven
    limit: int | NotGiven
    order: Literal["asc", "desc"] | NotGiven
