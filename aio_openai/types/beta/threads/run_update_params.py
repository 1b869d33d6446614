"""The parameters of ``beta.threads.runs.update``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

from ...._types import NotGiven

__all__ = ["RunUpdateParams"]


class RunUpdateParams(TypedDict, total=False):
    """A run's ``metadata``, changed."""

    metadata: Mapping[str, str] | NotGiven | None
