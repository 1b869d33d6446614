"""The Containers API: ``/containers``, the sandboxes where the code interpreter runs, and the
files in them (``containers.files``)."""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.container_create_params import ContainerCreateParams
from ...types.container_create_response import ContainerCreateResponse
from ...types.container_list_params import ContainerListParams
from ...types.container_list_response import ContainerListResponse
from ...types.container_retrieve_response import ContainerRetrieveResponse
from .files import Files

__all__ = ["Containers", "Files"]


class _CreateArgs(ContainerCreateParams, RequestOptions, total=False): ...


class _ListArgs(ContainerListParams, RequestOptions, total=False): ...


class Containers(APIResource):
    """``client.containers``: create, retrieve, list, delete, and ``files``."""

    __slots__ = ()

    @property
    def files(self) -> Files:
        """The files of a container: list, retrieve, delete."""
        return Files(self._client, raw=self._raw)

    @endpoint("POST", "/containers", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> ContainerCreateResponse:
        """Create a container called ``name``, with copies of the files ``file_ids``, an
        ``expires_after`` (minutes after it was last active), ``memory_limit``,
        ``network_policy`` and ``skills``. Raises BadRequestError for a bad parameter or an
        unknown file."""
        return await self._call(Containers.create, ContainerCreateResponse, params)

    @endpoint("GET", "/containers/{container_id}")
    async def retrieve(
        self, container_id: str, **options: Unpack[RequestOptions]
    ) -> ContainerRetrieveResponse:
        """Retrieve a container. Raises NotFoundError when there is no such container."""
        return await self._call(
            Containers.retrieve, ContainerRetrieveResponse, options, container_id=container_id
        )

    @endpoint("GET", "/containers", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[ContainerListResponse, AsyncCursorPage[ContainerListResponse]]:
        """The containers, newest first (``order="asc"`` for oldest first), those called
        ``name`` only if given: ``await`` it for the first page, ``async for`` every one."""
        return self._list(Containers.list, ContainerListResponse, params)

    @endpoint("DELETE", "/containers/{container_id}")
    async def delete(self, container_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a container and its files. Returns None; NotFoundError for an unknown one."""
        return await self._call(Containers.delete, type(None), options, container_id=container_id)
