"""The Fine-tuning API: ``/fine_tuning``: training jobs (``jobs``, their events and
checkpoints), who may use a checkpoint (``checkpoints.permissions``) and the graders of
reinforcement fine-tuning (``alpha.graders``)."""

from __future__ import annotations

from ..._resource import APIResource
from .alpha import Alpha
from .checkpoints import Checkpoints
from .jobs import Jobs

__all__ = ["Alpha", "Checkpoints", "FineTuning", "Jobs"]


class FineTuning(APIResource):
    """``client.fine_tuning``: ``jobs``, ``checkpoints`` and ``alpha``."""

    __slots__ = ()

    @property
    def jobs(self) -> Jobs:
        """Fine-tuning jobs: create, retrieve, list, cancel, pause, resume, their events
        and ``checkpoints``."""
        return Jobs(self._client, raw=self._raw)

    @property
    def checkpoints(self) -> Checkpoints:
        """The checkpoints of fine-tuned models: their ``permissions``."""
        return Checkpoints(self._client, raw=self._raw)

    @property
    def alpha(self) -> Alpha:
        """Features in alpha: ``graders``."""
        return Alpha(self._client, raw=self._raw)
