"""``client.beta.agents.sessions.events``: input sent to a session, and its live events."""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._streaming import AsyncStream
from ....._types import NOT_GIVEN, RequestOptions
from .....types.beta.agent_session_event import AgentSessionEvent
from .....types.beta.agents.sessions.event_create_params import EventCreateParams
from .....types.beta.agents.sessions.event_stream_params import EventStreamParams
from ._base import EVENTS, AgentsResource

__all__ = ["Events"]


class _CreateArgs(EventCreateParams, RequestOptions, total=False): ...


class _StreamArgs(EventStreamParams, RequestOptions, total=False): ...


class Events(AgentsResource):
    """``client.beta.agents.sessions.events``: create, stream."""

    __slots__ = ()

    @endpoint("POST", "/agents/sessions/{session_id}/events", _CreateArgs)
    async def create(self, session_id: str, **params: Unpack[_CreateArgs]) -> None:
        """Submit input events to a session (``{"type": "agent.session.input.message",
        "input": [...]}``, tool results, approvals, a cancel); the turn they start is seen
        on ``stream()`` and in ``turns.list()``. ``idempotency_key`` is sent as the
        ``Idempotency-Key`` header. Returns None; NotFoundError for an unknown session,
        BadRequestError for a bad event (``param`` names it)."""
        return await self._call(Events.create, type(None), params, session_id=session_id)

    @endpoint("GET", "/agents/sessions/{session_id}/events", _StreamArgs)
    async def stream(
        self, session_id: str, **params: Unpack[_StreamArgs]
    ) -> AsyncStream[AgentSessionEvent]:
        """Subscribe to a session's events: an AsyncStream of AgentSessionEvent (the session's
        state first, then each event as it happens), which the server ends once the session
        settles after a turn (``agent.session.idle``, ``.failed``, ``.budget_reached``).
        Unknown event types come as UnknownVariant. Raises NotFoundError for an unknown
        session."""
        return await self._stream(
            Events.stream, EVENTS, params, session_id=session_id, stream=NOT_GIVEN
        )
