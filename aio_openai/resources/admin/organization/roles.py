"""``client.admin.organization.roles``: ``/organization/roles``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncNextCursorPage, AsyncPaginator
from ...._resource import AdminResource
from ...._types import RequestOptions
from ....types.admin.organization.role import Role
from ....types.admin.organization.role_create_params import RoleCreateParams
from ....types.admin.organization.role_delete_response import RoleDeleteResponse
from ....types.admin.organization.role_list_params import RoleListParams
from ....types.admin.organization.role_update_params import RoleUpdateParams

__all__ = ["Roles"]


class _CreateArgs(RoleCreateParams, RequestOptions, total=False): ...


class _ListArgs(RoleListParams, RequestOptions, total=False): ...


class _UpdateArgs(RoleUpdateParams, RequestOptions, total=False): ...


class Roles(AdminResource):
    """``client.admin.organization.roles``: create, delete, list, retrieve, update."""

    __slots__ = ()

    @endpoint("POST", "/organization/roles", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> Role:
        """Create a role of the organization; returns it. Raises BadRequestError for a bad
        parameter.
        """
        return await self._call(Roles.create, Role, params)

    @endpoint("DELETE", "/organization/roles/{role_id}")
    async def delete(self, role_id: str, **options: Unpack[RequestOptions]) -> RoleDeleteResponse:
        """Delete the role of the organization; returns the deletion's answer. Raises
        NotFoundError when there is none.
        """
        return await self._call(Roles.delete, RoleDeleteResponse, options, role_id=role_id)

    @endpoint("GET", "/organization/roles", _ListArgs)
    def list(self, **params: Unpack[_ListArgs]) -> AsyncPaginator[Role, AsyncNextCursorPage[Role]]:
        """The roles of the organization: ``await`` it for the first page, ``async for`` every
        one (later pages fetched as the loop reaches them).
        """
        return self._pages(Roles.list, Role, params, {}, page=AsyncNextCursorPage)

    @endpoint("GET", "/organization/roles/{role_id}")
    async def retrieve(self, role_id: str, **options: Unpack[RequestOptions]) -> Role:
        """Retrieve the role of the organization. Raises NotFoundError when there is none."""
        return await self._call(Roles.retrieve, Role, options, role_id=role_id)

    @endpoint("POST", "/organization/roles/{role_id}", _UpdateArgs)
    async def update(self, role_id: str, **params: Unpack[_UpdateArgs]) -> Role:
        """Change the given fields of the role of the organization; returns it. Raises
        NotFoundError when there is none.
        """
        return await self._call(Roles.update, Role, params, role_id=role_id)
