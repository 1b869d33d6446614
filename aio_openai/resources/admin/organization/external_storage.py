"""``client.admin.organization.external_storage``: ``/organization/external_storage``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator
from ...._resource import AdminResource
from ...._types import RequestOptions
from ....types.admin.organization.external_storage_configuration import ExternalStorageConfiguration
from ....types.admin.organization.external_storage_create_params import ExternalStorageCreateParams
from ....types.admin.organization.external_storage_deleted import ExternalStorageDeleted
from ....types.admin.organization.external_storage_list_params import ExternalStorageListParams

__all__ = ["ExternalStorage"]


class _CreateArgs(ExternalStorageCreateParams, RequestOptions, total=False): ...


class _ListArgs(ExternalStorageListParams, RequestOptions, total=False): ...


class ExternalStorage(AdminResource):
    """``client.admin.organization.external_storage``: create, delete, list, retrieve,
    validate.
    """

    __slots__ = ()

    @endpoint("POST", "/organization/external_storage", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> ExternalStorageConfiguration:
        """Create an external storage configuration of the organization; returns it. Raises
        BadRequestError for a bad parameter.
        """
        return await self._call(ExternalStorage.create, ExternalStorageConfiguration, params)

    @endpoint("DELETE", "/organization/external_storage/{external_storage_id}")
    async def delete(
        self, external_storage_id: str, **options: Unpack[RequestOptions]
    ) -> ExternalStorageDeleted:
        """Delete the external storage configuration of the organization; returns the
        deletion's answer. Raises NotFoundError when there is none.
        """
        return await self._call(
            ExternalStorage.delete,
            ExternalStorageDeleted,
            options,
            external_storage_id=external_storage_id,
        )

    @endpoint("GET", "/organization/external_storage", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[
        ExternalStorageConfiguration, AsyncCursorPage[ExternalStorageConfiguration]
    ]:
        """The external storage configurations of the organization: ``await`` it for the first
        page, ``async for`` every one (later pages fetched as the loop reaches them).
        """
        return self._list(ExternalStorage.list, ExternalStorageConfiguration, params)

    @endpoint("GET", "/organization/external_storage/{external_storage_id}")
    async def retrieve(
        self, external_storage_id: str, **options: Unpack[RequestOptions]
    ) -> ExternalStorageConfiguration:
        """Retrieve the external storage configuration of the organization. Raises
        NotFoundError when there is none.
        """
        return await self._call(
            ExternalStorage.retrieve,
            ExternalStorageConfiguration,
            options,
            external_storage_id=external_storage_id,
        )

    @endpoint("POST", "/organization/external_storage/{external_storage_id}/validate")
    async def validate(
        self, external_storage_id: str, **options: Unpack[RequestOptions]
    ) -> ExternalStorageConfiguration:
        """Check that OpenAI can reach an external storage configuration; returns what the
        check found.
        """
        return await self._call(
            ExternalStorage.validate,
            ExternalStorageConfiguration,
            options,
            external_storage_id=external_storage_id,
        )
