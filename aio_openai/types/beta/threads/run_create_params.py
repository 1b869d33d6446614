"""The optional parameters of ``runs.create`` and ``threads.create_and_run``, as TypedDicts.

They type the ``**params`` of the overloads that tell a streamed call (``stream=True``, an
AsyncStream of AssistantStreamEvent) from a plain one (a Run); the methods themselves take
the same parameters by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ...._types import NotGiven, RequestOptions
from ..tools import (
    AssistantResponseFormatOptionParam,
    AssistantToolChoiceOptionParam,
    AssistantToolParam,
    ToolResourcesParam,
    TruncationStrategyParam,
)

__all__ = ["RunCreateParams", "ThreadCreateAndRunParams"]


class _RunParams(RequestOptions, total=False):
    instructions: str | NotGiven | None
    max_completion_tokens: int | NotGiven | None
    max_prompt_tokens: int | NotGiven | None
    metadata: Mapping[str, str] | NotGiven | None
    model: str | NotGiven | None
    parallel_tool_calls: bool | NotGiven
    response_format: AssistantResponseFormatOptionParam | NotGiven | None
    temperature: float | NotGiven | None
    tool_choice: AssistantToolChoiceOptionParam | NotGiven | None
    tools: Iterable[AssistantToolParam] | NotGiven | None
    top_p: float | NotGiven | None
    truncation_strategy: TruncationStrategyParam | NotGiven | None


class RunCreateParams(_RunParams, total=False):
    """The optional parameters of ``runs.create``, and the per-call options."""

    include: Sequence[str] | NotGiven
    additional_instructions: str | NotGiven | None
    additional_messages: Iterable[Mapping[str, Any]] | NotGiven | None
    reasoning_effort: str | NotGiven | None


class ThreadCreateAndRunParams(_RunParams, total=False):
    """The optional parameters of ``threads.create_and_run``, and the per-call options."""

    thread: Mapping[str, Any] | NotGiven
    tool_resources: ToolResourcesParam | NotGiven | None
