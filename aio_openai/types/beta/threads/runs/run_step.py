"""The RunStep object: message creation and tool call steps (v1 and v2)."""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs

from ....._models import BaseObject
from ..._unions import register_union
from ...tools import FileSearchRankingOptions

__all__ = [
    "CodeInterpreter",
    "CodeInterpreterOutput",
    "CodeInterpreterOutputImage",
    "CodeInterpreterOutputImageImage",
    "CodeInterpreterOutputLogs",
    "CodeInterpreterToolCall",
    "FileSearchResult",
    "FileSearchResultContent",
    "FileSearchToolCall",
    "FileSearchToolCallDetails",
    "FunctionToolCall",
    "FunctionToolCallFunction",
    "MessageCreation",
    "MessageCreationStepDetails",
    "RetrievalToolCall",
    "RunStep",
    "RunStepLastError",
    "RunStepUsage",
    "StepDetails",
    "ToolCall",
    "ToolCallsStepDetails",
    "UnknownCodeInterpreterOutput",
    "UnknownStepDetails",
    "UnknownToolCall",
]


# -- code interpreter -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CodeInterpreterOutputLogs(BaseObject):
    """Text the code printed."""

    logs: str
    type: Literal["logs"] = "logs"


@attrs.frozen(kw_only=True)
class CodeInterpreterOutputImageImage(BaseObject):
    """The file of an image the code made."""

    file_id: str


@attrs.frozen(kw_only=True)
class CodeInterpreterOutputImage(BaseObject):
    """An image the code made."""

    image: CodeInterpreterOutputImageImage
    type: Literal["image"] = "image"


@attrs.frozen(kw_only=True)
class UnknownCodeInterpreterOutput(BaseObject):
    """An output of a type this package does not know (keys in ``model_extra``)."""

    type: str


CodeInterpreterOutput: TypeAlias = (
    CodeInterpreterOutputLogs | CodeInterpreterOutputImage | UnknownCodeInterpreterOutput
)

register_union(
    CodeInterpreterOutput,
    {"logs": CodeInterpreterOutputLogs, "image": CodeInterpreterOutputImage},
    fallback=UnknownCodeInterpreterOutput,
)


@attrs.frozen(kw_only=True)
class CodeInterpreter(BaseObject):
    """The code run and what it output."""

    input: str = ""
    outputs: list[CodeInterpreterOutput] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class CodeInterpreterToolCall(BaseObject):
    """A call of the code interpreter."""

    id: str
    code_interpreter: CodeInterpreter
    type: Literal["code_interpreter"] = "code_interpreter"


# -- file search (v2) and retrieval (v1) ------------------------------------------------------


@attrs.frozen(kw_only=True)
class FileSearchResultContent(BaseObject):
    """A piece of a file search result."""

    text: str | None = None
    type: Literal["text"] | str | None = None


@attrs.frozen(kw_only=True)
class FileSearchResult(BaseObject):
    """A file search hit."""

    file_id: str
    file_name: str
    score: float
    content: list[FileSearchResultContent] | None = None


@attrs.frozen(kw_only=True)
class FileSearchToolCallDetails(BaseObject):
    """The ranking options and results of a file search."""

    ranking_options: FileSearchRankingOptions | None = None
    results: list[FileSearchResult] | None = None


@attrs.frozen(kw_only=True)
class FileSearchToolCall(BaseObject):
    """A call of file search (v2)."""

    id: str
    file_search: FileSearchToolCallDetails = attrs.field(factory=FileSearchToolCallDetails)
    type: Literal["file_search"] = "file_search"


@attrs.frozen(kw_only=True)
class RetrievalToolCall(BaseObject):
    """A call of retrieval (v1)."""

    id: str
    retrieval: dict[str, Any] = attrs.field(factory=dict)
    type: Literal["retrieval"] = "retrieval"


# -- functions --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FunctionToolCallFunction(BaseObject):
    """The function called, its arguments and, once submitted, its output."""

    name: str
    arguments: str = ""
    output: str | None = None


@attrs.frozen(kw_only=True)
class FunctionToolCall(BaseObject):
    """A call of a function tool."""

    id: str
    function: FunctionToolCallFunction
    type: Literal["function"] = "function"


@attrs.frozen(kw_only=True)
class UnknownToolCall(BaseObject):
    """A tool call of a type this package does not know (keys in ``model_extra``)."""

    type: str
    id: str | None = None


ToolCall: TypeAlias = (
    CodeInterpreterToolCall
    | FileSearchToolCall
    | FunctionToolCall
    | RetrievalToolCall
    | UnknownToolCall
)
"""A tool call of a run step, tagged on ``type``."""

register_union(
    ToolCall,
    {
        "code_interpreter": CodeInterpreterToolCall,
        "file_search": FileSearchToolCall,
        "function": FunctionToolCall,
        "retrieval": RetrievalToolCall,
    },
    fallback=UnknownToolCall,
)


# -- step details -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class MessageCreation(BaseObject):
    """The message a step created."""

    message_id: str


@attrs.frozen(kw_only=True)
class MessageCreationStepDetails(BaseObject):
    """A step that created a message."""

    message_creation: MessageCreation
    type: Literal["message_creation"] = "message_creation"


@attrs.frozen(kw_only=True)
class ToolCallsStepDetails(BaseObject):
    """A step that called tools."""

    tool_calls: list[ToolCall] = attrs.field(factory=list)
    type: Literal["tool_calls"] = "tool_calls"


@attrs.frozen(kw_only=True)
class UnknownStepDetails(BaseObject):
    """Step details of a type this package does not know (keys in ``model_extra``)."""

    type: str


StepDetails: TypeAlias = MessageCreationStepDetails | ToolCallsStepDetails | UnknownStepDetails
"""What a step did, tagged on ``type``."""

register_union(
    StepDetails,
    {"message_creation": MessageCreationStepDetails, "tool_calls": ToolCallsStepDetails},
    fallback=UnknownStepDetails,
)


# -- the step ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RunStepLastError(BaseObject):
    """Why a step failed."""

    code: Literal["server_error", "rate_limit_exceeded"] | str | None = None
    message: str | None = None


@attrs.frozen(kw_only=True)
class RunStepUsage(BaseObject):
    """Tokens a finished step used."""

    completion_tokens: int
    prompt_tokens: int
    total_tokens: int


@attrs.frozen(kw_only=True)
class RunStep(BaseObject):
    """A step of a run (``/v1/threads/{thread_id}/runs/{run_id}/steps/{step_id}``)."""

    id: str
    object: Literal["thread.run.step"] | str = "thread.run.step"
    created_at: int | None = None
    assistant_id: str | None = None
    thread_id: str | None = None
    run_id: str | None = None
    type: Literal["message_creation", "tool_calls"] | str | None = None
    status: Literal["in_progress", "cancelled", "failed", "completed", "expired"] | str | None = (
        None
    )
    step_details: StepDetails | None = None
    last_error: RunStepLastError | None = None
    expired_at: int | None = None
    cancelled_at: int | None = None
    failed_at: int | None = None
    completed_at: int | None = None
    metadata: dict[str, Any] | None = None
    usage: RunStepUsage | None = None
