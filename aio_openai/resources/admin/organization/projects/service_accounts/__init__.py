"""``client.admin.organization.projects.service_accounts``:
``/organization/projects/{project_id}/service_accounts``.
"""

from __future__ import annotations

from typing import Unpack

from ......_endpoints import endpoint
from ......_pagination import AsyncConversationCursorPage, AsyncPaginator
from ......_resource import AdminResource
from ......_types import RequestOptions
from ......types.admin.organization.projects.project_service_account import ProjectServiceAccount
from ......types.admin.organization.projects.service_account_create_params import (
    ServiceAccountCreateParams,
)
from ......types.admin.organization.projects.service_account_create_response import (
    ServiceAccountCreateResponse,
)
from ......types.admin.organization.projects.service_account_delete_response import (
    ServiceAccountDeleteResponse,
)
from ......types.admin.organization.projects.service_account_list_params import (
    ServiceAccountListParams,
)
from ......types.admin.organization.projects.service_account_update_params import (
    ServiceAccountUpdateParams,
)
from .api_keys import APIKeys

__all__ = ["APIKeys", "ServiceAccounts"]


class _CreateArgs(ServiceAccountCreateParams, RequestOptions, total=False): ...


class _ListArgs(ServiceAccountListParams, RequestOptions, total=False): ...


class _UpdateArgs(ServiceAccountUpdateParams, RequestOptions, total=False): ...


class ServiceAccounts(AdminResource):
    """``client.admin.organization.projects.service_accounts``: create, delete, list, retrieve,
    update, api_keys.
    """

    __slots__ = ()

    @property
    def api_keys(self) -> APIKeys:
        """``admin.organization.projects.service_accounts.api_keys``: create."""
        return APIKeys(self._client, raw=self._raw)

    @endpoint("POST", "/organization/projects/{project_id}/service_accounts", _CreateArgs)
    async def create(
        self, project_id: str, **params: Unpack[_CreateArgs]
    ) -> ServiceAccountCreateResponse:
        """Create a service account of a project; returns it. Raises BadRequestError for a bad
        parameter.
        """
        return await self._call(
            ServiceAccounts.create, ServiceAccountCreateResponse, params, project_id=project_id
        )

    @endpoint("DELETE", "/organization/projects/{project_id}/service_accounts/{service_account_id}")
    async def delete(
        self, service_account_id: str, *, project_id: str, **options: Unpack[RequestOptions]
    ) -> ServiceAccountDeleteResponse:
        """Delete the service account of a project; returns the deletion's answer. Raises
        NotFoundError when there is none.
        """
        return await self._call(
            ServiceAccounts.delete,
            ServiceAccountDeleteResponse,
            options,
            service_account_id=service_account_id,
            project_id=project_id,
        )

    @endpoint("GET", "/organization/projects/{project_id}/service_accounts", _ListArgs)
    def list(
        self, project_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[ProjectServiceAccount, AsyncConversationCursorPage[ProjectServiceAccount]]:
        """The service accounts of a project: ``await`` it for the first page, ``async for``
        every one (later pages fetched as the loop reaches them).
        """
        return self._pages(
            ServiceAccounts.list,
            ProjectServiceAccount,
            params,
            {"project_id": project_id},
            page=AsyncConversationCursorPage,
        )

    @endpoint("GET", "/organization/projects/{project_id}/service_accounts/{service_account_id}")
    async def retrieve(
        self, service_account_id: str, *, project_id: str, **options: Unpack[RequestOptions]
    ) -> ProjectServiceAccount:
        """Retrieve the service account of a project. Raises NotFoundError when there is none."""
        return await self._call(
            ServiceAccounts.retrieve,
            ProjectServiceAccount,
            options,
            service_account_id=service_account_id,
            project_id=project_id,
        )

    @endpoint(
        "POST",
        "/organization/projects/{project_id}/service_accounts/{service_account_id}",
        _UpdateArgs,
    )
    async def update(
        self, service_account_id: str, **params: Unpack[_UpdateArgs]
    ) -> ProjectServiceAccount:
        """Change the given fields of the service account of a project; returns it. Raises
        NotFoundError when there is none.
        """
        return await self._call(
            ServiceAccounts.update,
            ProjectServiceAccount,
            params,
            service_account_id=service_account_id,
        )
