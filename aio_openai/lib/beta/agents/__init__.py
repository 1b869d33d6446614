"""The SDK's helpers of the Agents API (``openai.lib.beta.agents``): what
``environments.files.prepare``, ``prepare_directory`` and ``upload`` return and raise; a
session turn's result and its errors, the stream of ``sessions.create(..., stream=True)``,
and what ``on_tool_error`` is told."""

from __future__ import annotations

from ._files import (
    AgentFilePreparationError,
    AgentFileStagingError,
    PreparedAgentFiles,
    StagedAgentFile,
)
from ._result import AgentOutputParseError, AgentTurnResult, AgentTurnResultError
from ._stream import AsyncAgentSessionEventStream
from ._tool_handlers import AgentToolError

__all__ = [
    "AgentFilePreparationError",
    "AgentFileStagingError",
    "AgentOutputParseError",
    "AgentToolError",
    "AgentTurnResult",
    "AgentTurnResultError",
    "AsyncAgentSessionEventStream",
    "PreparedAgentFiles",
    "StagedAgentFile",
]
