"""``client.admin.organization.workload_identity_providers``:
``/organization/workload_identity_providers``.
"""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncCursorPage, AsyncPaginator
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.workload_identity_provider import WorkloadIdentityProvider
from .....types.admin.organization.workload_identity_provider_create_params import (
    WorkloadIdentityProviderCreateParams,
)
from .....types.admin.organization.workload_identity_provider_deleted import (
    WorkloadIdentityProviderDeleted,
)
from .....types.admin.organization.workload_identity_provider_list_params import (
    WorkloadIdentityProviderListParams,
)
from .....types.admin.organization.workload_identity_provider_update_params import (
    WorkloadIdentityProviderUpdateParams,
)
from .federation_rules import FederationRules

__all__ = ["FederationRules", "WorkloadIdentityProviders"]


class _CreateArgs(WorkloadIdentityProviderCreateParams, RequestOptions, total=False): ...


class _ListArgs(WorkloadIdentityProviderListParams, RequestOptions, total=False): ...


class _UpdateArgs(WorkloadIdentityProviderUpdateParams, RequestOptions, total=False): ...


class WorkloadIdentityProviders(AdminResource):
    """``client.admin.organization.workload_identity_providers``: create, delete, list,
    retrieve, update, federation_rules.
    """

    __slots__ = ()

    @property
    def federation_rules(self) -> FederationRules:
        """``admin.organization.workload_identity_providers.federation_rules``: create, delete,
        list, retrieve, update.
        """
        return FederationRules(self._client, raw=self._raw)

    @endpoint("POST", "/organization/workload_identity_providers", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> WorkloadIdentityProvider:
        """Create a workload identity provider of the organization; returns it. Raises
        BadRequestError for a bad parameter.
        """
        return await self._call(WorkloadIdentityProviders.create, WorkloadIdentityProvider, params)

    @endpoint("DELETE", "/organization/workload_identity_providers/{workload_identity_provider_id}")
    async def delete(
        self, workload_identity_provider_id: str, **options: Unpack[RequestOptions]
    ) -> WorkloadIdentityProviderDeleted:
        """Delete the workload identity provider of the organization; returns the deletion's
        answer. Raises NotFoundError when there is none.
        """
        return await self._call(
            WorkloadIdentityProviders.delete,
            WorkloadIdentityProviderDeleted,
            options,
            workload_identity_provider_id=workload_identity_provider_id,
        )

    @endpoint("GET", "/organization/workload_identity_providers", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[WorkloadIdentityProvider, AsyncCursorPage[WorkloadIdentityProvider]]:
        """The workload identity providers of the organization: ``await`` it for the first
        page, ``async for`` every one (later pages fetched as the loop reaches them).
        """
        return self._list(WorkloadIdentityProviders.list, WorkloadIdentityProvider, params)

    @endpoint("GET", "/organization/workload_identity_providers/{workload_identity_provider_id}")
    async def retrieve(
        self, workload_identity_provider_id: str, **options: Unpack[RequestOptions]
    ) -> WorkloadIdentityProvider:
        """Retrieve the workload identity provider of the organization. Raises NotFoundError
        when there is none.
        """
        return await self._call(
            WorkloadIdentityProviders.retrieve,
            WorkloadIdentityProvider,
            options,
            workload_identity_provider_id=workload_identity_provider_id,
        )

    @endpoint(
        "POST",
        "/organization/workload_identity_providers/{workload_identity_provider_id}",
        _UpdateArgs,
    )
    async def update(
        self, workload_identity_provider_id: str, **params: Unpack[_UpdateArgs]
    ) -> WorkloadIdentityProvider:
        """Change the given fields of the workload identity provider of the organization;
        returns it. Raises NotFoundError when there is none.
        """
        return await self._call(
            WorkloadIdentityProviders.update,
            WorkloadIdentityProvider,
            params,
            workload_identity_provider_id=workload_identity_provider_id,
        )
