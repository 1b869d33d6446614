"""The parameters of ``conversations.items.create``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Required, TypedDict

from ..._types import NotGiven
from ..responses.response_item import ResponseInputItemParam

__all__ = ["ItemCreateParams"]


class ItemCreateParams(TypedDict, total=False):
    """Up to 20 ``items`` to add (messages as dicts or EasyInputMessage, function call
    outputs, ...); ``include`` asks for extra fields of the items returned."""

    items: Required[Iterable[ResponseInputItemParam]]
    include: Sequence[str] | NotGiven
