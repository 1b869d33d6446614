"""``client.admin.organization.projects.service_tier_settings``:
``/organization/projects/{project_id}/service_tier_settings``.
"""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.projects.project_service_tier_settings import (
    ProjectServiceTierSettings,
)
from .....types.admin.organization.projects.service_tier_setting_update_params import (
    ServiceTierSettingUpdateParams,
)

__all__ = ["ServiceTierSettings"]


class _UpdateArgs(ServiceTierSettingUpdateParams, RequestOptions, total=False): ...


class ServiceTierSettings(AdminResource):
    """``client.admin.organization.projects.service_tier_settings``: retrieve, update."""

    __slots__ = ()

    @endpoint("GET", "/organization/projects/{project_id}/service_tier_settings")
    async def retrieve(
        self, project_id: str, **options: Unpack[RequestOptions]
    ) -> ProjectServiceTierSettings:
        """Retrieve the service tier settings of a project. Raises NotFoundError when there is
        none.
        """
        return await self._call(
            ServiceTierSettings.retrieve, ProjectServiceTierSettings, options, project_id=project_id
        )

    @endpoint("POST", "/organization/projects/{project_id}/service_tier_settings", _UpdateArgs)
    async def update(
        self, project_id: str, **params: Unpack[_UpdateArgs]
    ) -> ProjectServiceTierSettings:
        """Change the given fields of the service tier settings of a project; returns it.
        Raises NotFoundError when there is none.
        """
        return await self._call(
            ServiceTierSettings.update, ProjectServiceTierSettings, params, project_id=project_id
        )
