"""The parameters of ``beta.assistants.update``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TypedDict

from ..._types import NotGiven
from .tools import AssistantResponseFormatOptionParam, AssistantToolParam, ToolResourcesParam

__all__ = ["AssistantUpdateParams"]


class AssistantUpdateParams(TypedDict, total=False):
    """The settings of an assistant to change (the others are left as they are)."""

    description: str | NotGiven | None
    instructions: str | NotGiven | None
    metadata: Mapping[str, str] | NotGiven | None
    model: str | NotGiven
    name: str | NotGiven | None
    reasoning_effort: str | NotGiven | None
    response_format: AssistantResponseFormatOptionParam | NotGiven | None
    temperature: float | NotGiven | None
    tool_resources: ToolResourcesParam | NotGiven | None
    tools: Iterable[AssistantToolParam] | NotGiven
    top_p: float | NotGiven | None
    file_ids: Sequence[str] | NotGiven
