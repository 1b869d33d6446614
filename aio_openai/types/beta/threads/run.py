"""The Run object: status, required action, errors and usage (v1 and v2)."""

from __future__ import annotations

from typing import Any, Final, Literal, TypeAlias

import attrs

from ...._models import BaseObject
from ..tools import (
    AssistantResponseFormatOption,
    AssistantTool,
    AssistantToolChoiceOption,
    ToolResources,
    TruncationStrategy,
)

__all__ = [
    "TERMINAL_RUN_STATUSES",
    "RequiredAction",
    "RequiredActionFunction",
    "RequiredActionFunctionToolCall",
    "RequiredActionSubmitToolOutputs",
    "Run",
    "RunIncompleteDetails",
    "RunLastError",
    "RunStatus",
    "RunUsage",
]

RunStatus: TypeAlias = (
    Literal[
        "queued",
        "in_progress",
        "requires_action",
        "cancelling",
        "cancelled",
        "failed",
        "completed",
        "incomplete",
        "expired",
    ]
    | str
)
"""A run's status (``incomplete`` is v2 only)."""

#: The statuses a run stops in (or waits for the caller in, ``requires_action``).
TERMINAL_RUN_STATUSES: Final = frozenset(
    {"requires_action", "cancelled", "completed", "failed", "expired", "incomplete"}
)


@attrs.frozen(kw_only=True)
class RequiredActionFunction(BaseObject):
    """The function the model wants called, with its JSON arguments."""

    name: str
    arguments: str = ""


@attrs.frozen(kw_only=True)
class RequiredActionFunctionToolCall(BaseObject):
    """A function call awaiting its output."""

    id: str
    function: RequiredActionFunction
    type: Literal["function"] | str = "function"


@attrs.frozen(kw_only=True)
class RequiredActionSubmitToolOutputs(BaseObject):
    """The tool calls whose outputs the run waits for."""

    tool_calls: list[RequiredActionFunctionToolCall] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class RequiredAction(BaseObject):
    """What a ``requires_action`` run waits for."""

    submit_tool_outputs: RequiredActionSubmitToolOutputs
    type: Literal["submit_tool_outputs"] | str = "submit_tool_outputs"


@attrs.frozen(kw_only=True)
class RunLastError(BaseObject):
    """Why a run failed."""

    code: Literal["server_error", "rate_limit_exceeded", "invalid_prompt"] | str | None = None
    message: str | None = None


@attrs.frozen(kw_only=True)
class RunIncompleteDetails(BaseObject):
    """Why a run ended incomplete."""

    reason: Literal["max_completion_tokens", "max_prompt_tokens"] | str | None = None


@attrs.frozen(kw_only=True)
class RunUsage(BaseObject):
    """Tokens a finished run used."""

    completion_tokens: int
    prompt_tokens: int
    total_tokens: int


@attrs.frozen(kw_only=True)
class Run(BaseObject):
    """A run of an assistant on a thread (``/v1/threads/{thread_id}/runs/{run_id}``).

    v1 servers send ``file_ids``; v2 servers send ``parallel_tool_calls`` and may report
    status ``incomplete``.
    """

    id: str
    object: Literal["thread.run"] | str = "thread.run"
    created_at: int | None = None
    thread_id: str | None = None
    assistant_id: str | None = None
    status: RunStatus | None = None
    required_action: RequiredAction | None = None
    last_error: RunLastError | None = None
    expires_at: int | None = None
    started_at: int | None = None
    cancelled_at: int | None = None
    failed_at: int | None = None
    completed_at: int | None = None
    incomplete_details: RunIncompleteDetails | None = None
    model: str | None = None
    instructions: str | None = None
    tools: list[AssistantTool] = attrs.field(factory=list)
    tool_resources: ToolResources | None = None
    file_ids: list[str] | None = None
    metadata: dict[str, Any] | None = None
    usage: RunUsage | None = None
    temperature: float | None = None
    top_p: float | None = None
    max_prompt_tokens: int | None = None
    max_completion_tokens: int | None = None
    truncation_strategy: TruncationStrategy | None = None
    tool_choice: AssistantToolChoiceOption | None = None
    parallel_tool_calls: bool | None = None
    response_format: AssistantResponseFormatOption | None = None
    reasoning_effort: str | None = None
