"""The Batch API: ``/batches``, a file of requests run by OpenAI within 24 hours at half price.

The input file (``files.create(purpose="batch")``) holds one request a line
(``{"custom_id", "method", "url", "body"}``), all to one ``endpoint`` and one model. A batch
moves from ``validating`` through ``in_progress`` and ``finalizing`` to ``completed`` (or
``failed``, ``expired``, ``cancelling``/``cancelled``); its ``output_file_id`` and
``error_file_id`` then name the files of answers and of failed requests.
"""

from __future__ import annotations

from typing import Unpack

from .._endpoints import endpoint
from .._pagination import AsyncCursorPage, AsyncPaginator
from .._resource import APIResource
from .._types import RequestOptions
from ..types.batch import Batch
from ..types.batch_create_params import BatchCreateParams
from ..types.batch_list_params import BatchListParams

__all__ = ["Batches"]


class _CreateArgs(BatchCreateParams, RequestOptions, total=False): ...


class _ListArgs(BatchListParams, RequestOptions, total=False): ...


class Batches(APIResource):
    """``client.batches``: create, retrieve, list, cancel."""

    __slots__ = ()

    @endpoint("POST", "/batches", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> Batch:
        """Start a batch of the requests in the file ``input_file_id``, all to ``endpoint``
        (``"/v1/chat/completions"``, ``"/v1/responses"``, ``"/v1/embeddings"``, ...), with
        ``completion_window="24h"``, optional ``metadata`` and ``output_expires_after``.

        Returns the Batch (``validating``). Problems of the file's lines (not JSON, a
        repeated custom_id, another url or model) show later, as a ``failed`` batch whose
        ``errors`` name the lines. Raises BadRequestError for an unknown file or one not
        uploaded for the Batch API.
        """
        return await self._call(Batches.create, Batch, params)

    @endpoint("GET", "/batches/{batch_id}")
    async def retrieve(self, batch_id: str, **options: Unpack[RequestOptions]) -> Batch:
        """Retrieve a batch: its status, ``request_counts`` and, once done, its output and
        error files. Raises NotFoundError when there is no such batch."""
        return await self._call(Batches.retrieve, Batch, options, batch_id=batch_id)

    @endpoint("GET", "/batches", _ListArgs)
    def list(self, **params: Unpack[_ListArgs]) -> AsyncPaginator[Batch, AsyncCursorPage[Batch]]:
        """The organization's batches, newest first: ``await`` it for the first page,
        ``async for`` every batch (pages of ``limit``, from ``after``)."""
        return self._list(Batches.list, Batch, params)

    @endpoint("POST", "/batches/{batch_id}/cancel")
    async def cancel(self, batch_id: str, **options: Unpack[RequestOptions]) -> Batch:
        """Cancel a batch: it is ``cancelling`` (up to 10 minutes), then ``cancelled`` with
        the answers done so far in its output file. Raises NotFoundError for an unknown
        batch, ConflictError for one that is finished."""
        return await self._call(Batches.cancel, Batch, options, batch_id=batch_id)
