"""The ``websocket_connection_options`` of the ``connect`` methods, as the SDK names them.

aiohttp speaks the WebSocket protocol here, so the options map onto it:

- ``max_size``: the largest message received, in bytes; a larger one raises
  ResponseTooLargeError and closes the connection (code 1009). Not given (or None), the
  client's ``max_response_bytes`` caps messages as it caps bodies.
- ``compression``: ``"deflate"`` to offer permessage-deflate, None (the default) for none.
- ``subprotocols``: offered in ``Sec-WebSocket-Protocol``.
- ``extensions``: not supported (aiohttp negotiates permessage-deflate only); a non-empty
  value raises ValueError.
- ``max_queue``, ``write_limit``: accepted for code written for the SDK; aiohttp keeps its
  own flow control (its reader stops reading the socket while its buffer is full), so they
  change nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias, TypedDict

__all__ = [
    "SyncWebSocketConnectionOptions",
    "WebSocketConnectionOptions",
    "WebsocketConnectionOptions",
]


class SyncWebSocketConnectionOptions(TypedDict, total=False):
    """The options common to the SDK's synchronous and asynchronous connections."""

    extensions: Sequence[Any] | None
    subprotocols: Sequence[str] | None
    compression: str | None
    max_size: int | None
    max_queue: int | tuple[int | None, int | None] | None


class WebSocketConnectionOptions(SyncWebSocketConnectionOptions, total=False):
    """The options of an asynchronous connection (see the module docstring)."""

    write_limit: int | tuple[int, int | None]


#: The SDK's former name.
WebsocketConnectionOptions: TypeAlias = WebSocketConnectionOptions
