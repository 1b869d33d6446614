"""Agent sessions (beta): ``/agents/sessions``."""

from __future__ import annotations

from ....._resource import APIResource

__all__ = ["Sessions"]


class Sessions(APIResource):
    """``client.beta.agents.sessions``."""

    __slots__ = ()
