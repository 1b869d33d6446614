"""``client.admin.organization.groups.users``: ``/organization/groups/{group_id}/users``."""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncNextCursorPage, AsyncPaginator
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.groups.organization_group_user import OrganizationGroupUser
from .....types.admin.organization.groups.user_create_params import UserCreateParams
from .....types.admin.organization.groups.user_create_response import UserCreateResponse
from .....types.admin.organization.groups.user_delete_response import UserDeleteResponse
from .....types.admin.organization.groups.user_list_params import UserListParams
from .....types.admin.organization.groups.user_retrieve_response import UserRetrieveResponse

__all__ = ["Users"]


class _CreateArgs(UserCreateParams, RequestOptions, total=False): ...


class _ListArgs(UserListParams, RequestOptions, total=False): ...


class Users(AdminResource):
    """``client.admin.organization.groups.users``: create, delete, list, retrieve."""

    __slots__ = ()

    @endpoint("POST", "/organization/groups/{group_id}/users", _CreateArgs)
    async def create(self, group_id: str, **params: Unpack[_CreateArgs]) -> UserCreateResponse:
        """Add a user to a group; returns the membership. Raises BadRequestError for a bad
        parameter."""
        return await self._call(Users.create, UserCreateResponse, params, group_id=group_id)

    @endpoint("DELETE", "/organization/groups/{group_id}/users/{user_id}")
    async def delete(
        self, user_id: str, *, group_id: str, **options: Unpack[RequestOptions]
    ) -> UserDeleteResponse:
        """Delete the user of a group; returns the deletion's answer. Raises NotFoundError when
        there is none.
        """
        return await self._call(
            Users.delete, UserDeleteResponse, options, user_id=user_id, group_id=group_id
        )

    @endpoint("GET", "/organization/groups/{group_id}/users", _ListArgs)
    def list(
        self, group_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[OrganizationGroupUser, AsyncNextCursorPage[OrganizationGroupUser]]:
        """The users of a group: ``await`` it for the first page, ``async for`` every one
        (later pages fetched as the loop reaches them).
        """
        return self._pages(
            Users.list,
            OrganizationGroupUser,
            params,
            {"group_id": group_id},
            page=AsyncNextCursorPage,
        )

    @endpoint("GET", "/organization/groups/{group_id}/users/{user_id}")
    async def retrieve(
        self, user_id: str, *, group_id: str, **options: Unpack[RequestOptions]
    ) -> UserRetrieveResponse:
        """Retrieve the user of a group. Raises NotFoundError when there is none."""
        return await self._call(
            Users.retrieve, UserRetrieveResponse, options, user_id=user_id, group_id=group_id
        )
