"""The SDK's helpers of the Agents API (``openai.lib.beta.agents``): what
``environments.files.prepare``, ``prepare_directory`` and ``upload`` return and raise."""

from __future__ import annotations

from ._files import (
    AgentFilePreparationError,
    AgentFileStagingError,
    PreparedAgentFiles,
    StagedAgentFile,
)

__all__ = [
    "AgentFilePreparationError",
    "AgentFileStagingError",
    "PreparedAgentFiles",
    "StagedAgentFile",
]
