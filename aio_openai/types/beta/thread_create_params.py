"""The parameters of ``beta.threads.create``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from ..._types import NotGiven
from .tools import ToolResourcesParam

__all__ = ["ThreadCreateParams"]


class ThreadCreateParams(TypedDict, total=False):
    """A new thread: its first ``messages`` (``[{"role": "user", "content": "..."}]``),
    ``metadata``, and (v2) ``tool_resources``."""

    messages: Iterable[Mapping[str, Any]] | NotGiven
    metadata: Mapping[str, str] | NotGiven | None
    tool_resources: ToolResourcesParam | NotGiven | None
