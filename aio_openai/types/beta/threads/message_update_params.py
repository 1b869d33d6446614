"""The parameters of ``beta.threads.messages.update``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

from ...._types import NotGiven

__all__ = ["MessageUpdateParams"]


class MessageUpdateParams(TypedDict, total=False):
    """A message's ``metadata``, changed."""

    metadata: Mapping[str, str] | NotGiven | None
