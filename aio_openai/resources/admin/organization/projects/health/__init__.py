"""``client.admin.organization.projects.health``."""

from __future__ import annotations

from ......_resource import AdminResource
from .alert_rules import AlertRules
from .alerts import Alerts

__all__ = ["AlertRules", "Alerts", "Health"]


class Health(AdminResource):
    """``client.admin.organization.projects.health``: alert_rules, alerts."""

    __slots__ = ()

    @property
    def alert_rules(self) -> AlertRules:
        """``admin.organization.projects.health.alert_rules``: create, delete, list, retrieve,
        update.
        """
        return AlertRules(self._client, raw=self._raw)

    @property
    def alerts(self) -> Alerts:
        """``admin.organization.projects.health.alerts``: retrieve."""
        return Alerts(self._client, raw=self._raw)
