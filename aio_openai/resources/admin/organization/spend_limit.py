"""``client.admin.organization.spend_limit``: ``/organization/spend_limit``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._resource import AdminResource
from ...._types import RequestOptions
from ....types.admin.organization.organization_spend_limit import OrganizationSpendLimit
from ....types.admin.organization.organization_spend_limit_deleted import (
    OrganizationSpendLimitDeleted,
)
from ....types.admin.organization.spend_limit_update_params import SpendLimitUpdateParams

__all__ = ["SpendLimit"]


class _UpdateArgs(SpendLimitUpdateParams, RequestOptions, total=False): ...


class SpendLimit(AdminResource):
    """``client.admin.organization.spend_limit``: delete, retrieve, update."""

    __slots__ = ()

    @endpoint("DELETE", "/organization/spend_limit")
    async def delete(self, **options: Unpack[RequestOptions]) -> OrganizationSpendLimitDeleted:
        """Delete the spend limit of the organization; returns the deletion's answer. Raises
        NotFoundError when there is none.
        """
        return await self._call(SpendLimit.delete, OrganizationSpendLimitDeleted, options)

    @endpoint("GET", "/organization/spend_limit")
    async def retrieve(self, **options: Unpack[RequestOptions]) -> OrganizationSpendLimit:
        """Retrieve the spend limit of the organization. Raises NotFoundError when there is
        none.
        """
        return await self._call(SpendLimit.retrieve, OrganizationSpendLimit, options)

    @endpoint("POST", "/organization/spend_limit", _UpdateArgs)
    async def update(self, **params: Unpack[_UpdateArgs]) -> OrganizationSpendLimit:
        """Change the given fields of the spend limit of the organization; returns it. Raises
        NotFoundError when there is none.
        """
        return await self._call(SpendLimit.update, OrganizationSpendLimit, params)
