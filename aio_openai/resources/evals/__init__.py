"""The Evals API: ``/evals``, evaluations (a data source's shape and the testing criteria that
grade it), their ``runs`` and each run's ``output_items``."""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.eval_create_params import EvalCreateParams
from ...types.eval_create_response import EvalCreateResponse
from ...types.eval_delete_response import EvalDeleteResponse
from ...types.eval_list_params import EvalListParams
from ...types.eval_list_response import EvalListResponse
from ...types.eval_retrieve_response import EvalRetrieveResponse
from ...types.eval_update_params import EvalUpdateParams
from ...types.eval_update_response import EvalUpdateResponse
from .runs import OutputItems, Runs

__all__ = ["Evals", "OutputItems", "Runs"]


class _CreateArgs(EvalCreateParams, RequestOptions, total=False): ...


class _UpdateArgs(EvalUpdateParams, RequestOptions, total=False): ...


class _ListArgs(EvalListParams, RequestOptions, total=False): ...


class Evals(APIResource):
    """``client.evals``: create, retrieve, update, list, delete, and ``runs``."""

    __slots__ = ()

    @property
    def runs(self) -> Runs:
        """The runs of an eval: create, retrieve, list, cancel, delete, ``output_items``."""
        return Runs(self._client, raw=self._raw)

    @endpoint("POST", "/evals", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> EvalCreateResponse:
        """Create an eval: the shape of the items its runs bring (``data_source_config``)
        and the ``testing_criteria`` that grade them, with a ``name`` and ``metadata``.
        Raises BadRequestError for a bad configuration or criterion."""
        return await self._call(Evals.create, EvalCreateResponse, params)

    @endpoint("GET", "/evals/{eval_id}")
    async def retrieve(
        self, eval_id: str, **options: Unpack[RequestOptions]
    ) -> EvalRetrieveResponse:
        """Retrieve an eval. Raises NotFoundError when there is no such eval."""
        return await self._call(Evals.retrieve, EvalRetrieveResponse, options, eval_id=eval_id)

    @endpoint("POST", "/evals/{eval_id}", _UpdateArgs)
    async def update(self, eval_id: str, **params: Unpack[_UpdateArgs]) -> EvalUpdateResponse:
        """Change an eval's ``name`` or ``metadata``; return it. Raises NotFoundError for an
        unknown eval."""
        return await self._call(Evals.update, EvalUpdateResponse, params, eval_id=eval_id)

    @endpoint("GET", "/evals", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[EvalListResponse, AsyncCursorPage[EvalListResponse]]:
        """The evals, oldest first (``order="desc"`` for newest first), by ``order_by``
        (``created_at`` or ``updated_at``): ``await`` it for the first page, ``async for``
        every one."""
        return self._list(Evals.list, EvalListResponse, params)

    @endpoint("DELETE", "/evals/{eval_id}")
    async def delete(self, eval_id: str, **options: Unpack[RequestOptions]) -> EvalDeleteResponse:
        """Delete an eval and its runs. Raises NotFoundError for an unknown eval."""
        return await self._call(Evals.delete, EvalDeleteResponse, options, eval_id=eval_id)
