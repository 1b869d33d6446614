"""The fake Realtime and Live REST calls: client secrets (ephemeral keys), the calls of the
Realtime API and the sessions of the Live API (WebRTC and SIP), and Live recordings."""

from aio_openai.testing._realtime_calls.routes import add_realtime_calls_routes
from aio_openai.testing._realtime_calls.state import RealtimeCallsState

__all__ = ["RealtimeCallsState", "add_realtime_calls_routes"]
