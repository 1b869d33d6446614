"""The output items of an eval run: ``/evals/{eval_id}/runs/{run_id}/output_items``, one per
item of the run's data source, with its sample and each criterion's result."""

from __future__ import annotations

from typing import Literal, TypedDict, Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator
from ...._resource import APIResource
from ...._types import RequestOptions
from ....types.evals.runs.output_item_list_response import OutputItemListResponse
from ....types.evals.runs.output_item_retrieve_response import OutputItemRetrieveResponse

__all__ = ["OutputItems"]


class _ListQuery(TypedDict, total=False):
    """The query of ``list`` (the SDK's ``OutputItemListParams`` without the path's
    ``eval_id``, which this method names itself, as the SDK's does)."""

    after: str
    limit: int
    order: Literal["asc", "desc"]
    status: Literal["fail", "pass"]


class _ListArgs(_ListQuery, RequestOptions, total=False): ...


class OutputItems(APIResource):
    """``client.evals.runs.output_items``: retrieve, list."""

    __slots__ = ()

    @endpoint("GET", "/evals/{eval_id}/runs/{run_id}/output_items/{output_item_id}")
    async def retrieve(
        self,
        output_item_id: str,
        *,
        eval_id: str,
        run_id: str,
        **options: Unpack[RequestOptions],
    ) -> OutputItemRetrieveResponse:
        """Retrieve an output item of a run. Raises NotFoundError for an unknown eval, run
        or item."""
        return await self._call(
            OutputItems.retrieve,
            OutputItemRetrieveResponse,
            options,
            eval_id=eval_id,
            run_id=run_id,
            output_item_id=output_item_id,
        )

    @endpoint("GET", "/evals/{eval_id}/runs/{run_id}/output_items", _ListArgs)
    def list(
        self, run_id: str, *, eval_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[OutputItemListResponse, AsyncCursorPage[OutputItemListResponse]]:
        """The output items of a run, oldest first (``order="desc"`` for newest first), of
        ``status`` (``pass`` or ``fail``) only if given: ``await`` it for the first page,
        ``async for`` every one."""
        return self._list(
            OutputItems.list, OutputItemListResponse, params, eval_id=eval_id, run_id=run_id
        )
