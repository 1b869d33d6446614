"""The parameters of ``beta.threads.update``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

from ..._types import NotGiven
from .tools import ToolResourcesParam

__all__ = ["ThreadUpdateParams"]


class ThreadUpdateParams(TypedDict, total=False):
    """A thread's ``metadata`` or (v2) ``tool_resources``, changed."""

    metadata: Mapping[str, str] | NotGiven | None
    tool_resources: ToolResourcesParam | NotGiven | None
