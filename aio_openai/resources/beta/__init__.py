"""The beta APIs: ``/assistants`` and ``/threads`` (the Assistants API), and the beta
WebSocket protocols (``realtime``, ``responses``).

OpenAI retired the Assistants API on its own service on 2026-08-26 in favour of the Responses
API; these resources stay for servers that still speak it. Every call sends
``OpenAI-Beta: assistants=v2`` (or the client's ``assistants_version``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._resource import APIResource
from .agents import Agents
from .assistants import Assistants
from .chatkit import ChatKit
from .realtime import Realtime
from .responses import Responses
from .threads import Threads

if TYPE_CHECKING:
    from ..chat import Chat

__all__ = ["Agents", "Assistants", "Beta", "ChatKit", "Realtime", "Responses", "Threads"]


class Beta(APIResource):
    """``client.beta``: ``assistants``, ``threads``, ``realtime``, ``responses``, ``chat``,
    ``agents``, ``chatkit``."""

    __slots__ = ()

    @property
    def chat(self) -> Chat:
        """``client.chat`` under its older name, as the SDK keeps it: code written for
        ``client.beta.chat.completions.parse(...)`` runs unchanged."""
        from ..chat import Chat

        return Chat(self._client, raw=self._raw)

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

    @property
    def agents(self) -> Agents:
        """The Agents API (beta)."""
        return Agents(self._client, raw=self._raw)

    @property
    def chatkit(self) -> ChatKit:
        """ChatKit (beta): ``sessions`` and ``threads``."""
        return ChatKit(self._client, raw=self._raw)
