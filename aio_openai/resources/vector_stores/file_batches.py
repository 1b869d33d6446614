"""Batches of files added to a vector store at once:
``/vector_stores/{vector_store_id}/file_batches``.

``upload_and_poll`` uploads files to the Files API, at most ``max_concurrency`` at a time,
adds them (and any ``file_ids`` given) as one batch and waits until the batch is processed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Unpack

from ..._endpoints import endpoint, takes
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._resource import APIResource, PollTarget
from ..._types import NOT_GIVEN, NotGiven, RequestOptions
from ...types._param_types import FileTypes, SequenceNotStr
from ...types.file_chunking_strategy_param import FileChunkingStrategyParam
from ...types.vector_stores.file_batch_create_params import FileBatchCreateParams
from ...types.vector_stores.file_list_params import FileListParams
from ...types.vector_stores.vector_store_file import VectorStoreFile
from ...types.vector_stores.vector_store_file_batch import VectorStoreFileBatch
from ..files import Files as FilesAPI
from .files import TERMINAL, given, interval_ms

__all__ = ["DEFAULT_CONCURRENCY", "FileBatches"]

#: Uploads ``upload_and_poll`` sends at once when not told (the SDK's default).
DEFAULT_CONCURRENCY = 5


class _CreateArgs(FileBatchCreateParams, RequestOptions, total=False): ...


class _ListFilesArgs(FileListParams, RequestOptions, total=False): ...


def _batch_ids(batch: VectorStoreFileBatch) -> dict[str, str]:
    return {"batch_id": batch.id, "vector_store_id": batch.vector_store_id}


class FileBatches(APIResource):
    """``client.vector_stores.file_batches``: create, retrieve, cancel, list_files, and the
    helpers poll, create_and_poll, upload_and_poll."""

    __slots__ = ()

    @endpoint("POST", "/vector_stores/{vector_store_id}/file_batches", _CreateArgs)
    async def create(
        self, vector_store_id: str, **params: Unpack[_CreateArgs]
    ) -> VectorStoreFileBatch:
        """Add the files ``file_ids`` (sharing ``attributes`` and ``chunking_strategy``) or
        ``files`` (each with its own) to a vector store as one batch; returns the batch,
        ``in_progress`` until every file is processed (see ``poll``)."""
        return await self._call(
            FileBatches.create, VectorStoreFileBatch, params, vector_store_id=vector_store_id
        )

    @endpoint("GET", "/vector_stores/{vector_store_id}/file_batches/{batch_id}")
    async def retrieve(
        self, batch_id: str, *, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStoreFileBatch:
        """Retrieve a file batch (its status and file counts). Raises NotFoundError for an
        unknown vector store or batch."""
        return await self._call(
            FileBatches.retrieve,
            VectorStoreFileBatch,
            options,
            vector_store_id=vector_store_id,
            batch_id=batch_id,
        )

    @endpoint("POST", "/vector_stores/{vector_store_id}/file_batches/{batch_id}/cancel")
    async def cancel(
        self, batch_id: str, *, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStoreFileBatch:
        """Cancel a file batch: its files still in progress are cancelled. Returns the
        batch."""
        return await self._call(
            FileBatches.cancel,
            VectorStoreFileBatch,
            options,
            vector_store_id=vector_store_id,
            batch_id=batch_id,
        )

    @endpoint(
        "GET", "/vector_stores/{vector_store_id}/file_batches/{batch_id}/files", _ListFilesArgs
    )
    def list_files(
        self, batch_id: str, *, vector_store_id: str, **params: Unpack[_ListFilesArgs]
    ) -> AsyncPaginator[VectorStoreFile, AsyncCursorPage[VectorStoreFile]]:
        """The files of a batch, newest first (``order="asc"`` for oldest first), of status
        ``filter`` only if given: ``await`` it for the first page, ``async for`` every
        file."""
        return self._list(
            FileBatches.list_files,
            VectorStoreFile,
            params,
            vector_store_id=vector_store_id,
            batch_id=batch_id,
        )

    # -- helpers -----------------------------------------------------------------------------

    @takes(None)
    async def poll(
        self,
        batch_id: str,
        *,
        vector_store_id: str,
        poll_interval_ms: int | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> VectorStoreFileBatch:
        """Wait until a file batch is processed (``completed``, ``cancelled`` or ``failed``:
        check ``file_counts.failed``) and return it.

        Waits between looks as the server's ``openai-poll-after-ms`` header asks, else
        ``poll_interval_ms``, else 1 s; ``deadline`` bounds the whole wait (past it,
        PollTimeoutError carrying the last batch seen).
        """
        return await self._poll(
            _BATCH_POLL,
            options,
            {"vector_store_id": vector_store_id, "batch_id": batch_id},
            poll_interval_ms=interval_ms(poll_interval_ms),
        )

    @takes(_CreateArgs)
    async def create_and_poll(
        self,
        vector_store_id: str,
        *,
        poll_interval_ms: int | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> VectorStoreFileBatch:
        """Create a file batch (see ``create``) and wait until it is processed (see
        ``poll``); ``deadline`` covers both."""
        return await self._poll(
            _BATCH_POLL,
            params,
            {"vector_store_id": vector_store_id},
            first=FileBatches.create,
            poll_interval_ms=interval_ms(poll_interval_ms),
        )

    async def upload_and_poll(
        self,
        vector_store_id: str,
        *,
        files: Iterable[FileTypes],
        max_concurrency: int = DEFAULT_CONCURRENCY,
        file_ids: SequenceNotStr[str] = (),
        poll_interval_ms: int | NotGiven | None = NOT_GIVEN,
        chunking_strategy: FileChunkingStrategyParam | NotGiven = NOT_GIVEN,
    ) -> VectorStoreFileBatch:
        """Upload ``files`` to the Files API (purpose ``assistants``), at most
        ``max_concurrency`` at a time, each streamed and retried on its own; then add them
        after ``file_ids`` as one batch (in the order given) and wait until it is processed.

        ``files`` is read as uploads start, so a generator of paths is never held whole. If
        an upload fails for good, the uploads still running are stopped and its error
        raised; the files already uploaded are left in the Files API (nothing is deleted).
        """
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
            raise TypeError(f"max_concurrency must be an int, got {max_concurrency!r}")
        if max_concurrency < 1:
            raise ValueError(f"max_concurrency must be >= 1, got {max_concurrency}")
        uploaded = await self._upload_all(files, max_concurrency)
        return await self.create_and_poll(
            vector_store_id,
            file_ids=[*file_ids, *uploaded],
            poll_interval_ms=poll_interval_ms,
            **given(chunking_strategy=chunking_strategy),
        )

    async def _upload_all(self, files: Iterable[FileTypes], max_concurrency: int) -> list[str]:
        """Upload ``files`` with ``max_concurrency`` workers; their ids in the order given."""
        api = FilesAPI(self._client)
        ids: dict[int, str] = {}
        queue = iter(enumerate(files))

        async def worker() -> None:
            for index, file in queue:
                ids[index] = (await api.create(file=file, purpose="assistants")).id

        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(max_concurrency):
                    group.create_task(worker())
        except BaseExceptionGroup as failed:
            raise failed.exceptions[0] from None
        return [ids[index] for index in sorted(ids)]


_BATCH_POLL = PollTarget(FileBatches.retrieve, VectorStoreFileBatch, _batch_ids, TERMINAL)
