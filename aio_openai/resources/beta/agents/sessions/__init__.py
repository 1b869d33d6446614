"""Agent sessions (beta): ``/agents/sessions``, and their events, items, turns, traces,
artifacts and subagents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, Unpack, cast, overload

import attrs

from ....._endpoints import endpoint, takes
from ....._pagination import AsyncCursorPage, AsyncPaginator
from ....._schema import strict_schema
from ....._types import NOT_GIVEN, NotGiven, RequestOptions
from .....lib.beta.agents._result import AgentOutputParseError, AgentTurnResultError
from .....lib.beta.agents._stream import session_event_stream
from .....lib.beta.agents._tool_handlers import (
    AgentToolError,
    AsyncToolErrorHandler,
    AsyncToolHandler,
)
from .....types.beta.agent_session import AgentSession
from .....types.beta.agent_session_deleted import AgentSessionDeleted
from .....types.beta.agent_session_input_message_param import AgentSessionInputMessageParam
from .....types.beta.agents.session_create_params import SessionCreateParamsBase
from .....types.beta.agents.session_list_params import SessionListParams
from .....types.beta.agents.session_update_params import SessionUpdateParams
from .._base import compaction_on_wire
from ._base import EVENTS, AgentsResource
from .artifacts import Artifacts, AsyncAgentResultArtifacts
from .events import Events
from .items import Items
from .stream import (
    AgentTurnResult,
    AsyncAgentSessionEventStream,
    AsyncAgentSessionStream,
    OutputT,
    tool_dispatch,
)
from .subagents import Subagents
from .traces import Traces
from .turns import Turns

__all__ = [
    "AgentOutputParseError",
    "AgentToolError",
    "AgentTurnResult",
    "AgentTurnResultError",
    "AsyncAgentResultArtifacts",
    "AsyncAgentSessionEventStream",
    "AsyncAgentSessionStream",
    "Sessions",
]


class _CreateArgs(SessionCreateParamsBase, RequestOptions, total=False): ...


class _UpdateArgs(SessionUpdateParams, RequestOptions, total=False): ...


class _ListArgs(SessionListParams, RequestOptions, total=False): ...


def _wire_agent(params: Mapping[str, Any]) -> Mapping[str, Any]:
    """The inline ``agent``'s compaction ``async_`` key sent as ``async`` (compaction_on_wire)."""
    agent = params.get("agent")
    wired = compaction_on_wire(agent)
    return params if wired is agent else {**params, "agent": wired}


def _with_output_schema(params: Mapping[str, Any], output_type: Any) -> Mapping[str, Any]:
    """The agent asking for JSON of ``output_type``'s strict schema (``agent.text.format``);
    ValueError when the agent names a format already."""
    agent = dict(params.get("agent") or {})
    text = dict(agent.get("text") or {})
    if text.get("format") is not None:
        raise ValueError("pass output_type or agent.text.format, not both")
    text["format"] = {"type": "json_schema", "schema": strict_schema(output_type)}
    return {**params, "agent": {**agent, "text": text}}


