"""The files of a vector store: ``/vector_stores/{vector_store_id}/files``.

A file of the Files API added to a vector store is chunked and indexed on the server; its
``status`` stays ``in_progress`` until then. ``poll`` waits for that, ``upload`` uploads a
file to the Files API (purpose ``assistants``) and adds it, and the ``*_and_poll`` helpers
do both steps and wait.
"""

from __future__ import annotations

from typing import Any, Required, Unpack

from ..._endpoints import endpoint, takes
from ..._pagination import AsyncCursorPage, AsyncPage, AsyncPaginator
from ..._resource import APIResource, PollTarget
from ..._types import NOT_GIVEN, NotGiven, RequestOptions
from ...types._param_types import FileTypes
from ...types.file_chunking_strategy_param import FileChunkingStrategyParam
from ...types.vector_stores.file_content_response import FileContentResponse
from ...types.vector_stores.file_create_params import FileCreateParams
from ...types.vector_stores.file_list_params import FileListParams
from ...types.vector_stores.vector_store_file import VectorStoreFile
from ...types.vector_stores.vector_store_file_deleted import VectorStoreFileDeleted
from ..files import Files as FilesAPI

__all__ = ["TERMINAL", "Files", "given", "interval_ms", "poll_options"]

#: The statuses of a vector-store file (and of a file batch) that no longer change.
TERMINAL = frozenset({"completed", "cancelled", "failed"})


class _CreateArgs(FileCreateParams, RequestOptions, total=False): ...


class _UpdateArgs(RequestOptions, total=False):
    # FileUpdateParams without the path's vector_store_id
    attributes: Required[dict[str, str | float | bool] | None]


class _AddArgs(RequestOptions, total=False):
    # FileCreateParams without file_id: create_and_poll's own parameter
    attributes: dict[str, str | float | bool] | None
    chunking_strategy: FileChunkingStrategyParam


class _ListArgs(FileListParams, RequestOptions, total=False): ...


def _file_ids(file: VectorStoreFile) -> dict[str, str]:
    return {"file_id": file.id, "vector_store_id": file.vector_store_id}


def poll_options(
    params: dict[str, object], max_wait_seconds: float | NotGiven | None
) -> dict[str, object]:
    """A poll's arguments with the SDK's ``max_wait_seconds`` as the whole wait's
    ``deadline`` (when given: it wins over a ``deadline`` given too)."""
    if isinstance(max_wait_seconds, NotGiven) or max_wait_seconds is None:
        return params
    return {**params, "deadline": max_wait_seconds}


