"""The beta APIs: ``/assistants`` and ``/threads`` (the Assistants API), and the beta
WebSocket protocols (``realtime``, ``responses``).

OpenAI retired the Assistants API on its own service on 2026-08-26 in favour of the Responses
API; these resources stay for servers that still speak it. Every call sends
``OpenAI-Beta: assistants=v2`` (or the client's ``assistants_version``).
"""

from __future__ import annotations

from ..._resource import APIResource
from .assistants import Assistants
from .realtime import Realtime
from .responses import Responses
from .threads import Threads

__all__ = ["Assistants", "Beta", "Realtime", "Responses", "Threads"]


class Beta(APIResource):
    """``client.beta``: ``assistants``, ``threads``, ``realtime``, ``responses``."""

    __slots__ = ()

    @property
    def assistants(self) -> Assistants:
        """The Assistants API: create, retrieve, update, list, delete."""
        return Assistants(self._client, raw=self._raw)

    @property
    def threads(self) -> Threads:
        """The Threads API, with messages, runs and run steps beneath."""
        return Threads(self._client, raw=self._raw)

    @property
    def realtime(self) -> Realtime:
        """The beta Realtime protocol: ``connect``."""
        return Realtime(self._client, raw=self._raw)

    @property
    def responses(self) -> Responses:
        """The beta Responses API over a WebSocket: ``connect``."""
        return Responses(self._client, raw=self._raw)
