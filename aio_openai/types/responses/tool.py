"""Tools of the Responses API and the tool choice.

``Tool`` is a union tagged on ``type``: ``function`` (flat: ``name``, ``parameters``, ``strict``,
unlike the Chat and Assistants APIs' nested ``function``), ``file_search``, ``web_search``
(and ``web_search_preview``), and :class:`UnknownTool` for any other type (every key kept).
Inputs accept these classes or plain dicts alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

import attrs

from ..._models import BaseObject
from ..beta._unions import register_union

__all__ = [
    "FileSearchTool",
    "FunctionTool",
    "Tool",
    "ToolChoice",
    "ToolChoiceFunction",
    "ToolChoiceParam",
    "ToolChoiceTypes",
    "ToolParam",
    "UnknownTool",
    "WebSearchTool",
]


@attrs.frozen(kw_only=True)
class FunctionTool(BaseObject):
    """A function the model may call: name, JSON-schema parameters, strictness."""

    name: str
    parameters: dict[str, Any] | None = None
    strict: bool | None = None
    description: str | None = None
    type: Literal["function"] = "function"


@attrs.frozen(kw_only=True)
class FileSearchTool(BaseObject):
    """Search the given vector stores."""

    vector_store_ids: list[str] = attrs.field(factory=list)
    max_num_results: int | None = None
    filters: Any = None
    ranking_options: dict[str, Any] | None = None
    type: Literal["file_search"] = "file_search"


@attrs.frozen(kw_only=True)
class WebSearchTool(BaseObject):
    """Search the web (``web_search`` or ``web_search_preview``)."""

    type: Literal["web_search", "web_search_preview"] | str = "web_search"
    search_context_size: Literal["low", "medium", "high"] | str | None = None
    user_location: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class UnknownTool(BaseObject):
    """A tool of a type this package does not know; its other keys are in ``model_extra``."""

    type: str


Tool: TypeAlias = FunctionTool | FileSearchTool | WebSearchTool | UnknownTool
"""A tool of a response, tagged on ``type``."""

ToolParam: TypeAlias = Tool | Mapping[str, Any]
"""A tool as an input: one of the tool classes or a plain dict."""

register_union(
    Tool,
    {
        "function": FunctionTool,
        "file_search": FileSearchTool,
        "web_search": WebSearchTool,
        "web_search_preview": WebSearchTool,
    },
    fallback=UnknownTool,
)


@attrs.frozen(kw_only=True)
class ToolChoiceFunction(BaseObject):
    """The model must call this function."""

    name: str
    type: Literal["function"] = "function"


@attrs.frozen(kw_only=True)
class ToolChoiceTypes(BaseObject):
    """The model must use a built-in tool of this type (other keys in ``model_extra``)."""

    type: str


ToolChoice: TypeAlias = (
    Literal["none", "auto", "required"] | str | ToolChoiceFunction | ToolChoiceTypes
)
"""``"none"``, ``"auto"``, ``"required"``, or a specific tool."""

ToolChoiceParam: TypeAlias = ToolChoice | Mapping[str, Any]

register_union(ToolChoice, {"function": ToolChoiceFunction}, fallback=ToolChoiceTypes)
