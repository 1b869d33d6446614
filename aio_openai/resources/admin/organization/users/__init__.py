"""``client.admin.organization.users``: ``/organization/users``."""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncConversationCursorPage, AsyncPaginator
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.organization_user import OrganizationUser
from .....types.admin.organization.user_delete_response import UserDeleteResponse
from .....types.admin.organization.user_list_params import UserListParams
from .....types.admin.organization.user_update_params import UserUpdateParams
from .roles import Roles

__all__ = ["Roles", "Users"]


class _ListArgs(UserListParams, RequestOptions, total=False): ...


class _UpdateArgs(UserUpdateParams, RequestOptions, total=False): ...


class Users(AdminResource):
    """``client.admin.organization.users``: delete, list, retrieve, update, roles."""

    __slots__ = ()

    @property
    def roles(self) -> Roles:
        """``admin.organization.users.roles``: create, delete, list, retrieve."""
        return Roles(self._client, raw=self._raw)

    @endpoint("DELETE", "/organization/users/{user_id}")
    async def delete(self, user_id: str, **options: Unpack[RequestOptions]) -> UserDeleteResponse:
        """Delete the user of the organization; returns the deletion's answer. Raises
        NotFoundError when there is none.
        """
        return await self._call(Users.delete, UserDeleteResponse, options, user_id=user_id)

    @endpoint("GET", "/organization/users", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[OrganizationUser, AsyncConversationCursorPage[OrganizationUser]]:
        """The users of the organization: ``await`` it for the first page, ``async for`` every
        one (later pages fetched as the loop reaches them).
        """
        return self._pages(
            Users.list, OrganizationUser, params, {}, page=AsyncConversationCursorPage
        )

    @endpoint("GET", "/organization/users/{user_id}")
    async def retrieve(self, user_id: str, **options: Unpack[RequestOptions]) -> OrganizationUser:
        """Retrieve the user of the organization. Raises NotFoundError when there is none."""
        return await self._call(Users.retrieve, OrganizationUser, options, user_id=user_id)

    @endpoint("POST", "/organization/users/{user_id}", _UpdateArgs)
    async def update(self, user_id: str, **params: Unpack[_UpdateArgs]) -> OrganizationUser:
        """Change the given fields of the user of the organization; returns it. Raises
        NotFoundError when there is none.
        """
        return await self._call(Users.update, OrganizationUser, params, user_id=user_id)
