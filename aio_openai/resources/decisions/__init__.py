"""The Decisions API: ``/decisions``."""

from __future__ import annotations

from ..._resource import APIResource

__all__ = ["Decisions"]


class Decisions(APIResource):
    """``client.decisions``."""

    __slots__ = ()
