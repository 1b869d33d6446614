"""The Thread object and the answer to deleting one."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from ..._models import BaseObject
from .tools import ToolResources

__all__ = ["Thread", "ThreadDeleted"]


@attrs.frozen(kw_only=True)
class Thread(BaseObject):
    """A conversation thread (``/v1/threads/{thread_id}``); ``tool_resources`` is v2 only."""

    id: str
    object: Literal["thread"] | str = "thread"
    created_at: int | None = None
    metadata: dict[str, Any] | None = None
    tool_resources: ToolResources | None = None


@attrs.frozen(kw_only=True)
class ThreadDeleted(BaseObject):
    """The answer to deleting a thread."""

    id: str
    deleted: bool
    object: Literal["thread.deleted"] | str = "thread.deleted"
