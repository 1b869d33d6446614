"""The Run Steps API: ``/threads/{thread_id}/runs/{run_id}/steps``."""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncCursorPage, AsyncPaginator
from ....._resource import AssistantsResource
from ....._types import RequestOptions
from .....types.beta.threads.runs.run_step import RunStep
from .....types.beta.threads.runs.step_list_params import StepListParams
from .....types.beta.threads.runs.step_retrieve_params import StepRetrieveParams

__all__ = ["Steps"]


class _RetrieveArgs(StepRetrieveParams, RequestOptions, total=False): ...


class _ListArgs(StepListParams, RequestOptions, total=False): ...


class Steps(AssistantsResource):
    """``client.beta.threads.runs.steps``: retrieve, list."""

    __slots__ = ()

    @endpoint("GET", "/threads/{thread_id}/runs/{run_id}/steps/{step_id}", _RetrieveArgs)
    async def retrieve(
        self, step_id: str, *, thread_id: str, run_id: str, **params: Unpack[_RetrieveArgs]
    ) -> RunStep:
        """Retrieve a run step. Raises NotFoundError when there is no such step."""
        return await self._call(
            Steps.retrieve, RunStep, params, thread_id=thread_id, run_id=run_id, step_id=step_id
        )

    @endpoint("GET", "/threads/{thread_id}/runs/{run_id}/steps", _ListArgs)
    def list(
        self, run_id: str, *, thread_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[RunStep, AsyncCursorPage[RunStep]]:
        """List the steps of a run, newest first unless ``order="asc"``.

        ``await`` it for the first AsyncCursorPage, or ``async for`` every step lazily.
        """
        return self._list(Steps.list, RunStep, params, thread_id=thread_id, run_id=run_id)
