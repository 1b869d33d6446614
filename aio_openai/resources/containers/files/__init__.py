"""The files of a container: ``/containers/{container_id}/files``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator
from ...._resource import APIResource
from ...._types import RequestOptions
from ....types.containers.file_create_params import FileCreateParams
from ....types.containers.file_create_response import FileCreateResponse
from ....types.containers.file_list_params import FileListParams
from ....types.containers.file_list_response import FileListResponse
from ....types.containers.file_retrieve_response import FileRetrieveResponse
from .content import Content

__all__ = ["Content", "Files"]


class _CreateArgs(FileCreateParams, RequestOptions, total=False): ...


class _ListArgs(FileListParams, RequestOptions, total=False): ...


class Files(APIResource):
    """``client.containers.files``: create, list, retrieve, delete, and ``content``."""

    __slots__ = ()

    @property
    def content(self) -> Content:
        """The content of a container's files: retrieve."""
        return Content(self._client, raw=self._raw)

    @endpoint(
        "POST",
        "/containers/{container_id}/files",
        _CreateArgs,
        files=("file",),
        json_without_files=True,
    )
    async def create(self, container_id: str, **params: Unpack[_CreateArgs]) -> FileCreateResponse:
        """Put a file in a container: ``file`` uploaded (``multipart/form-data``, streamed
        from bytes, a path, an open file, an async iterator or a ``(filename, content,
        type)`` tuple), or ``file_id``, a file of the Files API copied in (a JSON body).
        Returns the container file (its ``path`` under ``/mnt/data/``). Raises NotFoundError
        for an unknown container, BadRequestError for neither or both, or an unknown file.
        """
        return await self._call(Files.create, FileCreateResponse, params, container_id=container_id)

    @endpoint("GET", "/containers/{container_id}/files", _ListArgs)
    def list(
        self, container_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[FileListResponse, AsyncCursorPage[FileListResponse]]:
        """The files of a container, newest first (``order="asc"`` for oldest first):
        ``await`` it for the first page, ``async for`` every file. Raises NotFoundError
        for an unknown container."""
        return self._list(Files.list, FileListResponse, params, container_id=container_id)

    @endpoint("GET", "/containers/{container_id}/files/{file_id}")
    async def retrieve(
        self, file_id: str, *, container_id: str, **options: Unpack[RequestOptions]
    ) -> FileRetrieveResponse:
        """Retrieve a file of a container (its path, size and source). Raises NotFoundError
        for an unknown container or file."""
        return await self._call(
            Files.retrieve,
            FileRetrieveResponse,
            options,
            container_id=container_id,
            file_id=file_id,
        )

    @endpoint("DELETE", "/containers/{container_id}/files/{file_id}")
    async def delete(
        self, file_id: str, *, container_id: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete a file of a container. Returns None; NotFoundError for an unknown one."""
        return await self._call(
            Files.delete, type(None), options, container_id=container_id, file_id=file_id
        )
