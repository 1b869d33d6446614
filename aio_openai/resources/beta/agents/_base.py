"""What every resource of the Agents API shares: the ``OpenAI-Beta: agents=v1`` header, and
the ``async`` key of compaction settings, which request types spell ``async_``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...._resource import APIResource

__all__ = ["AgentsResource", "compaction_on_wire"]


class AgentsResource(APIResource):
    """A resource of the Agents API: every call carries ``OpenAI-Beta: agents=v1`` (a call's
    ``extra_headers`` can override it)."""

    __slots__ = ()

    def _endpoint_headers(self) -> Mapping[str, str]:
        return {"OpenAI-Beta": "agents=v1"}


def compaction_on_wire(agent: Any) -> Any:
    """``agent`` (a mapping of agent settings) with its ``compaction`` settings' ``async_``
    key written as the API names it, ``async`` (a Python keyword, so the types say
    ``async_``, as the SDK's do); anything else is returned as it is."""
    if not isinstance(agent, Mapping):
        return agent
    compaction = agent.get("compaction")
    if not isinstance(compaction, Mapping) or "async_" not in compaction:
        return agent
    renamed = {("async" if k == "async_" else k): v for k, v in compaction.items()}
    return {**agent, "compaction": renamed}
