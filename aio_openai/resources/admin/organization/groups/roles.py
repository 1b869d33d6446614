"""``client.admin.organization.groups.roles``: ``/organization/groups/{group_id}/roles``."""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncNextCursorPage, AsyncPaginator
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.groups.role_create_params import RoleCreateParams
from .....types.admin.organization.groups.role_create_response import RoleCreateResponse
from .....types.admin.organization.groups.role_delete_response import RoleDeleteResponse
from .....types.admin.organization.groups.role_list_params import RoleListParams
from .....types.admin.organization.groups.role_list_response import RoleListResponse
from .....types.admin.organization.groups.role_retrieve_response import RoleRetrieveResponse

__all__ = ["Roles"]


class _CreateArgs(RoleCreateParams, RequestOptions, total=False): ...


class _ListArgs(RoleListParams, RequestOptions, total=False): ...


class Roles(AdminResource):
    """``client.admin.organization.groups.roles``: create, delete, list, retrieve."""

    __slots__ = ()

    @endpoint("POST", "/organization/groups/{group_id}/roles", _CreateArgs)
    async def create(self, group_id: str, **params: Unpack[_CreateArgs]) -> RoleCreateResponse:
        """Assign a role to a group; returns it. Raises BadRequestError for a bad parameter."""
        return await self._call(Roles.create, RoleCreateResponse, params, group_id=group_id)

    @endpoint("DELETE", "/organization/groups/{group_id}/roles/{role_id}")
    async def delete(
        self, role_id: str, *, group_id: str, **options: Unpack[RequestOptions]
    ) -> RoleDeleteResponse:
        """Delete the role of a group; returns the deletion's answer. Raises NotFoundError when
        there is none.
        """
        return await self._call(
            Roles.delete, RoleDeleteResponse, options, role_id=role_id, group_id=group_id
        )

    @endpoint("GET", "/organization/groups/{group_id}/roles", _ListArgs)
    def list(
        self, group_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[RoleListResponse, AsyncNextCursorPage[RoleListResponse]]:
        """The roles of a group: ``await`` it for the first page, ``async for`` every one
        (later pages fetched as the loop reaches them).
        """
        return self._pages(
            Roles.list, RoleListResponse, params, {"group_id": group_id}, page=AsyncNextCursorPage
        )

    @endpoint("GET", "/organization/groups/{group_id}/roles/{role_id}")
    async def retrieve(
        self, role_id: str, *, group_id: str, **options: Unpack[RequestOptions]
    ) -> RoleRetrieveResponse:
        """Retrieve the role of a group. Raises NotFoundError when there is none."""
        return await self._call(
            Roles.retrieve, RoleRetrieveResponse, options, role_id=role_id, group_id=group_id
        )
