"""What a ``thread.run.step.delta`` event carries: a RunStepDeltaEvent, the pieces of a run
step (its tool calls) as the run makes them."""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs

from ....._models import BaseObject
from ..._unions import register_union
from .run_step import CodeInterpreterOutput

__all__ = [
    "CodeInterpreterDelta",
    "CodeInterpreterToolCallDelta",
    "FileSearchToolCallDelta",
    "FunctionToolCallDelta",
    "FunctionToolCallDeltaFunction",
    "RunStepDelta",
    "RunStepDeltaEvent",
    "RunStepDeltaMessageCreation",
    "RunStepDeltaMessageDelta",
    "RunStepDeltaStepDetails",
    "ToolCallDelta",
    "ToolCallDeltaObject",
    "UnknownStepDetailsDelta",
    "UnknownToolCallDelta",
]


@attrs.frozen(kw_only=True)
class FunctionToolCallDeltaFunction(BaseObject):
    """A piece of a function call: name, arguments, output."""

    name: str | None = None
    arguments: str | None = None
    output: str | None = None


@attrs.frozen(kw_only=True)
class FunctionToolCallDelta(BaseObject):
    """A piece of the function call at ``index``."""

    index: int = 0
    type: Literal["function"] = "function"
    id: str | None = None
    function: FunctionToolCallDeltaFunction | None = None


@attrs.frozen(kw_only=True)
class CodeInterpreterDelta(BaseObject):
    """A piece of a code interpreter call: code, outputs."""

    input: str | None = None
    outputs: list[CodeInterpreterOutput] | None = None


@attrs.frozen(kw_only=True)
class CodeInterpreterToolCallDelta(BaseObject):
    """A piece of the code interpreter call at ``index``."""

    index: int = 0
    type: Literal["code_interpreter"] = "code_interpreter"
    id: str | None = None
    code_interpreter: CodeInterpreterDelta | None = None


@attrs.frozen(kw_only=True)
class FileSearchToolCallDelta(BaseObject):
    """A piece of the file search call at ``index``."""

    index: int = 0
    type: Literal["file_search"] = "file_search"
    id: str | None = None
    file_search: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class UnknownToolCallDelta(BaseObject):
    """A tool call piece of a type this package does not know (keys in ``model_extra``)."""

    type: str
    index: int | None = None
    id: str | None = None


ToolCallDelta: TypeAlias = (
    CodeInterpreterToolCallDelta
    | FileSearchToolCallDelta
    | FunctionToolCallDelta
    | UnknownToolCallDelta
)
"""A piece of a tool call, tagged on ``type``."""

register_union(
    ToolCallDelta,
    {
        "code_interpreter": CodeInterpreterToolCallDelta,
        "file_search": FileSearchToolCallDelta,
        "function": FunctionToolCallDelta,
    },
    fallback=UnknownToolCallDelta,
)


@attrs.frozen(kw_only=True)
class RunStepDeltaMessageCreation(BaseObject):
    """The message a step is creating."""

    message_id: str | None = None


@attrs.frozen(kw_only=True)
class RunStepDeltaMessageDelta(BaseObject):
    """A piece of a message creation step."""

    type: Literal["message_creation"] = "message_creation"
    message_creation: RunStepDeltaMessageCreation | None = None


@attrs.frozen(kw_only=True)
class ToolCallDeltaObject(BaseObject):
    """A piece of a tool calls step."""

    type: Literal["tool_calls"] = "tool_calls"
    tool_calls: list[ToolCallDelta] | None = None


@attrs.frozen(kw_only=True)
class UnknownStepDetailsDelta(BaseObject):
    """Step details of a type this package does not know (keys in ``model_extra``)."""

    type: str


RunStepDeltaStepDetails: TypeAlias = (
    RunStepDeltaMessageDelta | ToolCallDeltaObject | UnknownStepDetailsDelta
)
"""A piece of what a step did, tagged on ``type``."""

register_union(
    RunStepDeltaStepDetails,
    {"message_creation": RunStepDeltaMessageDelta, "tool_calls": ToolCallDeltaObject},
    fallback=UnknownStepDetailsDelta,
)


@attrs.frozen(kw_only=True)
class RunStepDelta(BaseObject):
    """What changed in a run step."""

    step_details: RunStepDeltaStepDetails | None = None


@attrs.frozen(kw_only=True)
class RunStepDeltaEvent(BaseObject):
    """The data of ``thread.run.step.delta``: the step's id and what changed."""

    id: str
    delta: RunStepDelta = attrs.field(factory=RunStepDelta)
    object: Literal["thread.run.step.delta"] | str = "thread.run.step.delta"
