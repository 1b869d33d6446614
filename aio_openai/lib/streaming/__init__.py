"""The stream helpers, with the official SDK's names (``openai.lib.streaming``).

:mod:`.chat` serves ``chat.completions.stream()`` and :mod:`.responses` ``responses.stream()``;
``AsyncAssistantEventHandler`` is what ``client.beta.threads.runs.stream(...)`` and its
siblings yield (subclass it for callbacks); the names load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...types._lazy import lazy_exports

if TYPE_CHECKING:
    from ._assistants import (
        AsyncAssistantEventHandler,
        AsyncAssistantEventHandlerT,
        AsyncAssistantStreamManager,
    )

__all__ = [
    "AsyncAssistantEventHandler",
    "AsyncAssistantEventHandlerT",
    "AsyncAssistantStreamManager",
]

__getattr__, __dir__ = lazy_exports(__name__, {"._assistants": tuple(__all__)})
