"""The parameters of ``beta.threads.runs.list``."""

from __future__ import annotations

from typing import Literal, TypedDict

from ...._types import NotGiven

__all__ = ["RunListParams"]


class RunListParams(TypedDict, total=False):
    """A page of runs: ``limit`` of them, ``after``/``before`` a cursor, newest first unless
    ``order="asc"``."""

    after: str | NotGiven
    before: str | NotGiven
    limit: int | NotGiven
    order: Literal["asc", "desc"] | NotGiven
