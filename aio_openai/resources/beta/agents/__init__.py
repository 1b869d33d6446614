"""The Agents API (beta): ``/agents``, and beneath it ``automations``, ``vaults``,
``environments`` and ``sessions``. Every call sends ``OpenAI-Beta: agents=v1``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator
from ...._types import RequestOptions
from ....types.beta.agent import Agent
from ....types.beta.agent_create_params import AgentCreateParams
from ....types.beta.agent_deleted import AgentDeleted
from ....types.beta.agent_list_params import AgentListParams
from ....types.beta.agent_update_params import AgentUpdateParams
from ._base import AgentsResource, compaction_on_wire
from .automations import Automations, Invocations
from .environments import Environments, Files, Templates
from .sessions import Sessions
from .vaults import Credentials, Vaults

__all__ = [
    "Agents",
    "Automations",
    "Credentials",
    "Environments",
    "Files",
    "Invocations",
    "Sessions",
    "Templates",
    "Vaults",
]


class _CreateArgs(AgentCreateParams, RequestOptions, total=False): ...


class _UpdateArgs(AgentUpdateParams, RequestOptions, total=False): ...


class _ListArgs(AgentListParams, RequestOptions, total=False): ...


class Agents(AgentsResource):
    """``client.beta.agents``: create, retrieve, update, list, delete, and ``sessions``,
    ``automations``, ``vaults``, ``environments``."""

    __slots__ = ()

    @property
    def sessions(self) -> Sessions:
        """Agent sessions."""
        return Sessions(self._client, raw=self._raw)

    @property
    def automations(self) -> Automations:
        """Automations: agent sessions started on a schedule or once at a time."""
        return Automations(self._client, raw=self._raw)

    @property
    def vaults(self) -> Vaults:
        """Vaults of credentials the agents' environments use."""
        return Vaults(self._client, raw=self._raw)

    @property
    def environments(self) -> Environments:
        """Hosted environments, their files and their templates."""
        return Environments(self._client, raw=self._raw)

    @endpoint("POST", "/agents", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> Agent:
        """Create an agent of ``model`` with its ``instructions``, ``tools``, ``reasoning``,
        ``text`` and other settings; returns it. Raises BadRequestError for a bad one."""
        return await self._call(Agents.create, Agent, compaction_on_wire(params))

    @endpoint("GET", "/agents/{agent_id}")
    async def retrieve(self, agent_id: str, **options: Unpack[RequestOptions]) -> Agent:
        """Retrieve an agent. Raises NotFoundError when there is no such agent."""
        return await self._call(Agents.retrieve, Agent, options, agent_id=agent_id)

    @endpoint("POST", "/agents/{agent_id}", _UpdateArgs)
    async def update(self, agent_id: str, **params: Unpack[_UpdateArgs]) -> Agent:
        """Change the given settings of an agent (null resets one) and return it. Raises
        NotFoundError for an unknown agent."""
        return await self._call(Agents.update, Agent, compaction_on_wire(params), agent_id=agent_id)

    @endpoint("GET", "/agents", _ListArgs)
    def list(self, **params: Unpack[_ListArgs]) -> AsyncPaginator[Agent, AsyncCursorPage[Agent]]:
        """The agents, newest first (``order="asc"`` for oldest first): ``await`` it for the
        first page, ``async for`` every agent."""
        return self._list(Agents.list, Agent, params)

    @endpoint("DELETE", "/agents/{agent_id}")
    async def delete(self, agent_id: str, **options: Unpack[RequestOptions]) -> AgentDeleted:
        """Delete an agent. Raises NotFoundError for an unknown one."""
        return await self._call(Agents.delete, AgentDeleted, options, agent_id=agent_id)
