"""``client.admin.organization.spend_alerts``: ``/organization/spend_alerts``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncConversationCursorPage, AsyncPaginator
from ...._resource import AdminResource
from ...._types import RequestOptions
from ....types.admin.organization.organization_spend_alert import OrganizationSpendAlert
from ....types.admin.organization.organization_spend_alert_deleted import (
    OrganizationSpendAlertDeleted,
)
from ....types.admin.organization.spend_alert_create_params import SpendAlertCreateParams
from ....types.admin.organization.spend_alert_list_params import SpendAlertListParams
from ....types.admin.organization.spend_alert_update_params import SpendAlertUpdateParams

__all__ = ["SpendAlerts"]


class _CreateArgs(SpendAlertCreateParams, RequestOptions, total=False): ...


class _ListArgs(SpendAlertListParams, RequestOptions, total=False): ...


class _UpdateArgs(SpendAlertUpdateParams, RequestOptions, total=False): ...


class SpendAlerts(AdminResource):
    """``client.admin.organization.spend_alerts``: create, delete, list, retrieve, update."""

    __slots__ = ()

    @endpoint("POST", "/organization/spend_alerts", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> OrganizationSpendAlert:
        """Create a spend alert of the organization; returns it. Raises BadRequestError for a
        bad parameter.
        """
        return await self._call(SpendAlerts.create, OrganizationSpendAlert, params)

    @endpoint("DELETE", "/organization/spend_alerts/{alert_id}")
    async def delete(
        self, alert_id: str, **options: Unpack[RequestOptions]
    ) -> OrganizationSpendAlertDeleted:
        """Delete the spend alert of the organization; returns the deletion's answer. Raises
        NotFoundError when there is none.
        """
        return await self._call(
            SpendAlerts.delete, OrganizationSpendAlertDeleted, options, alert_id=alert_id
        )

    @endpoint("GET", "/organization/spend_alerts", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[
        OrganizationSpendAlert, AsyncConversationCursorPage[OrganizationSpendAlert]
    ]:
        """The spend alerts of the organization: ``await`` it for the first page, ``async for``
        every one (later pages fetched as the loop reaches them).
        """
        return self._pages(
            SpendAlerts.list, OrganizationSpendAlert, params, {}, page=AsyncConversationCursorPage
        )

    @endpoint("GET", "/organization/spend_alerts/{alert_id}")
    async def retrieve(
        self, alert_id: str, **options: Unpack[RequestOptions]
    ) -> OrganizationSpendAlert:
        """Retrieve the spend alert of the organization. Raises NotFoundError when there is
        none.
        """
        return await self._call(
            SpendAlerts.retrieve, OrganizationSpendAlert, options, alert_id=alert_id
        )

    @endpoint("POST", "/organization/spend_alerts/{alert_id}", _UpdateArgs)
    async def update(self, alert_id: str, **params: Unpack[_UpdateArgs]) -> OrganizationSpendAlert:
        """Change the given fields of the spend alert of the organization; returns it. Raises
        NotFoundError when there is none.
        """
        return await self._call(
            SpendAlerts.update, OrganizationSpendAlert, params, alert_id=alert_id
        )
