"""What every fake model shares: the token estimate, the default reply, deterministic call ids.

Token counts follow the documented estimate (characters / 4, at least 1). Tool-call ids are
derived from the call (function name, arguments, index), so the same request gets the same
ids, as a test wants.
"""

from __future__ import annotations

import hashlib
from typing import Final

__all__ = ["DEFAULT_REPLY", "call_id", "tokens"]

#: The reply of the Assistants and Responses models when there is no user text to echo.
DEFAULT_REPLY: Final = "How can I help you today?"


def tokens(text: str) -> int:
    """The documented estimate: characters / 4, at least 1."""
    return max(1, (len(text) + 3) // 4)


def call_id(name: str, arguments: str, index: int) -> str:
    """The id of the ``index``-th tool call, ``call_<24 hex>``, derived from the call."""
    digest = hashlib.sha256(f"{name}\0{arguments}\0{index}".encode()).hexdigest()
    return f"call_{digest[:24]}"
