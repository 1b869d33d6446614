"""What the agent-session resources share: the Agents API's base resource (the
``OpenAI-Beta: agents=v1`` header every call carries), and the typed events of a session's
server-sent event streams."""

from __future__ import annotations

from typing import Any, Final, cast

from ....._convert import converter
from ....._streaming import EventStream
from .....types.beta.agent_session_event import AgentSessionEvent
from .....types.unknown_variant import UnknownVariant
from .._base import AgentsResource

__all__ = ["EVENTS", "AgentsResource", "parse_agent_session_event"]


#: The union of the events (typed Any: a union is no ``type``), structured by its tag.
_EVENT: Final[Any] = AgentSessionEvent


def parse_agent_session_event(event: str | None, data: Any) -> AgentSessionEvent:
    """The typed event of a session stream's event name and JSON data: by its ``type`` (else
    the event's name); an unknown type gives an UnknownVariant holding every key."""
    if not isinstance(data, dict):
        return UnknownVariant(model_extra={"type": event or "message", "data": data})
    if not isinstance(data.get("type"), str):
        data = {**data, "type": event or "message"}
    return cast(AgentSessionEvent, converter.structure(data, _EVENT))


#: A session's events. The server closes the stream after the session settles (idle after a
#: turn, failed, or out of budget); a body that ends before any of them was cut.
EVENTS: Final = EventStream(
    parse_agent_session_event,
    frozenset({"agent.session.idle", "agent.session.failed", "agent.session.budget_reached"}),
)
