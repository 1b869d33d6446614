"""``client.admin.organization.groups``: ``/organization/groups``."""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncNextCursorPage, AsyncPaginator
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.group import Group
from .....types.admin.organization.group_create_params import GroupCreateParams
from .....types.admin.organization.group_delete_response import GroupDeleteResponse
from .....types.admin.organization.group_list_params import GroupListParams
from .....types.admin.organization.group_update_params import GroupUpdateParams
from .....types.admin.organization.group_update_response import GroupUpdateResponse
from .roles import Roles
from .users import Users

__all__ = ["Groups", "Roles", "Users"]


class _CreateArgs(GroupCreateParams, RequestOptions, total=False): ...


class _ListArgs(GroupListParams, RequestOptions, total=False): ...


class _UpdateArgs(GroupUpdateParams, RequestOptions, total=False): ...


class Groups(AdminResource):
    """``client.admin.organization.groups``: create, delete, list, retrieve, update, roles,
    users.
    """

    __slots__ = ()

    @property
    def roles(self) -> Roles:
        """``admin.organization.groups.roles``: create, delete, list, retrieve."""
        return Roles(self._client, raw=self._raw)

    @property
    def users(self) -> Users:
        """``admin.organization.groups.users``: create, delete, list, retrieve."""
        return Users(self._client, raw=self._raw)

    @endpoint("POST", "/organization/groups", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> Group:
        """Create a group of the organization; returns it. Raises BadRequestError for a bad
        parameter.
        """
        return await self._call(Groups.create, Group, params)

    @endpoint("DELETE", "/organization/groups/{group_id}")
    async def delete(self, group_id: str, **options: Unpack[RequestOptions]) -> GroupDeleteResponse:
        """Delete the group of the organization; returns the deletion's answer. Raises
        NotFoundError when there is none.
        """
        return await self._call(Groups.delete, GroupDeleteResponse, options, group_id=group_id)

    @endpoint("GET", "/organization/groups", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[Group, AsyncNextCursorPage[Group]]:
        """The groups of the organization: ``await`` it for the first page, ``async for`` every
        one (later pages fetched as the loop reaches them).
        """
        return self._pages(Groups.list, Group, params, {}, page=AsyncNextCursorPage)

    @endpoint("GET", "/organization/groups/{group_id}")
    async def retrieve(self, group_id: str, **options: Unpack[RequestOptions]) -> Group:
        """Retrieve the group of the organization. Raises NotFoundError when there is none."""
        return await self._call(Groups.retrieve, Group, options, group_id=group_id)

    @endpoint("POST", "/organization/groups/{group_id}", _UpdateArgs)
    async def update(self, group_id: str, **params: Unpack[_UpdateArgs]) -> GroupUpdateResponse:
        """Change the given fields of the group of the organization; returns it. Raises
        NotFoundError when there is none.
        """
        return await self._call(Groups.update, GroupUpdateResponse, params, group_id=group_id)
