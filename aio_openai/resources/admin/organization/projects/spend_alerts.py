"""``client.admin.organization.projects.spend_alerts``:
``/organization/projects/{project_id}/spend_alerts``.
"""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncConversationCursorPage, AsyncPaginator
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.projects.project_spend_alert import ProjectSpendAlert
from .....types.admin.organization.projects.project_spend_alert_deleted import (
    ProjectSpendAlertDeleted,
)
from .....types.admin.organization.projects.spend_alert_create_params import SpendAlertCreateParams
from .....types.admin.organization.projects.spend_alert_list_params import SpendAlertListParams
from .....types.admin.organization.projects.spend_alert_update_params import SpendAlertUpdateParams

__all__ = ["SpendAlerts"]


class _CreateArgs(SpendAlertCreateParams, RequestOptions, total=False): ...


class _ListArgs(SpendAlertListParams, RequestOptions, total=False): ...


class _UpdateArgs(SpendAlertUpdateParams, RequestOptions, total=False): ...


class SpendAlerts(AdminResource):
    """``client.admin.organization.projects.spend_alerts``: create, delete, list, retrieve,
    update.
    """

    __slots__ = ()

    @endpoint("POST", "/organization/projects/{project_id}/spend_alerts", _CreateArgs)
    async def create(self, project_id: str, **params: Unpack[_CreateArgs]) -> ProjectSpendAlert:
        """Create a spend alert of a project; returns it. Raises BadRequestError for a bad
        parameter.
        """
        return await self._call(
            SpendAlerts.create, ProjectSpendAlert, params, project_id=project_id
        )

    @endpoint("DELETE", "/organization/projects/{project_id}/spend_alerts/{alert_id}")
    async def delete(
        self, alert_id: str, *, project_id: str, **options: Unpack[RequestOptions]
    ) -> ProjectSpendAlertDeleted:
        """Delete the spend alert of a project; returns the deletion's answer. Raises
        NotFoundError when there is none.
        """
        return await self._call(
            SpendAlerts.delete,
            ProjectSpendAlertDeleted,
            options,
            alert_id=alert_id,
            project_id=project_id,
        )

    @endpoint("GET", "/organization/projects/{project_id}/spend_alerts", _ListArgs)
    def list(
        self, project_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[ProjectSpendAlert, AsyncConversationCursorPage[ProjectSpendAlert]]:
        """The spend alerts of a project: ``await`` it for the first page, ``async for`` every
        one (later pages fetched as the loop reaches them).
        """
        return self._pages(
            SpendAlerts.list,
            ProjectSpendAlert,
            params,
            {"project_id": project_id},
            page=AsyncConversationCursorPage,
        )

    @endpoint("GET", "/organization/projects/{project_id}/spend_alerts/{alert_id}")
    async def retrieve(
        self, alert_id: str, *, project_id: str, **options: Unpack[RequestOptions]
    ) -> ProjectSpendAlert:
        """Retrieve the spend alert of a project. Raises NotFoundError when there is none."""
        return await self._call(
            SpendAlerts.retrieve,
            ProjectSpendAlert,
            options,
            alert_id=alert_id,
            project_id=project_id,
        )

    @endpoint("POST", "/organization/projects/{project_id}/spend_alerts/{alert_id}", _UpdateArgs)
    async def update(self, alert_id: str, **params: Unpack[_UpdateArgs]) -> ProjectSpendAlert:
        """Change the given fields of the spend alert of a project; returns it. Raises
        NotFoundError when there is none.
        """
        return await self._call(SpendAlerts.update, ProjectSpendAlert, params, alert_id=alert_id)
