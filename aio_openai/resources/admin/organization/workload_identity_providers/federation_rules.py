"""``client.admin.organization.workload_identity_providers.federation_rules``:
``/organization/workload_identity_providers/{workload_identity_provider_id}/federation_rules``.
"""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncCursorPage, AsyncPaginator
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.workload_identity_providers import (
    federation_rule_create_params,
    federation_rule_update_params,
)
from .....types.admin.organization.workload_identity_providers.federation_rule import FederationRule
from .....types.admin.organization.workload_identity_providers.federation_rule_deleted import (
    FederationRuleDeleted,
)
from .....types.admin.organization.workload_identity_providers.federation_rule_list_params import (
    FederationRuleListParams,
)

__all__ = ["FederationRules"]


class _CreateArgs(
    federation_rule_create_params.FederationRuleCreateParams, RequestOptions, total=False
): ...


class _ListArgs(FederationRuleListParams, RequestOptions, total=False): ...


class _UpdateArgs(
    federation_rule_update_params.FederationRuleUpdateParams, RequestOptions, total=False
): ...


class FederationRules(AdminResource):
    """``client.admin.organization.workload_identity_providers.federation_rules``: create,
    delete, list, retrieve, update.
    """

    __slots__ = ()

    @endpoint(
        "POST",
        "/organization/workload_identity_providers/{workload_identity_provider_id}/federation_rules",
        _CreateArgs,
    )
    async def create(
        self, workload_identity_provider_id: str, **params: Unpack[_CreateArgs]
    ) -> FederationRule:
        """Create a federation rule of a workload identity provider; returns it. Raises
        BadRequestError for a bad parameter.
        """
        return await self._call(
            FederationRules.create,
            FederationRule,
            params,
            workload_identity_provider_id=workload_identity_provider_id,
        )

    @endpoint(
        "DELETE",
        "/organization/workload_identity_providers/{workload_identity_provider_id}/federation_rules/{workload_identity_federation_rule_id}",
    )
    async def delete(
        self,
        workload_identity_federation_rule_id: str,
        *,
        workload_identity_provider_id: str,
        **options: Unpack[RequestOptions],
    ) -> FederationRuleDeleted:
        """Delete the federation rule of a workload identity provider; returns the deletion's
        answer. Raises NotFoundError when there is none.
        """
        return await self._call(
            FederationRules.delete,
            FederationRuleDeleted,
            options,
            workload_identity_federation_rule_id=workload_identity_federation_rule_id,
            workload_identity_provider_id=workload_identity_provider_id,
        )

    @endpoint(
        "GET",
        "/organization/workload_identity_providers/{workload_identity_provider_id}/federation_rules",
        _ListArgs,
    )
    def list(
        self, workload_identity_provider_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[FederationRule, AsyncCursorPage[FederationRule]]:
        """The federation rules of a workload identity provider: ``await`` it for the first
        page, ``async for`` every one (later pages fetched as the loop reaches them).
        """
        return self._list(
            FederationRules.list,
            FederationRule,
            params,
            workload_identity_provider_id=workload_identity_provider_id,
        )

    @endpoint(
        "GET",
        "/organization/workload_identity_providers/{workload_identity_provider_id}/federation_rules/{workload_identity_federation_rule_id}",
    )
    async def retrieve(
        self,
        workload_identity_federation_rule_id: str,
        *,
        workload_identity_provider_id: str,
        **options: Unpack[RequestOptions],
    ) -> FederationRule:
        """Retrieve the federation rule of a workload identity provider. Raises NotFoundError
        when there is none.
        """
        return await self._call(
            FederationRules.retrieve,
            FederationRule,
            options,
            workload_identity_federation_rule_id=workload_identity_federation_rule_id,
            workload_identity_provider_id=workload_identity_provider_id,
        )

    @endpoint(
        "POST",
        "/organization/workload_identity_providers/{workload_identity_provider_id}/federation_rules/{workload_identity_federation_rule_id}",
        _UpdateArgs,
    )
    async def update(
        self, workload_identity_federation_rule_id: str, **params: Unpack[_UpdateArgs]
    ) -> FederationRule:
        """Change the given fields of the federation rule of a workload identity provider;
        returns it. Raises NotFoundError when there is none.
        """
        return await self._call(
            FederationRules.update,
            FederationRule,
            params,
            workload_identity_federation_rule_id=workload_identity_federation_rule_id,
        )
