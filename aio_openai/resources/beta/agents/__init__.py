"""The Agents API (beta): ``/agents``."""

from __future__ import annotations

from ...._resource import APIResource
from .sessions import Sessions

__all__ = ["Agents", "Sessions"]


class Agents(APIResource):
    """``client.beta.agents``."""

    __slots__ = ()

    @property
    def sessions(self) -> Sessions:
        """Agent sessions."""
        return Sessions(self._client, raw=self._raw)
