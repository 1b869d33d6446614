"""The runs of an eval: ``/evals/{eval_id}/runs``, and their ``output_items``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator
from ...._resource import APIResource
from ...._types import RequestOptions
from ....types.evals.run_cancel_response import RunCancelResponse
from ....types.evals.run_create_params import RunCreateParams
from ....types.evals.run_create_response import RunCreateResponse
from ....types.evals.run_delete_response import RunDeleteResponse
from ....types.evals.run_list_params import RunListParams
from ....types.evals.run_list_response import RunListResponse
from ....types.evals.run_retrieve_response import RunRetrieveResponse
from .output_items import OutputItems

__all__ = ["OutputItems", "Runs"]


class _CreateArgs(RunCreateParams, RequestOptions, total=False): ...


class _ListArgs(RunListParams, RequestOptions, total=False): ...


class Runs(APIResource):
    """``client.evals.runs``: create, retrieve, list, cancel, delete, and ``output_items``."""

    __slots__ = ()

    @property
    def output_items(self) -> OutputItems:
        """The output items of a run: retrieve, list."""
        return OutputItems(self._client, raw=self._raw)

    @endpoint("POST", "/evals/{eval_id}/runs", _CreateArgs)
    async def create(self, eval_id: str, **params: Unpack[_CreateArgs]) -> RunCreateResponse:
        """Start a run of an eval over ``data_source`` (``jsonl`` items, or items sampled
        from a model: ``completions``, ``responses``), with a ``name`` and ``metadata``.
        Raises NotFoundError for an unknown eval, BadRequestError for a bad data source."""
        return await self._call(Runs.create, RunCreateResponse, params, eval_id=eval_id)

    @endpoint("GET", "/evals/{eval_id}/runs/{run_id}")
    async def retrieve(
        self, run_id: str, *, eval_id: str, **options: Unpack[RequestOptions]
    ) -> RunRetrieveResponse:
        """Retrieve a run (its status, result counts and per-criterion results). Raises
        NotFoundError for an unknown eval or run."""
        return await self._call(
            Runs.retrieve, RunRetrieveResponse, options, eval_id=eval_id, run_id=run_id
        )

    @endpoint("GET", "/evals/{eval_id}/runs", _ListArgs)
    def list(
        self, eval_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[RunListResponse, AsyncCursorPage[RunListResponse]]:
        """The runs of an eval, oldest first (``order="desc"`` for newest first), of
        ``status`` only if given: ``await`` it for the first page, ``async for`` every one."""
        return self._list(Runs.list, RunListResponse, params, eval_id=eval_id)

    @endpoint("POST", "/evals/{eval_id}/runs/{run_id}")
    async def cancel(
        self, run_id: str, *, eval_id: str, **options: Unpack[RequestOptions]
    ) -> RunCancelResponse:
        """Cancel a queued or running run; return it. Raises NotFoundError for an unknown
        eval or run."""
        return await self._call(
            Runs.cancel, RunCancelResponse, options, eval_id=eval_id, run_id=run_id
        )

    @endpoint("DELETE", "/evals/{eval_id}/runs/{run_id}")
    async def delete(
        self, run_id: str, *, eval_id: str, **options: Unpack[RequestOptions]
    ) -> RunDeleteResponse:
        """Delete a run and its output items. Raises NotFoundError for an unknown eval or
        run."""
        return await self._call(
            Runs.delete, RunDeleteResponse, options, eval_id=eval_id, run_id=run_id
        )