class Sessions(AgentsResource):
    """``client.beta.agents.sessions``: create, retrieve, update, list, delete, stream; and
    ``events``, ``items``, ``turns``, ``traces``, ``artifacts``, ``subagents``."""

    __slots__ = ()

    @property
    def events(self) -> Events:
        """Input sent to a session, and its live events."""
        return Events(self._client, raw=self._raw)

    @property
    def items(self) -> Items:
        """The items of a session."""
        return Items(self._client, raw=self._raw)

    @property
    def turns(self) -> Turns:
        """The turns of a session."""
        return Turns(self._client, raw=self._raw)

    @property
    def traces(self) -> Traces:
        """The trace records of a session."""
        return Traces(self._client, raw=self._raw)

    @property
    def artifacts(self) -> Artifacts:
        """The files a session's turns wrote."""
        return Artifacts(self._client, raw=self._raw)

    @property
    def subagents(self) -> Subagents:
        """The subagents of a session."""
        return Subagents(self._client, raw=self._raw)

    @overload
    async def create(
        self,
        *,
        output_type: type[OutputT] | None = None,
        tool_handlers: Mapping[str, AsyncToolHandler] | None = None,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> AgentSession: ...

    @overload
    async def create(
        self,
        *,
        output_type: type[OutputT] | None = None,
        tool_handlers: Mapping[str, AsyncToolHandler] | None = None,
        stream: Literal[True],
        **params: Unpack[_CreateArgs],
    ) -> AsyncAgentSessionEventStream[OutputT]: ...

    @endpoint("POST", "/agents/sessions", _CreateArgs, metered=True)
    async def create(
        self,
        *,
        output_type: type[OutputT] | None = None,
        tool_handlers: Mapping[str, AsyncToolHandler] | None = None,
        stream: bool | NotGiven = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> AgentSession | AsyncAgentSessionEventStream[OutputT]:
        """Start a session of an agent (``agent_id``, and/or an inline ``agent`` with its
        ``model``) in an ``environment`` (required), with an optional first ``input``.

        Returns the AgentSession; with ``stream=True``, an AsyncAgentSessionEventStream of
        its events (``agent.session.created``, the first turn's, the session settling), whose
        ``get_final_result()`` gives the first turn's AgentTurnResult. ``output_type`` (a
        pydantic model, dataclass, attrs class or TypedDict) asks the agent for JSON of its
        strict schema (``agent.text.format``; ValueError when the agent names a format too)
        and makes the result's ``output_parsed``; ``tool_handlers`` (with ``stream=True``
        only, else ValueError) answer the first turn's function calls by name as the stream
        is read, as ``sessions.stream``'s do. Raises BadRequestError for a bad parameter
        (``param`` names it), NotFoundError for an unknown ``agent_id``.
        """
        if tool_handlers is not None and stream is not True:
            raise ValueError("tool_handlers requires stream=True")
        wire = _wire_agent(
            params if output_type is None else _with_output_schema(params, output_type)
        )
        if stream:
            tools = tool_dispatch(self, tool_handlers, None, params) if tool_handlers else None
            kind = attrs.evolve(EVENTS, stream_class=session_event_stream(output_type, tools))
            events = await self._stream(Sessions.create, kind, wire)
            return cast(AsyncAgentSessionEventStream[OutputT], events)
        return await self._call(Sessions.create, AgentSession, wire, stream=stream)

    @endpoint("GET", "/agents/sessions/{session_id}")
    async def retrieve(self, session_id: str, **options: Unpack[RequestOptions]) -> AgentSession:
        """Retrieve a session (its status, agent, usage). NotFoundError for an unknown id."""
        return await self._call(Sessions.retrieve, AgentSession, options, session_id=session_id)

    @endpoint("POST", "/agents/sessions/{session_id}", _UpdateArgs)
    async def update(self, session_id: str, **params: Unpack[_UpdateArgs]) -> AgentSession:
        """Change a session's agent settings, metadata, spend control, vaults; returns it."""
        return await self._call(Sessions.update, AgentSession, params, session_id=session_id)

    @endpoint("GET", "/agents/sessions", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[AgentSession, AsyncCursorPage[AgentSession]]:
        """List sessions (``agent_id`` and ``metadata`` filter them), newest first unless
        ``order="asc"``: await it for the first page, ``async for`` every session."""
        return self._list(Sessions.list, AgentSession, params)

    @endpoint("DELETE", "/agents/sessions/{session_id}")
    async def delete(
        self, session_id: str, **options: Unpack[RequestOptions]
    ) -> AgentSessionDeleted:
        """Delete a session. NotFoundError for an unknown id."""
        return await self._call(
            Sessions.delete, AgentSessionDeleted, options, session_id=session_id
        )

    @takes(RequestOptions)
    def stream(
        self,
        session_id: str,
        *,
        input: str | Iterable[AgentSessionInputMessageParam],
        output_type: type[OutputT] | None = None,
        tool_handlers: Mapping[str, AsyncToolHandler] | None = None,
        on_tool_error: AsyncToolErrorHandler | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncAgentSessionStream[OutputT]:
        """One turn of an idle session: ``async with sessions.stream(id, input="...") as
        stream``, then ``async for event in stream`` (up to the session settling) or
        ``await stream.get_final_result()`` (an AgentTurnResult: the turn, its final messages,
        ``output_text``; with ``output_type``, ``output_parsed``). ``tool_handlers`` answer the
        turn's function calls by name (the call's arguments dict in; text, a JSON object or
        content parts out, or an awaitable of it), each result sent back as input; a handler
        that raises sends a failure without its text and is reported to ``on_tool_error``
        (an AgentToolError). ValueError for empty input, or (when entered) a session that is
        not idle; AgentOutputParseError when the final text does not make an
        ``output_type``."""
        return AsyncAgentSessionStream(
            self,
            session_id,
            input,
            options,
            output_type=output_type,
            tool_handlers=tool_handlers,
            on_tool_error=on_tool_error,
        )
