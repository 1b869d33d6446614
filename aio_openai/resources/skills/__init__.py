"""The Skills API: ``/skills``."""

from __future__ import annotations

from ..._resource import APIResource

__all__ = ["Skills"]


class Skills(APIResource):
    """``client.skills``."""

    __slots__ = ()
