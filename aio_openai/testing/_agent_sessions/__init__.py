"""Agent sessions of the fake server (``/v1/agents/sessions``): the Agents API's sessions and
what their turns leave behind.

Reached as ``fake.state.agent_sessions`` (an :class:`AgentSessionsState`). A session is created
``idle`` for any well-formed agent id (or an inline agent with a model); each input message
runs one turn of the fake model at once: the user's message and the reply are items, the turn
is recorded, a trace record is written, and an input asking for a "file" makes an artifact
(``answer.md``, the reply) while one asking for a "subagent" starts a subagent with a turn of
its own. Subscribers (``GET .../events``) get the session's state, then every event as it
happens, and the stream ends once the session settles after a turn.
:meth:`AgentSessionsState.hold_input` keeps an input for the next subscriber (its turn runs as
that stream opens), and ``reply`` sets what the fake model answers.

Modules: :mod:`.state` (sessions, turns, the event hub), :mod:`.checks` (OpenAI's 400s),
:mod:`.routes`.
"""

from __future__ import annotations

from aio_openai.testing._agent_sessions.routes import add_agent_sessions_routes
from aio_openai.testing._agent_sessions.state import AgentSessionsState

__all__ = ["AgentSessionsState", "add_agent_sessions_routes"]
