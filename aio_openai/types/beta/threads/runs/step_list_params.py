"""The parameters of ``beta.threads.runs.steps.list``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypedDict

from ....._types import NotGiven

__all__ = ["StepListParams"]


class StepListParams(TypedDict, total=False):
    """A page of run steps: ``limit`` of them, ``after``/``before`` a cursor, newest first
    unless ``order="asc"``; ``include`` asks for extra fields."""

    after: str | NotGiven
    before: str | NotGiven
    include: Sequence[str] | NotGiven
    limit: int | NotGiven
    order: Literal["asc", "desc"] | NotGiven
