"""The checkpoints of fine-tuned models: ``/fine_tuning/checkpoints``."""

from __future__ import annotations

from ...._resource import APIResource
from .permissions import Permissions

__all__ = ["Checkpoints", "Permissions"]


class Checkpoints(APIResource):
    """``client.fine_tuning.checkpoints``: ``permissions``."""

    __slots__ = ()

    @property
    def permissions(self) -> Permissions:
        """The projects a checkpoint is shared with: create, list, retrieve, delete."""
        return Permissions(self._client, raw=self._raw)
