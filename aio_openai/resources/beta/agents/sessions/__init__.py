"""Agent sessions (beta): ``/agents/sessions``, and their events, items, turns, traces,
artifacts and subagents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, Unpack, cast, overload

from ....._endpoints import endpoint, takes
from ....._pagination import AsyncCursorPage, AsyncPaginator
from ....._streaming import AsyncStream
from ....._types import NOT_GIVEN, NotGiven, RequestOptions
from .....types.beta.agent_session import AgentSession
from .....types.beta.agent_session_deleted import AgentSessionDeleted
from .....types.beta.agent_session_input_message_param import AgentSessionInputMessageParam
from .....types.beta.agents.session_create_params import SessionCreateParamsBase
from .....types.beta.agents.session_list_params import SessionListParams
from .....types.beta.agents.session_update_params import SessionUpdateParams
from ._base import EVENTS, AgentsBetaResource
from .artifacts import Artifacts, AsyncAgentResultArtifacts
from .events import Events
from .items import Items
from .stream import (
    AgentTurnResult,
    AsyncAgentSessionEventStream,
    AsyncAgentSessionStream,
    OutputT,
    refuse_local_handlers,
)
from .subagents import Subagents
from .traces import Traces
from .turns import Turns

__all__ = [
    "AgentTurnResult",
    "AsyncAgentResultArtifacts",
    "AsyncAgentSessionEventStream",
    "AsyncAgentSessionStream",
    "Sessions",
]


class _CreateArgs(SessionCreateParamsBase, RequestOptions, total=False): ...


class _UpdateArgs(SessionUpdateParams, RequestOptions, total=False): ...


class _ListArgs(SessionListParams, RequestOptions, total=False): ...


def _wire_agent(params: Mapping[str, Any]) -> Mapping[str, Any]:
    """The SDK spells ``agent.compaction``'s ``async`` key ``async_``: sent as ``async``."""
    agent = params.get("agent")
    compaction = agent.get("compaction") if isinstance(agent, Mapping) else None
    if not isinstance(compaction, Mapping) or "async_" not in compaction:
        return params
    renamed = {("async" if k == "async_" else k): v for k, v in compaction.items()}
    return {**params, "agent": {**cast(Mapping[str, Any], agent), "compaction": renamed}}


class Sessions(AgentsBetaResource):
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
        tool_handlers: Mapping[str, Any] | None = None,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> AgentSession: ...

    @overload
    async def create(
        self,
        *,
        output_type: type[OutputT] | None = None,
        tool_handlers: Mapping[str, Any] | None = None,
        stream: Literal[True],
        **params: Unpack[_CreateArgs],
    ) -> AsyncAgentSessionEventStream[OutputT]: ...

    @endpoint("POST", "/agents/sessions", _CreateArgs, metered=True)
    async def create(
        self,
        *,
        output_type: type[OutputT] | None = None,
        tool_handlers: Mapping[str, Any] | None = None,
        stream: bool | NotGiven = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> AgentSession | AsyncAgentSessionEventStream[OutputT]:
        """Start a session of an agent (``agent_id``, and/or an inline ``agent`` with its
        ``model``) in an ``environment`` (required), with an optional first ``input``.

        Returns the AgentSession; with ``stream=True``, an AsyncAgentSessionEventStream of
        its events (``agent.session.created``, the first turn's, the session settling).
        ``output_type`` and ``tool_handlers`` (the SDK's local helpers) are not supported
        yet: NotImplementedError. Raises BadRequestError for a bad parameter (``param``
        names it).
        """
        refuse_local_handlers(output_type=output_type, tool_handlers=tool_handlers)
        wire = _wire_agent(params)
        if stream:
            events = await self._stream(Sessions.create, EVENTS, wire)
            if type(events) is AsyncStream:  # a plain resource's: the SDK's class name
                events.__class__ = AsyncAgentSessionEventStream
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
        tool_handlers: Mapping[str, Any] | None = None,
        on_tool_error: Any | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncAgentSessionStream[OutputT]:
        """One turn of an idle session: ``async with sessions.stream(id, input="...") as
        stream``, then ``async for event in stream`` (up to the session settling) or
        ``await stream.get_final_result()`` (an AgentTurnResult: the turn, its final messages,
        ``output_text``). ValueError for empty input, or (when entered) a session that is not
        idle; ``output_type``, ``tool_handlers`` and ``on_tool_error`` are not supported yet
        (NotImplementedError)."""
        refuse_local_handlers(
            output_type=output_type, tool_handlers=tool_handlers, on_tool_error=on_tool_error
        )
        return AsyncAgentSessionStream(self, session_id, input, options)
