"""ChatKit (beta): ``/chatkit``."""

from __future__ import annotations

from ...._resource import APIResource

__all__ = ["ChatKit"]


class ChatKit(APIResource):
    """``client.beta.chatkit``."""

    __slots__ = ()
