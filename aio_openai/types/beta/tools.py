"""Tools, tool resources, tool choice and response formats of the Assistants API (v1 and v2).

``AssistantTool`` is a union tagged on ``type``: ``code_interpreter``, ``file_search`` (v2),
``retrieval`` (v1), ``function``, and :class:`UnknownTool` for any type this package does not
know yet (every key kept). Inputs accept these classes or plain dicts alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

import attrs

from ..._models import BaseObject
from ._unions import register_union

__all__ = [
    "AssistantResponseFormatOption",
    "AssistantResponseFormatOptionParam",
    "AssistantTool",
    "AssistantToolChoice",
    "AssistantToolChoiceFunction",
    "AssistantToolChoiceOption",
    "AssistantToolChoiceOptionParam",
    "AssistantToolParam",
    "CodeInterpreterTool",
    "FileSearch",
    "FileSearchRankingOptions",
    "FileSearchTool",
    "FunctionDefinition",
    "FunctionTool",
    "ResponseFormatJSONObject",
    "ResponseFormatJSONSchema",
    "ResponseFormatJSONSchemaJSONSchema",
    "ResponseFormatText",
    "RetrievalTool",
    "ToolResources",
    "ToolResourcesCodeInterpreter",
    "ToolResourcesFileSearch",
    "ToolResourcesParam",
    "TruncationStrategy",
    "TruncationStrategyParam",
    "UnknownResponseFormat",
    "UnknownTool",
]


# -- tools ------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CodeInterpreterTool(BaseObject):
    """The code interpreter tool."""

    type: Literal["code_interpreter"] = "code_interpreter"


@attrs.frozen(kw_only=True)
class FileSearchRankingOptions(BaseObject):
    """How file search ranks its results (v2)."""

    score_threshold: float | None = None
    ranker: Literal["auto", "default_2024_08_21"] | str | None = None


@attrs.frozen(kw_only=True)
class FileSearch(BaseObject):
    """Settings of the file search tool (v2)."""

    max_num_results: int | None = None
    ranking_options: FileSearchRankingOptions | None = None


@attrs.frozen(kw_only=True)
class FileSearchTool(BaseObject):
    """The file search tool (v2; replaced ``retrieval``)."""

    type: Literal["file_search"] = "file_search"
    file_search: FileSearch | None = None


@attrs.frozen(kw_only=True)
class RetrievalTool(BaseObject):
    """The retrieval tool (v1; ``file_search`` in v2)."""

    type: Literal["retrieval"] = "retrieval"


@attrs.frozen(kw_only=True)
class FunctionDefinition(BaseObject):
    """A function the model may call: name, description and JSON-schema parameters."""

    name: str
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


@attrs.frozen(kw_only=True)
class FunctionTool(BaseObject):
    """A function tool."""

    function: FunctionDefinition
    type: Literal["function"] = "function"


@attrs.frozen(kw_only=True)
class UnknownTool(BaseObject):
    """A tool of a type this package does not know; its other keys are in ``model_extra``."""

    type: str


AssistantTool: TypeAlias = (
    CodeInterpreterTool | FileSearchTool | FunctionTool | RetrievalTool | UnknownTool
)
"""A tool of an assistant or run, tagged on ``type``."""

AssistantToolParam: TypeAlias = AssistantTool | Mapping[str, Any]
"""A tool as an input: one of the tool classes or a plain dict."""

register_union(
    AssistantTool,
    {
        "code_interpreter": CodeInterpreterTool,
        "file_search": FileSearchTool,
        "function": FunctionTool,
        "retrieval": RetrievalTool,
    },
    fallback=UnknownTool,
)


# -- tool resources (v2) ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ToolResourcesCodeInterpreter(BaseObject):
    """Files made available to the code interpreter."""

    file_ids: list[str] | None = None


@attrs.frozen(kw_only=True)
class ToolResourcesFileSearch(BaseObject):
    """Vector stores made available to file search."""

    vector_store_ids: list[str] | None = None


@attrs.frozen(kw_only=True)
class ToolResources(BaseObject):
    """Resources of an assistant's or thread's tools (v2; v1 used ``file_ids``)."""

    code_interpreter: ToolResourcesCodeInterpreter | None = None
    file_search: ToolResourcesFileSearch | None = None


ToolResourcesParam: TypeAlias = ToolResources | Mapping[str, Any]
"""Tool resources as an input: a :class:`ToolResources` or a plain dict."""


# -- tool choice ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class AssistantToolChoiceFunction(BaseObject):
    """The function a tool choice names."""

    name: str


@attrs.frozen(kw_only=True)
class AssistantToolChoice(BaseObject):
    """A specific tool the model must use."""

    type: Literal["function", "code_interpreter", "file_search", "retrieval"] | str
    function: AssistantToolChoiceFunction | None = None


AssistantToolChoiceOption: TypeAlias = (
    Literal["none", "auto", "required"] | str | AssistantToolChoice
)
"""``"none"``, ``"auto"``, ``"required"`` or a specific tool."""

AssistantToolChoiceOptionParam: TypeAlias = AssistantToolChoiceOption | Mapping[str, Any]

register_union(AssistantToolChoiceOption, {}, fallback=AssistantToolChoice)


# -- response formats -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ResponseFormatText(BaseObject):
    """Plain text output."""

    type: Literal["text"] = "text"


@attrs.frozen(kw_only=True)
class ResponseFormatJSONObject(BaseObject):
    """JSON mode."""

    type: Literal["json_object"] = "json_object"


@attrs.frozen(kw_only=True)
class ResponseFormatJSONSchemaJSONSchema(BaseObject):
    """The JSON schema of structured outputs."""

    name: str
    description: str | None = None
    schema: dict[str, Any] | None = None
    strict: bool | None = None


@attrs.frozen(kw_only=True)
class ResponseFormatJSONSchema(BaseObject):
    """Structured outputs following a JSON schema (v2)."""

    json_schema: ResponseFormatJSONSchemaJSONSchema
    type: Literal["json_schema"] = "json_schema"


@attrs.frozen(kw_only=True)
class UnknownResponseFormat(BaseObject):
    """A response format this package does not know; its other keys are in ``model_extra``."""

    type: str | None = None


AssistantResponseFormatOption: TypeAlias = (
    Literal["auto", "none"]
    | str
    | ResponseFormatText
    | ResponseFormatJSONObject
    | ResponseFormatJSONSchema
    | UnknownResponseFormat
)
"""``"auto"`` (``"none"`` in v1) or a response format object."""

AssistantResponseFormatOptionParam: TypeAlias = AssistantResponseFormatOption | Mapping[str, Any]

register_union(
    AssistantResponseFormatOption,
    {
        "text": ResponseFormatText,
        "json_object": ResponseFormatJSONObject,
        "json_schema": ResponseFormatJSONSchema,
    },
    fallback=UnknownResponseFormat,
)


# -- truncation -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TruncationStrategy(BaseObject):
    """How a thread is truncated before a run."""

    type: Literal["auto", "last_messages"] | str
    last_messages: int | None = None


TruncationStrategyParam: TypeAlias = TruncationStrategy | Mapping[str, Any]