class Files(APIResource):
    """``client.vector_stores.files``: create, retrieve, update, list, delete, content, and
    the helpers poll, upload, create_and_poll, upload_and_poll."""

    __slots__ = ()

    @endpoint("POST", "/vector_stores/{vector_store_id}/files", _CreateArgs)
    async def create(self, vector_store_id: str, **params: Unpack[_CreateArgs]) -> VectorStoreFile:
        """Add the file ``file_id`` (of the Files API) to a vector store, with
        ``attributes`` for search filters, chunked per ``chunking_strategy``. Returns the
        VectorStoreFile, ``in_progress`` until it is indexed (see ``poll``). Raises
        NotFoundError for an unknown vector store or file."""
        return await self._call(
            Files.create, VectorStoreFile, params, vector_store_id=vector_store_id
        )

    @endpoint("GET", "/vector_stores/{vector_store_id}/files/{file_id}")
    async def retrieve(
        self, file_id: str, *, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStoreFile:
        """Retrieve a file of a vector store (its status, bytes used, attributes). Raises
        NotFoundError for an unknown vector store or file."""
        return await self._call(
            Files.retrieve,
            VectorStoreFile,
            options,
            vector_store_id=vector_store_id,
            file_id=file_id,
        )

    @endpoint("POST", "/vector_stores/{vector_store_id}/files/{file_id}", _UpdateArgs)
    async def update(
        self, file_id: str, *, vector_store_id: str, **params: Unpack[_UpdateArgs]
    ) -> VectorStoreFile:
        """Replace a file's ``attributes`` (None removes them); returns the file."""
        return await self._call(
            Files.update,
            VectorStoreFile,
            params,
            vector_store_id=vector_store_id,
            file_id=file_id,
        )

    @endpoint("GET", "/vector_stores/{vector_store_id}/files", _ListArgs)
    def list(
        self, vector_store_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[VectorStoreFile, AsyncCursorPage[VectorStoreFile]]:
        """The files of a vector store, newest first (``order="asc"`` for oldest first),
        of status ``filter`` only if given: ``await`` it for the first page, ``async for``
        every file."""
        return self._list(Files.list, VectorStoreFile, params, vector_store_id=vector_store_id)

    @endpoint("DELETE", "/vector_stores/{vector_store_id}/files/{file_id}")
    async def delete(
        self, file_id: str, *, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStoreFileDeleted:
        """Remove a file from a vector store (the file itself stays in the Files API:
        ``files.delete`` deletes it)."""
        return await self._call(
            Files.delete,
            VectorStoreFileDeleted,
            options,
            vector_store_id=vector_store_id,
            file_id=file_id,
        )

    @endpoint("GET", "/vector_stores/{vector_store_id}/files/{file_id}/content")
    def content(
        self, file_id: str, *, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> AsyncPaginator[FileContentResponse, AsyncPage[FileContentResponse]]:
        """The text the vector store parsed from a file, in pieces: ``await`` it for the
        page, ``async for`` each piece."""
        return self._list_page(
            Files.content,
            FileContentResponse,
            options,
            vector_store_id=vector_store_id,
            file_id=file_id,
        )

    # -- helpers -----------------------------------------------------------------------------

    @takes(None)
    async def poll(
        self,
        file_id: str,
        *,
        vector_store_id: str,
        poll_interval_ms: int | NotGiven | None = NOT_GIVEN,
        max_wait_seconds: float | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> VectorStoreFile:
        """Wait until a file of a vector store is processed (``completed``, ``failed`` or
        ``cancelled``: check ``status`` and ``last_error``) and return it.

        Waits between looks as the server's ``openai-poll-after-ms`` header asks, else
        ``poll_interval_ms``, else 1 s. ``max_wait_seconds`` (or ``deadline``) bounds the
        whole wait: past it, PollTimeoutError (an APITimeoutError) carrying the last file
        seen; nothing is cancelled on the server.
        """
        return await self._poll(
            _FILE_POLL,
            poll_options(dict(options), max_wait_seconds),
            {"vector_store_id": vector_store_id, "file_id": file_id},
            poll_interval_ms=interval_ms(poll_interval_ms),
        )

    @takes(_AddArgs)
    async def create_and_poll(
        self,
        file_id: str,
        *,
        vector_store_id: str,
        poll_interval_ms: int | NotGiven | None = NOT_GIVEN,
        max_wait_seconds: float | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_AddArgs],
    ) -> VectorStoreFile:
        """Add a file to a vector store (see ``create``) and wait until it is processed (see
        ``poll``); ``max_wait_seconds`` covers both."""
        return await self._poll(
            _FILE_POLL,
            poll_options({**params, "file_id": file_id}, max_wait_seconds),
            {"vector_store_id": vector_store_id},
            first=Files.create,
            poll_interval_ms=interval_ms(poll_interval_ms),
        )

    async def upload(
        self,
        *,
        vector_store_id: str,
        file: FileTypes,
        chunking_strategy: FileChunkingStrategyParam | NotGiven = NOT_GIVEN,
    ) -> VectorStoreFile:
        """Upload ``file`` to the Files API (purpose ``assistants``, streamed as
        ``files.create`` streams it) and add it to a vector store; returns the
        VectorStoreFile, still being processed (``upload_and_poll`` waits)."""
        uploaded = await FilesAPI(self._client).create(file=file, purpose="assistants")
        return await self.create(
            vector_store_id, file_id=uploaded.id, **given(chunking_strategy=chunking_strategy)
        )

    async def upload_and_poll(
        self,
        *,
        vector_store_id: str,
        file: FileTypes,
        attributes: dict[str, str | float | bool] | NotGiven | None = NOT_GIVEN,
        poll_interval_ms: int | NotGiven | None = NOT_GIVEN,
        max_wait_seconds: float | NotGiven | None = NOT_GIVEN,
        chunking_strategy: FileChunkingStrategyParam | NotGiven = NOT_GIVEN,
    ) -> VectorStoreFile:
        """Upload ``file`` (see ``upload``) and wait until the vector store has processed it
        (see ``poll``; ``max_wait_seconds`` bounds the wait after the upload)."""
        uploaded = await FilesAPI(self._client).create(file=file, purpose="assistants")
        return await self.create_and_poll(
            uploaded.id,
            vector_store_id=vector_store_id,
            poll_interval_ms=poll_interval_ms,
            max_wait_seconds=max_wait_seconds,
            **given(attributes=attributes, chunking_strategy=chunking_strategy),
        )


def given(**params: Any) -> dict[str, Any]:
    """The keyword arguments that were given (not NOT_GIVEN)."""
    return {k: v for k, v in params.items() if not isinstance(v, NotGiven)}


def interval_ms(poll_interval_ms: int | NotGiven | None) -> int | None:
    """The poll helpers' ``poll_interval_ms`` as the poll loop takes it."""
    return None if isinstance(poll_interval_ms, NotGiven) else poll_interval_ms


_FILE_POLL = PollTarget(Files.retrieve, VectorStoreFile, _file_ids, TERMINAL)
