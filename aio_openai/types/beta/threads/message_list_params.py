"""The parameters of ``beta.threads.messages.list``."""

from __future__ import annotations

from typing import Literal, TypedDict

from ...._types import NotGiven

__all__ = ["MessageListParams"]


class MessageListParams(TypedDict, total=False):
    """A page of messages: ``limit`` of them, ``after``/``before`` a cursor, newest first unless
    ``order="asc"``; ``run_id`` keeps those a run created."""

    after: str | NotGiven
    before: str | NotGiven
    limit: int | NotGiven
    order: Literal["asc", "desc"] | NotGiven
    run_id: str | NotGiven
