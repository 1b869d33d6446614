"""What a WebSocket connection's ``on_reconnecting`` hook is given and may answer.

``client.realtime.connect(on_reconnecting=...)`` (and the other ``connect`` methods) turn
reconnection on: when the connection closes with a code that allows it
(:func:`is_recoverable_close`), the hook is called before each attempt with a
:class:`ReconnectingEvent` and may return :class:`ReconnectingOverrides` (other query
parameters or headers for the attempt, or ``abort``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

import attrs

from .._retry import close_cause

__all__ = ["ReconnectingEvent", "ReconnectingOverrides", "is_recoverable_close"]


@attrs.frozen(kw_only=True)
class ReconnectingEvent:
    """One reconnection attempt about to be made.

    ``attempt`` counts from 1 up to ``max_attempts`` (the connection's ``max_retries``);
    ``delay`` is the wait before it, in seconds (full jitter, or the server's
    ``retry-after``); ``close_code`` is the code the connection closed with (1006 when it
    dropped); ``extra_query`` and ``extra_headers`` are what the attempt will send.
    """

    attempt: int
    max_attempts: int
    delay: float
    close_code: int
    extra_query: Mapping[str, object]
    extra_headers: Mapping[str, str]


class ReconnectingOverrides(TypedDict, total=False):
    """What an ``on_reconnecting`` hook may return: ``extra_query`` or ``extra_headers`` to
    send from this attempt on (replacing the current ones), or ``abort=True`` to stop
    reconnecting (the connection then fails with WebSocketConnectionClosedError)."""

    extra_query: Mapping[str, Any]
    extra_headers: Mapping[str, str]
    abort: bool


def is_recoverable_close(code: int) -> bool:
    """Whether a connection closed with ``code`` is opened again (1001, 1005, 1006, 1011,
    1012, 1013, 1014, 1015; see ``aio_openai._retry.RECONNECT_CLOSE_CODES`` for why)."""
    return close_cause(code) is not None
