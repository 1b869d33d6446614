"""The checkpoints of a fine-tuning job: ``/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator
from ...._resource import APIResource
from ...._types import RequestOptions
from ....types.fine_tuning.jobs.checkpoint_list_params import CheckpointListParams
from ....types.fine_tuning.jobs.fine_tuning_job_checkpoint import FineTuningJobCheckpoint

__all__ = ["Checkpoints"]


class _ListArgs(CheckpointListParams, RequestOptions, total=False): ...


class Checkpoints(APIResource):
    """``client.fine_tuning.jobs.checkpoints``: list."""

    __slots__ = ()

    @endpoint("GET", "/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints", _ListArgs)
    def list(
        self, fine_tuning_job_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[FineTuningJobCheckpoint, AsyncCursorPage[FineTuningJobCheckpoint]]:
        """The checkpoints a job saved (a model at a step, with its metrics), newest first:
        ``await`` it for the first page, ``async for`` every one. Raises NotFoundError for an
        unknown job."""
        return self._list(
            Checkpoints.list,
            FineTuningJobCheckpoint,
            params,
            fine_tuning_job_id=fine_tuning_job_id,
        )
