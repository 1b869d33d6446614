"""``client.admin.organization.projects.model_permissions``:
``/organization/projects/{project_id}/model_permissions``.
"""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.projects.model_permission_update_params import (
    ModelPermissionUpdateParams,
)
from .....types.admin.organization.projects.project_model_permissions import ProjectModelPermissions
from .....types.admin.organization.projects.project_model_permissions_deleted import (
    ProjectModelPermissionsDeleted,
)

__all__ = ["ModelPermissions"]


class _UpdateArgs(ModelPermissionUpdateParams, RequestOptions, total=False): ...


class ModelPermissions(AdminResource):
    """``client.admin.organization.projects.model_permissions``: delete, retrieve, update."""

    __slots__ = ()

    @endpoint("DELETE", "/organization/projects/{project_id}/model_permissions")
    async def delete(
        self, project_id: str, **options: Unpack[RequestOptions]
    ) -> ProjectModelPermissionsDeleted:
        """Delete the model permissions of a project; returns the deletion's answer. Raises
        NotFoundError when there is none.
        """
        return await self._call(
            ModelPermissions.delete, ProjectModelPermissionsDeleted, options, project_id=project_id
        )

    @endpoint("GET", "/organization/projects/{project_id}/model_permissions")
    async def retrieve(
        self, project_id: str, **options: Unpack[RequestOptions]
    ) -> ProjectModelPermissions:
        """Retrieve the model permissions of a project. Raises NotFoundError when there is
        none.
        """
        return await self._call(
            ModelPermissions.retrieve, ProjectModelPermissions, options, project_id=project_id
        )

    @endpoint("POST", "/organization/projects/{project_id}/model_permissions", _UpdateArgs)
    async def update(
        self, project_id: str, **params: Unpack[_UpdateArgs]
    ) -> ProjectModelPermissions:
        """Change the given fields of the model permissions of a project; returns it. Raises
        NotFoundError when there is none.
        """
        return await self._call(
            ModelPermissions.update, ProjectModelPermissions, params, project_id=project_id
        )
