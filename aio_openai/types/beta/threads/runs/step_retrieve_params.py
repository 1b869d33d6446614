"""The parameters of ``beta.threads.runs.steps.retrieve``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from ....._types import NotGiven

__all__ = ["StepRetrieveParams"]


class StepRetrieveParams(TypedDict, total=False):
    """``include`` asks for extra fields of the step (file search results' content)."""

    include: Sequence[str] | NotGiven
