"""``client.admin.organization.projects.health.alerts``:
``/organization/projects/{project_id}/health/alerts/{alert_id}``.
"""

from __future__ import annotations

from typing import Unpack

from ......_endpoints import endpoint
from ......_resource import AdminResource
from ......_types import RequestOptions
from ......types.admin.organization.health.health_alert import HealthAlert

__all__ = ["Alerts"]


class Alerts(AdminResource):
    """``client.admin.organization.projects.health.alerts``: retrieve."""

    __slots__ = ()

    @endpoint("GET", "/organization/projects/{project_id}/health/alerts/{alert_id}")
    async def retrieve(
        self, alert_id: str, *, project_id: str, **options: Unpack[RequestOptions]
    ) -> HealthAlert:
        """Retrieve the alert of a project. Raises NotFoundError when there is none."""
        return await self._call(
            Alerts.retrieve, HealthAlert, options, alert_id=alert_id, project_id=project_id
        )
