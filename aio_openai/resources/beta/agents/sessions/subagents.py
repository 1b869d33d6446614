"""``client.beta.agents.sessions.subagents``: the agents a session's agent started."""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncCursorPage, AsyncPaginator
from ....._types import RequestOptions
from .....types.beta.agents.sessions.subagent_list_params import SubagentListParams
from .....types.beta.subagent import Subagent
from ._base import AgentsResource
from .items import SubagentItems
from .turns import SubagentTurns

__all__ = ["Subagents"]


class _ListArgs(SubagentListParams, RequestOptions, total=False): ...


class Subagents(AgentsResource):
    """``client.beta.agents.sessions.subagents``: retrieve, list, items, turns."""

    __slots__ = ()

    @property
    def items(self) -> SubagentItems:
        """The items of a subagent."""
        return SubagentItems(self._client, raw=self._raw)

    @property
    def turns(self) -> SubagentTurns:
        """The turns of a subagent."""
        return SubagentTurns(self._client, raw=self._raw)

    @endpoint("GET", "/agents/sessions/{session_id}/subagents/{subagent_id}")
    async def retrieve(
        self, subagent_id: str, *, session_id: str, **options: Unpack[RequestOptions]
    ) -> Subagent:
        """Retrieve a subagent of a session. Raises NotFoundError for an unknown id."""
        ids = {"session_id": session_id, "subagent_id": subagent_id}
        return await self._call(Subagents.retrieve, Subagent, options, **ids)

    @endpoint("GET", "/agents/sessions/{session_id}/subagents", _ListArgs)
    def list(
        self, session_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[Subagent, AsyncCursorPage[Subagent]]:
        """List the subagents of a session."""
        return self._list(Subagents.list, Subagent, params, session_id=session_id)
