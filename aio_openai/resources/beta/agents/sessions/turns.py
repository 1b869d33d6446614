"""``client.beta.agents.sessions.turns`` and ``.subagents.turns``: the turns a session (or one
of its subagents) ran, one per input it was given."""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncCursorPage, AsyncPaginator
from ....._types import RequestOptions
from .....types.beta.agents.sessions.turn import Turn
from .....types.beta.agents.sessions.turn_list_params import TurnListParams
from ._base import AgentsResource
from .items import SubagentTurnItems, TurnItems

__all__ = ["SubagentTurns", "Turns"]


class _ListArgs(TurnListParams, RequestOptions, total=False): ...


class Turns(AgentsResource):
    """``client.beta.agents.sessions.turns``: retrieve, list, items."""

    __slots__ = ()

    @property
    def items(self) -> TurnItems:
        """The items of a turn."""
        return TurnItems(self._client, raw=self._raw)

    @endpoint("GET", "/agents/sessions/{session_id}/turns/{turn_id}")
    async def retrieve(
        self, turn_id: str, *, session_id: str, **options: Unpack[RequestOptions]
    ) -> Turn:
        """Retrieve a turn of a session (its status, usage, error). Raises NotFoundError for
        an unknown session or turn."""
        return await self._call(
            Turns.retrieve, Turn, options, session_id=session_id, turn_id=turn_id
        )

    @endpoint("GET", "/agents/sessions/{session_id}/turns", _ListArgs)
    def list(
        self, session_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[Turn, AsyncCursorPage[Turn]]:
        """List the turns of a session (newest first unless ``order="asc"``)."""
        return self._list(Turns.list, Turn, params, session_id=session_id)


class SubagentTurns(AgentsResource):
    """``client.beta.agents.sessions.subagents.turns``: retrieve, list, items."""

    __slots__ = ()

    @property
    def items(self) -> SubagentTurnItems:
        """The items of a subagent's turn."""
        return SubagentTurnItems(self._client, raw=self._raw)

    @endpoint("GET", "/agents/sessions/{session_id}/subagents/{subagent_id}/turns/{turn_id}")
    async def retrieve(
        self,
        turn_id: str,
        *,
        session_id: str,
        subagent_id: str,
        **options: Unpack[RequestOptions],
    ) -> Turn:
        """Retrieve a turn of a subagent. Raises NotFoundError for an unknown id."""
        ids = {"session_id": session_id, "subagent_id": subagent_id, "turn_id": turn_id}
        return await self._call(SubagentTurns.retrieve, Turn, options, **ids)

    @endpoint("GET", "/agents/sessions/{session_id}/subagents/{subagent_id}/turns", _ListArgs)
    def list(
        self, subagent_id: str, *, session_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[Turn, AsyncCursorPage[Turn]]:
        """List the turns of a subagent."""
        ids = {"session_id": session_id, "subagent_id": subagent_id}
        return self._list(SubagentTurns.list, Turn, params, **ids)
