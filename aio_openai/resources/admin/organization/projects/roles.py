"""``client.admin.organization.projects.roles``: ``/projects/{project_id}/roles``."""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncNextCursorPage, AsyncPaginator
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.projects.role_create_params import RoleCreateParams
from .....types.admin.organization.projects.role_delete_response import RoleDeleteResponse
from .....types.admin.organization.projects.role_list_params import RoleListParams
from .....types.admin.organization.projects.role_update_params import RoleUpdateParams
from .....types.admin.organization.role import Role

__all__ = ["Roles"]


class _CreateArgs(RoleCreateParams, RequestOptions, total=False): ...


class _ListArgs(RoleListParams, RequestOptions, total=False): ...


class _UpdateArgs(RoleUpdateParams, RequestOptions, total=False): ...


class Roles(AdminResource):
    """``client.admin.organization.projects.roles``: create, delete, list, retrieve, update."""

    __slots__ = ()

    @endpoint("POST", "/projects/{project_id}/roles", _CreateArgs)
    async def create(self, project_id: str, **params: Unpack[_CreateArgs]) -> Role:
        """Assign a role to a project; returns it. Raises BadRequestError for a bad parameter."""
        return await self._call(Roles.create, Role, params, project_id=project_id)

    @endpoint("DELETE", "/projects/{project_id}/roles/{role_id}")
    async def delete(
        self, role_id: str, *, project_id: str, **options: Unpack[RequestOptions]
    ) -> RoleDeleteResponse:
        """Delete the role of a project; returns the deletion's answer. Raises NotFoundError
        when there is none.
        """
        return await self._call(
            Roles.delete, RoleDeleteResponse, options, role_id=role_id, project_id=project_id
        )

    @endpoint("GET", "/projects/{project_id}/roles", _ListArgs)
    def list(
        self, project_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[Role, AsyncNextCursorPage[Role]]:
        """The roles of a project: ``await`` it for the first page, ``async for`` every one
        (later pages fetched as the loop reaches them).
        """
        return self._pages(
            Roles.list, Role, params, {"project_id": project_id}, page=AsyncNextCursorPage
        )

    @endpoint("GET", "/projects/{project_id}/roles/{role_id}")
    async def retrieve(
        self, role_id: str, *, project_id: str, **options: Unpack[RequestOptions]
    ) -> Role:
        """Retrieve the role of a project. Raises NotFoundError when there is none."""
        return await self._call(
            Roles.retrieve, Role, options, role_id=role_id, project_id=project_id
        )

    @endpoint("POST", "/projects/{project_id}/roles/{role_id}", _UpdateArgs)
    async def update(self, role_id: str, **params: Unpack[_UpdateArgs]) -> Role:
        """Change the given fields of the role of a project; returns it. Raises NotFoundError
        when there is none.
        """
        return await self._call(Roles.update, Role, params, role_id=role_id)
