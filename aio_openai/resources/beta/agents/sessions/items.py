"""``client.beta.agents.sessions.items``, ``.turns.items``, ``.subagents.items`` and
``.subagents.turns.items``: the items (messages, reasoning, tool calls) of a session, a turn or
a subagent."""

from __future__ import annotations

from typing import Any, Final, Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncConversationCursorPage, AsyncCursorPage, AsyncPaginator
from ....._types import RequestOptions
from .....types.beta.agent_session_item import AgentSessionItem
from .....types.beta.agents.sessions.item_list_params import ItemListParams
from ._base import AgentsResource

__all__ = ["Items", "SubagentItems", "SubagentTurnItems", "TurnItems"]

#: The class of an item: a union (typed Any: a union is no ``type``), parsed by its tag.
_ITEM: Final[Any] = AgentSessionItem


class _ListArgs(ItemListParams, RequestOptions, total=False): ...


class Items(AgentsResource):
    """``client.beta.agents.sessions.items``: list."""

    __slots__ = ()

    @endpoint("GET", "/agents/sessions/{session_id}/items", _ListArgs)
    def list(
        self, session_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[AgentSessionItem, AsyncCursorPage[AgentSessionItem]]:
        """List the items of a session, its turns' input and output in order (newest first
        unless ``order="asc"``): await it for the first page, ``async for`` every item."""
        return self._list(Items.list, _ITEM, params, session_id=session_id)


class TurnItems(AgentsResource):
    """``client.beta.agents.sessions.turns.items``: list."""

    __slots__ = ()

    @endpoint("GET", "/agents/sessions/{session_id}/turns/{turn_id}/items", _ListArgs)
    def list(
        self, turn_id: str, *, session_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[AgentSessionItem, AsyncConversationCursorPage[AgentSessionItem]]:
        """List the items of one turn of a session (AsyncConversationCursorPage pages)."""
        ids = {"session_id": session_id, "turn_id": turn_id}
        return self._pages(TurnItems.list, _ITEM, params, ids, page=AsyncConversationCursorPage)


class SubagentItems(AgentsResource):
    """``client.beta.agents.sessions.subagents.items``: list."""

    __slots__ = ()

    @endpoint("GET", "/agents/sessions/{session_id}/subagents/{subagent_id}/items", _ListArgs)
    def list(
        self, subagent_id: str, *, session_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[AgentSessionItem, AsyncCursorPage[AgentSessionItem]]:
        """List the items of a subagent of a session."""
        ids = {"session_id": session_id, "subagent_id": subagent_id}
        return self._list(SubagentItems.list, _ITEM, params, **ids)


class SubagentTurnItems(AgentsResource):
    """``client.beta.agents.sessions.subagents.turns.items``: list."""

    __slots__ = ()

    @endpoint(
        "GET",
        "/agents/sessions/{session_id}/subagents/{subagent_id}/turns/{turn_id}/items",
        _ListArgs,
    )
    def list(
        self, turn_id: str, *, session_id: str, subagent_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[AgentSessionItem, AsyncCursorPage[AgentSessionItem]]:
        """List the items of one turn of a subagent."""
        ids = {"session_id": session_id, "subagent_id": subagent_id, "turn_id": turn_id}
        return self._list(SubagentTurnItems.list, _ITEM, params, **ids)
