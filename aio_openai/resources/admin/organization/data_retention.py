"""``client.admin.organization.data_retention``: ``/organization/data_retention``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._resource import AdminResource
from ...._types import RequestOptions
from ....types.admin.organization.data_retention_update_params import DataRetentionUpdateParams
from ....types.admin.organization.organization_data_retention import OrganizationDataRetention

__all__ = ["DataRetention"]


class _UpdateArgs(DataRetentionUpdateParams, RequestOptions, total=False): ...


class DataRetention(AdminResource):
    """``client.admin.organization.data_retention``: retrieve, update."""

    __slots__ = ()

    @endpoint("GET", "/organization/data_retention")
    async def retrieve(self, **options: Unpack[RequestOptions]) -> OrganizationDataRetention:
        """Retrieve the data retention setting of the organization. Raises NotFoundError when
        there is none.
        """
        return await self._call(DataRetention.retrieve, OrganizationDataRetention, options)

    @endpoint("POST", "/organization/data_retention", _UpdateArgs)
    async def update(self, **params: Unpack[_UpdateArgs]) -> OrganizationDataRetention:
        """Change the given fields of the data retention setting of the organization; returns
        it. Raises NotFoundError when there is none.
        """
        return await self._call(DataRetention.update, OrganizationDataRetention, params)
