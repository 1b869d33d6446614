"""The Files API: ``/files``, documents uploaded for the other APIs (batch inputs,
assistants, vector stores, fine-tuning, ...) and the files they write.

``create`` uploads a file as ``multipart/form-data``, streamed from where it is (bytes, a
path, an open binary file, an async iterator of bytes, or a ``(filename, content, content
type)`` tuple); ``content`` downloads one (``with_streaming_response.content`` streams it to a
file with bounded memory).
"""

from __future__ import annotations

from typing import Unpack

from .._binary import BinaryResponseContent
from .._endpoints import endpoint, takes
from .._http import HTTPResponse
from .._pagination import AsyncCursorPage, AsyncPaginator
from .._resource import APIResource, PollTarget
from .._types import RequestOptions
from ..types.file_create_params import FileCreateParams
from ..types.file_deleted import FileDeleted
from ..types.file_list_params import FileListParams
from ..types.file_object import FileObject

__all__ = ["Files"]


class _CreateArgs(FileCreateParams, RequestOptions, total=False): ...


class _ListArgs(FileListParams, RequestOptions, total=False): ...


def _file_ids(file: FileObject) -> dict[str, str]:
    return {"file_id": file.id}


def _text(response: HTTPResponse) -> str:
    return response.content.decode("utf-8", "replace")


class Files(APIResource):
    """``client.files``: create, retrieve, list, delete, content, wait_for_processing."""

    __slots__ = ()

    @endpoint("POST", "/files", _CreateArgs, files=("file",))
    async def create(self, **params: Unpack[_CreateArgs]) -> FileObject:
        """Upload ``file`` for ``purpose`` (``"assistants"``, ``"batch"``, ``"fine-tune"``,
        ``"vision"``, ``"user_data"``, ``"evals"``), expiring per ``expires_after`` if given.

        The file is streamed, never read whole into memory; a retried attempt sends it again
        from its start (an async iterator or a pipe can be sent once only: such a call is not
        retried once it has started sending). Returns the FileObject; BadRequestError when
        OpenAI refuses the file or the purpose.
        """
        return await self._call(Files.create, FileObject, params)

    @endpoint("GET", "/files/{file_id}")
    async def retrieve(self, file_id: str, **options: Unpack[RequestOptions]) -> FileObject:
        """Retrieve a file's FileObject. Raises NotFoundError for an unknown id."""
        return await self._call(Files.retrieve, FileObject, options, file_id=file_id)

    @endpoint("GET", "/files", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[FileObject, AsyncCursorPage[FileObject]]:
        """The files, newest first (``order="asc"`` for oldest first), of ``purpose`` only if
        given: ``await`` it for the first page, ``async for`` every file."""
        return self._list(Files.list, FileObject, params)

    @endpoint("DELETE", "/files/{file_id}")
    async def delete(self, file_id: str, **options: Unpack[RequestOptions]) -> FileDeleted:
        """Delete a file. Raises NotFoundError for an unknown id."""
        return await self._call(Files.delete, FileDeleted, options, file_id=file_id)

    @endpoint("GET", "/files/{file_id}/content")
    async def content(
        self, file_id: str, **options: Unpack[RequestOptions]
    ) -> BinaryResponseContent:
        """A file's bytes, read in full within the client's ``max_response_bytes`` (for a
        large file, ``async with client.files.with_streaming_response.content(id) as r:
        await r.stream_to_file(path)`` writes it as it arrives). Raises NotFoundError for an
        unknown id."""
        return await self._call_binary(Files.content, options, file_id=file_id)

    @takes(None)
    async def retrieve_content(self, file_id: str, **options: Unpack[RequestOptions]) -> str:
        """A file's content as text (deprecated in the official SDK: use :meth:`content`)."""
        return await self._call_parsed(Files.content, _text, options, file_id=file_id)

    async def wait_for_processing(
        self, id: str, *, poll_interval: float = 5.0, max_wait_seconds: float = 1800
    ) -> FileObject:
        """Look at the file every ``poll_interval`` seconds until it is ``processed``,
        ``error`` or ``deleted``; return it. Raises PollTimeoutError (an APITimeoutError)
        after ``max_wait_seconds``."""
        return await self._poll(
            PollTarget(Files.retrieve, FileObject, _file_ids, _TERMINAL),
            {"deadline": max_wait_seconds},
            {"file_id": id},
            poll_interval_ms=round(poll_interval * 1000),
        )


_TERMINAL = frozenset({"processed", "error", "deleted"})
