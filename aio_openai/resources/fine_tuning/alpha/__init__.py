"""The Fine-tuning API's alpha features: ``/fine_tuning/alpha``."""

from __future__ import annotations

from ...._resource import APIResource
from .graders import Graders

__all__ = ["Alpha", "Graders"]


class Alpha(APIResource):
    """``client.fine_tuning.alpha``: ``graders``."""

    __slots__ = ()

    @property
    def graders(self) -> Graders:
        """The graders of reinforcement fine-tuning: run, validate."""
        return Graders(self._client, raw=self._raw)
