"""The parameters of ``beta.assistants.list``."""

from __future__ import annotations

from typing import Literal, TypedDict

from ..._types import NotGiven

__all__ = ["AssistantListParams"]


class AssistantListParams(TypedDict, total=False):
    """A page of assistants: ``limit`` of them, ``after``/``before`` a cursor, newest first unless
    ``order="asc"``."""

    after: str | NotGiven
    before: str | NotGiven
    limit: int | NotGiven
    order: Literal["asc", "desc"] | NotGiven
