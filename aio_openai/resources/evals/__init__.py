"""The Evals API: ``/evals``."""

from __future__ import annotations

from ..._resource import APIResource

__all__ = ["Evals"]


class Evals(APIResource):
    """``client.evals``."""

    __slots__ = ()
