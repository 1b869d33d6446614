"""The Vector Stores API: ``/vector_stores``, collections of files chunked and indexed for
``file_search`` and for :meth:`VectorStores.search`.

A vector store's files (``files``) and batches of files (``file_batches``) are processed
on the server after they are added; the ``*_poll`` helpers wait until they are.
"""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._pagination import AsyncCursorPage, AsyncPage, AsyncPaginator
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.vector_store import VectorStore
from ...types.vector_store_create_params import VectorStoreCreateParams
from ...types.vector_store_deleted import VectorStoreDeleted
from ...types.vector_store_list_params import VectorStoreListParams
from ...types.vector_store_search_params import VectorStoreSearchParams
from ...types.vector_store_search_response import VectorStoreSearchResponse
from ...types.vector_store_update_params import VectorStoreUpdateParams
from .file_batches import FileBatches
from .files import Files

__all__ = ["FileBatches", "Files", "VectorStores"]


class _CreateArgs(VectorStoreCreateParams, RequestOptions, total=False): ...


class _UpdateArgs(VectorStoreUpdateParams, RequestOptions, total=False): ...


class _ListArgs(VectorStoreListParams, RequestOptions, total=False): ...


class _SearchArgs(VectorStoreSearchParams, RequestOptions, total=False): ...


class VectorStores(APIResource):
    """``client.vector_stores``: create, retrieve, update, list, delete, search, ``files``,
    ``file_batches``."""

    __slots__ = ()

    @property
    def files(self) -> Files:
        """The files of a vector store: create, retrieve, update, list, delete, content and
        the helpers poll, upload, create_and_poll, upload_and_poll."""
        return Files(self._client, raw=self._raw)

    @property
    def file_batches(self) -> FileBatches:
        """Batches of files added to a vector store at once: create, retrieve, cancel,
        list_files and the helpers poll, create_and_poll, upload_and_poll."""
        return FileBatches(self._client, raw=self._raw)

    @endpoint("POST", "/vector_stores", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> VectorStore:
        """Create a vector store (with the files ``file_ids``, chunked per
        ``chunking_strategy``, expiring per ``expires_after``); returns it. Its files are
        processed on the server: ``status`` is ``in_progress`` until they are. Raises
        BadRequestError for a bad parameter."""
        return await self._call(VectorStores.create, VectorStore, params)

    @endpoint("GET", "/vector_stores/{vector_store_id}")
    async def retrieve(
        self, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStore:
        """Retrieve a vector store (its file counts and bytes used). Raises NotFoundError for
        an unknown id."""
        return await self._call(
            VectorStores.retrieve, VectorStore, options, vector_store_id=vector_store_id
        )

    @endpoint("POST", "/vector_stores/{vector_store_id}", _UpdateArgs)
    async def update(self, vector_store_id: str, **params: Unpack[_UpdateArgs]) -> VectorStore:
        """Change a vector store's name, metadata or expiry policy (None removes it); returns
        the vector store. Raises NotFoundError for an unknown id."""
        return await self._call(
            VectorStores.update, VectorStore, params, vector_store_id=vector_store_id
        )

    @endpoint("GET", "/vector_stores", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[VectorStore, AsyncCursorPage[VectorStore]]:
        """The vector stores, newest first (``order="asc"`` for oldest first): ``await`` it
        for the first page, ``async for`` every vector store."""
        return self._list(VectorStores.list, VectorStore, params)

    @endpoint("DELETE", "/vector_stores/{vector_store_id}")
    async def delete(
        self, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStoreDeleted:
        """Delete a vector store (its files stay in the Files API). Raises NotFoundError for
        an unknown id."""
        return await self._call(
            VectorStores.delete, VectorStoreDeleted, options, vector_store_id=vector_store_id
        )

    @endpoint("POST", "/vector_stores/{vector_store_id}/search", _SearchArgs)
    def search(
        self, vector_store_id: str, **params: Unpack[_SearchArgs]
    ) -> AsyncPaginator[VectorStoreSearchResponse, AsyncPage[VectorStoreSearchResponse]]:
        """The chunks of the vector store's files most relevant to ``query`` (a string or
        several), best first: at most ``max_num_results`` (10 unless told), of the files whose
        attributes pass ``filters``, scoring at least ``ranking_options.score_threshold``.
        ``await`` it for the page, ``async for`` each result. Raises ValueError for an empty
        id at once, NotFoundError for an unknown vector store when awaited."""
        return self._post_page(
            VectorStores.search,
            VectorStoreSearchResponse,
            params,
            vector_store_id=vector_store_id,
        )
