"""The Fine-tuning API: ``/fine_tuning``."""

from __future__ import annotations

from ..._resource import APIResource

__all__ = ["FineTuning"]


class FineTuning(APIResource):
    """``client.fine_tuning``."""

    __slots__ = ()
