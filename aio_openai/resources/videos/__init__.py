"""The Videos API: ``/videos``."""

from __future__ import annotations

from ..._resource import APIResource

__all__ = ["Videos"]


class Videos(APIResource):
    """``client.videos``."""

    __slots__ = ()
