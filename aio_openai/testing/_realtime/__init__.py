"""The fake Realtime API: sessions over a WebSocket (``GET /v1/realtime``)."""

from __future__ import annotations

from aio_openai.testing._realtime.routes import add_realtime_routes
from aio_openai.testing._realtime.session import RealtimeSession
from aio_openai.testing._realtime.state import RealtimeState

__all__ = ["RealtimeSession", "RealtimeState", "add_realtime_routes"]
