"""Fine-tuning jobs: ``/fine_tuning/jobs``.

A job trains ``model`` on the ``training_file`` (a JSONL file uploaded with purpose
``fine-tune``) and moves from ``validating_files`` through ``queued`` and ``running`` to
``succeeded`` (its ``fine_tuned_model`` then usable like any model), or ``failed`` (its
``error`` says why) or ``cancelled``; a running job can be paused and resumed.
"""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator
from ...._resource import APIResource
from ...._types import RequestOptions
from ....types.fine_tuning.fine_tuning_job import FineTuningJob
from ....types.fine_tuning.fine_tuning_job_event import FineTuningJobEvent
from ....types.fine_tuning.job_create_params import JobCreateParams
from ....types.fine_tuning.job_list_events_params import JobListEventsParams
from ....types.fine_tuning.job_list_params import JobListParams
from .checkpoints import Checkpoints

__all__ = ["Checkpoints", "Jobs"]


class _CreateArgs(JobCreateParams, RequestOptions, total=False): ...


class _ListArgs(JobListParams, RequestOptions, total=False): ...


class _ListEventsArgs(JobListEventsParams, RequestOptions, total=False): ...


class Jobs(APIResource):
    """``client.fine_tuning.jobs``: create, retrieve, list, cancel, list_events, pause,
    resume, and ``checkpoints``."""

    __slots__ = ()

    @property
    def checkpoints(self) -> Checkpoints:
        """The checkpoints a job saved: list."""
        return Checkpoints(self._client, raw=self._raw)

    @endpoint("POST", "/fine_tuning/jobs", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> FineTuningJob:
        """Start a job fine-tuning ``model`` on ``training_file`` (and ``validation_file``),
        with the ``method`` (``supervised``, ``dpo``, ``reinforcement``) and its
        hyperparameters, a ``suffix`` for the model's name, ``seed``, ``metadata`` and
        ``integrations``. Returns the job (``validating_files``). Raises BadRequestError
        for an unknown file or one not uploaded for fine-tuning."""
        return await self._call(Jobs.create, FineTuningJob, params)

    @endpoint("GET", "/fine_tuning/jobs/{fine_tuning_job_id}")
    async def retrieve(
        self, fine_tuning_job_id: str, **options: Unpack[RequestOptions]
    ) -> FineTuningJob:
        """Retrieve a job: its status, ``fine_tuned_model`` once it succeeded, ``error``
        once it failed. Raises NotFoundError when there is no such job."""
        return await self._call(
            Jobs.retrieve, FineTuningJob, options, fine_tuning_job_id=fine_tuning_job_id
        )

    @endpoint("GET", "/fine_tuning/jobs", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[FineTuningJob, AsyncCursorPage[FineTuningJob]]:
        """The organization's jobs, newest first, those with the given ``metadata`` only:
        ``await`` it for the first page, ``async for`` every job (pages of ``limit``, from
        ``after``)."""
        return self._list(Jobs.list, FineTuningJob, params)

    @endpoint("POST", "/fine_tuning/jobs/{fine_tuning_job_id}/cancel")
    async def cancel(
        self, fine_tuning_job_id: str, **options: Unpack[RequestOptions]
    ) -> FineTuningJob:
        """Cancel a job that has not ended; returns it ``cancelled``. Raises NotFoundError
        for an unknown job, BadRequestError for one that ended."""
        return await self._call(
            Jobs.cancel, FineTuningJob, options, fine_tuning_job_id=fine_tuning_job_id
        )

    @endpoint("GET", "/fine_tuning/jobs/{fine_tuning_job_id}/events", _ListEventsArgs)
    def list_events(
        self, fine_tuning_job_id: str, **params: Unpack[_ListEventsArgs]
    ) -> AsyncPaginator[FineTuningJobEvent, AsyncCursorPage[FineTuningJobEvent]]:
        """A job's events (status changes, training metrics), newest first: ``await`` it for
        the first page, ``async for`` every event. Raises NotFoundError for an unknown job."""
        return self._list(
            Jobs.list_events, FineTuningJobEvent, params, fine_tuning_job_id=fine_tuning_job_id
        )

    @endpoint("POST", "/fine_tuning/jobs/{fine_tuning_job_id}/pause")
    async def pause(
        self, fine_tuning_job_id: str, **options: Unpack[RequestOptions]
    ) -> FineTuningJob:
        """Pause a running job (``paused``) until :meth:`resume`. Raises NotFoundError for
        an unknown job, BadRequestError for one that is not running."""
        return await self._call(
            Jobs.pause, FineTuningJob, options, fine_tuning_job_id=fine_tuning_job_id
        )

    @endpoint("POST", "/fine_tuning/jobs/{fine_tuning_job_id}/resume")
    async def resume(
        self, fine_tuning_job_id: str, **options: Unpack[RequestOptions]
    ) -> FineTuningJob:
        """Resume a paused job (``running`` again). Raises NotFoundError for an unknown job,
        BadRequestError for one that is not paused."""
        return await self._call(
            Jobs.resume, FineTuningJob, options, fine_tuning_job_id=fine_tuning_job_id
        )
