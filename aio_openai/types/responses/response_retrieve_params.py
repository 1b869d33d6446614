"""The parameters of ``responses.retrieve`` (besides ``stream``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from ..._types import NotGiven

__all__ = ["ResponseRetrieveParams"]


class ResponseRetrieveParams(TypedDict, total=False):
    """``include`` asks for extra output fields; a stream of a background response starts
    after the event numbered ``starting_after``."""

    include: Sequence[str] | NotGiven
    include_obfuscation: bool | NotGiven
    starting_after: int | NotGiven
