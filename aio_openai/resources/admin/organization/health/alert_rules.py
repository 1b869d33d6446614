"""``client.admin.organization.health.alert_rules``: ``/organization/health/alert_rules``."""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncPaginator, AsyncTokenPage
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.health.alert_rule_create_params import AlertRuleCreateParams
from .....types.admin.organization.health.alert_rule_delete_params import AlertRuleDeleteParams
from .....types.admin.organization.health.alert_rule_list_params import AlertRuleListParams
from .....types.admin.organization.health.alert_rule_update_params import AlertRuleUpdateParams
from .....types.admin.organization.health.deleted_health_alert_rule import DeletedHealthAlertRule
from .....types.admin.organization.health.health_alert_rule import HealthAlertRule

__all__ = ["AlertRules"]


class _CreateArgs(AlertRuleCreateParams, RequestOptions, total=False): ...


class _DeleteArgs(AlertRuleDeleteParams, RequestOptions, total=False): ...


class _ListArgs(AlertRuleListParams, RequestOptions, total=False): ...


class _UpdateArgs(AlertRuleUpdateParams, RequestOptions, total=False): ...


class AlertRules(AdminResource):
    """``client.admin.organization.health.alert_rules``: create, delete, list, retrieve,
    update.
    """

    __slots__ = ()

    @endpoint("POST", "/organization/health/alert_rules", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> HealthAlertRule:
        """Create an alert rule of an organization; returns it. Raises BadRequestError for a bad
        parameter.
        """
        return await self._call(AlertRules.create, HealthAlertRule, params)

    @endpoint("DELETE", "/organization/health/alert_rules/{alert_rule_id}", _DeleteArgs)
    async def delete(
        self, alert_rule_id: str, **params: Unpack[_DeleteArgs]
    ) -> DeletedHealthAlertRule:
        """Delete the alert rule of an organization; returns the deletion's answer. Raises
        NotFoundError when there is none.
        """
        return await self._call(
            AlertRules.delete, DeletedHealthAlertRule, params, alert_rule_id=alert_rule_id
        )

    @endpoint("GET", "/organization/health/alert_rules", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[HealthAlertRule, AsyncTokenPage[HealthAlertRule]]:
        """The alert rules of an organization: ``await`` it for the first page, ``async for``
        every one (later pages fetched as the loop reaches them).
        """
        return self._pages(AlertRules.list, HealthAlertRule, params, {}, page=AsyncTokenPage)

    @endpoint("GET", "/organization/health/alert_rules/{alert_rule_id}")
    async def retrieve(
        self, alert_rule_id: str, **options: Unpack[RequestOptions]
    ) -> HealthAlertRule:
        """Retrieve the alert rule of an organization. Raises NotFoundError when there is none."""
        return await self._call(
            AlertRules.retrieve, HealthAlertRule, options, alert_rule_id=alert_rule_id
        )

    @endpoint("POST", "/organization/health/alert_rules/{alert_rule_id}", _UpdateArgs)
    async def update(self, alert_rule_id: str, **params: Unpack[_UpdateArgs]) -> HealthAlertRule:
        """Change the given fields of the alert rule of an organization; returns it. Raises
        NotFoundError when there is none.
        """
        return await self._call(
            AlertRules.update, HealthAlertRule, params, alert_rule_id=alert_rule_id
        )
