"""``client.admin.organization.admin_api_keys``: ``/organization/admin_api_keys``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator
from ...._resource import AdminResource
from ...._types import RequestOptions
from ....types.admin.organization.admin_api_key import AdminAPIKey
from ....types.admin.organization.admin_api_key_create_params import AdminAPIKeyCreateParams
from ....types.admin.organization.admin_api_key_create_response import AdminAPIKeyCreateResponse
from ....types.admin.organization.admin_api_key_delete_response import AdminAPIKeyDeleteResponse
from ....types.admin.organization.admin_api_key_list_params import AdminAPIKeyListParams

__all__ = ["AdminAPIKeys"]


class _CreateArgs(AdminAPIKeyCreateParams, RequestOptions, total=False): ...


class _ListArgs(AdminAPIKeyListParams, RequestOptions, total=False): ...


class AdminAPIKeys(AdminResource):
    """``client.admin.organization.admin_api_keys``: create, delete, list, retrieve."""

    __slots__ = ()

    @endpoint("POST", "/organization/admin_api_keys", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> AdminAPIKeyCreateResponse:
        """Create an admin API key of the organization; returns it. Raises BadRequestError for a
        bad parameter.
        """
        return await self._call(AdminAPIKeys.create, AdminAPIKeyCreateResponse, params)

    @endpoint("DELETE", "/organization/admin_api_keys/{key_id}")
    async def delete(
        self, key_id: str, **options: Unpack[RequestOptions]
    ) -> AdminAPIKeyDeleteResponse:
        """Delete the admin API key of the organization; returns the deletion's answer. Raises
        NotFoundError when there is none.
        """
        return await self._call(
            AdminAPIKeys.delete, AdminAPIKeyDeleteResponse, options, key_id=key_id
        )

    @endpoint("GET", "/organization/admin_api_keys", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[AdminAPIKey, AsyncCursorPage[AdminAPIKey]]:
        """The admin API keys of the organization: ``await`` it for the first page, ``async
        for`` every one (later pages fetched as the loop reaches them).
        """
        return self._list(AdminAPIKeys.list, AdminAPIKey, params)

    @endpoint("GET", "/organization/admin_api_keys/{key_id}")
    async def retrieve(self, key_id: str, **options: Unpack[RequestOptions]) -> AdminAPIKey:
        """Retrieve the admin API key of the organization. Raises NotFoundError when there is
        none.
        """
        return await self._call(AdminAPIKeys.retrieve, AdminAPIKey, options, key_id=key_id)
