"""The parameters of ``beta.assistants.create``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Required, TypedDict

from ..._types import NotGiven
from .tools import AssistantResponseFormatOptionParam, AssistantToolParam, ToolResourcesParam

__all__ = ["AssistantCreateParams"]


class AssistantCreateParams(TypedDict, total=False):
    """An assistant's settings: ``tool_resources`` is the v2 way to give it files, ``file_ids``
    the v1 way; tools may be attrs objects (``FunctionTool(...)``) or dicts."""

    model: Required[str]
    description: str | NotGiven | None
    instructions: str | NotGiven | None
    metadata: Mapping[str, str] | NotGiven | None
    name: str | NotGiven | None
    reasoning_effort: str | NotGiven | None
    response_format: AssistantResponseFormatOptionParam | NotGiven | None
    temperature: float | NotGiven | None
    tool_resources: ToolResourcesParam | NotGiven | None
    tools: Iterable[AssistantToolParam] | NotGiven
    top_p: float | NotGiven | None
    file_ids: Sequence[str] | NotGiven
