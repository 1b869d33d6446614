"""The files of a container: ``/containers/{container_id}/files``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator
from ...._resource import APIResource
from ...._types import RequestOptions
from ....types.containers.file_list_params import FileListParams
from ....types.containers.file_list_response import FileListResponse
from ....types.containers.file_retrieve_response import FileRetrieveResponse

__all__ = ["Files"]


class _ListArgs(FileListParams, RequestOptions, total=False): ...


class Files(APIResource):
    """``client.containers.files``: list, retrieve, delete."""

    __slots__ = ()

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
