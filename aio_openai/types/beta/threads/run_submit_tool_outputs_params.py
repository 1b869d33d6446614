"""The parameters of ``beta.threads.runs.submit_tool_outputs``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Required, TypedDict

__all__ = ["RunSubmitToolOutputsParams"]


class RunSubmitToolOutputsParams(TypedDict, total=False):
    """The outputs of the tool calls a ``requires_action`` run waits for:
    ``[{"tool_call_id": ..., "output": ...}, ...]``, one per call."""

    tool_outputs: Required[Iterable[Mapping[str, Any]]]
