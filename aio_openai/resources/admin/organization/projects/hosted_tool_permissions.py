"""``client.admin.organization.projects.hosted_tool_permissions``:
``/organization/projects/{project_id}/hosted_tool_permissions``.
"""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.projects.hosted_tool_permission_update_params import (
    HostedToolPermissionUpdateParams,
)
from .....types.admin.organization.projects.project_hosted_tool_permissions import (
    ProjectHostedToolPermissions,
)

__all__ = ["HostedToolPermissions"]


class _UpdateArgs(HostedToolPermissionUpdateParams, RequestOptions, total=False): ...


class HostedToolPermissions(AdminResource):
    """``client.admin.organization.projects.hosted_tool_permissions``: retrieve, update."""

    __slots__ = ()

    @endpoint("GET", "/organization/projects/{project_id}/hosted_tool_permissions")
    async def retrieve(
        self, project_id: str, **options: Unpack[RequestOptions]
    ) -> ProjectHostedToolPermissions:
        """Retrieve the hosted tool permissions of a project. Raises NotFoundError when there
        is none.
        """
        return await self._call(
            HostedToolPermissions.retrieve,
            ProjectHostedToolPermissions,
            options,
            project_id=project_id,
        )

    @endpoint("POST", "/organization/projects/{project_id}/hosted_tool_permissions", _UpdateArgs)
    async def update(
        self, project_id: str, **params: Unpack[_UpdateArgs]
    ) -> ProjectHostedToolPermissions:
        """Change the given fields of the hosted tool permissions of a project; returns it.
        Raises NotFoundError when there is none.
        """
        return await self._call(
            HostedToolPermissions.update,
            ProjectHostedToolPermissions,
            params,
            project_id=project_id,
        )
