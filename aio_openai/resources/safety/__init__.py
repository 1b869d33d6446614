"""Safety: ``/safety``."""

from __future__ import annotations

from ..._resource import APIResource

__all__ = ["Safety"]


class Safety(APIResource):
    """``client.safety``."""

    __slots__ = ()
