"""The Chat Completions API: ``/chat/completions``."""

from __future__ import annotations

from ..._resource import APIResource
from .completions import Completions

__all__ = ["Chat", "Completions"]


class Chat(APIResource):
    """``client.chat``: ``completions``."""

    __slots__ = ()

    @property
    def completions(self) -> Completions:
        """Chat completions: ``create`` (``stream=True`` for an AsyncStream of chunks)."""
        return Completions(self._client, raw=self._raw)
