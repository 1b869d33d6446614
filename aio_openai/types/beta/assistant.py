"""The Assistant object (v1 and v2 shapes) and the answer to deleting one."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from ..._models import BaseObject
from .tools import AssistantResponseFormatOption, AssistantTool, ToolResources

__all__ = ["Assistant", "AssistantDeleted"]


@attrs.frozen(kw_only=True)
class Assistant(BaseObject):
    """An assistant (``/v1/assistants/{assistant_id}``).

    v2 servers send ``tool_resources``; v1 servers send ``file_ids`` instead.
    """

    id: str
    object: Literal["assistant"] | str = "assistant"
    created_at: int | None = None
    name: str | None = None
    description: str | None = None
    model: str | None = None
    instructions: str | None = None
    tools: list[AssistantTool] = attrs.field(factory=list)
    metadata: dict[str, Any] | None = None
    tool_resources: ToolResources | None = None
    file_ids: list[str] | None = None
    temperature: float | None = None
    top_p: float | None = None
    response_format: AssistantResponseFormatOption | None = None
    reasoning_effort: str | None = None


@attrs.frozen(kw_only=True)
class AssistantDeleted(BaseObject):
    """The answer to deleting an assistant."""

    id: str
    deleted: bool
    object: Literal["assistant.deleted"] | str = "assistant.deleted"
