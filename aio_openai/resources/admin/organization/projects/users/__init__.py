"""``client.admin.organization.projects.users``: ``/organization/projects/{project_id}/users``."""

from __future__ import annotations

from typing import Unpack

from ......_endpoints import endpoint
from ......_pagination import AsyncConversationCursorPage, AsyncPaginator
from ......_resource import AdminResource
from ......_types import RequestOptions
from ......types.admin.organization.projects.project_user import ProjectUser
from ......types.admin.organization.projects.user_create_params import UserCreateParams
from ......types.admin.organization.projects.user_delete_response import UserDeleteResponse
from ......types.admin.organization.projects.user_list_params import UserListParams
from ......types.admin.organization.projects.user_update_params import UserUpdateParams
from .roles import Roles

__all__ = ["Roles", "Users"]


class _CreateArgs(UserCreateParams, RequestOptions, total=False): ...


class _ListArgs(UserListParams, RequestOptions, total=False): ...


class _UpdateArgs(UserUpdateParams, RequestOptions, total=False): ...


class Users(AdminResource):
    """``client.admin.organization.projects.users``: create, delete, list, retrieve, update,
    roles.
    """

    __slots__ = ()

    @property
    def roles(self) -> Roles:
        """``admin.organization.projects.users.roles``: create, delete, list, retrieve."""
        return Roles(self._client, raw=self._raw)

    @endpoint("POST", "/organization/projects/{project_id}/users", _CreateArgs)
    async def create(self, project_id: str, **params: Unpack[_CreateArgs]) -> ProjectUser:
        """Add a user of the organization (``user_id`` or ``email``) to a project, with a
        ``role``; returns the member. Raises BadRequestError for a bad parameter."""
        return await self._call(Users.create, ProjectUser, params, project_id=project_id)

    @endpoint("DELETE", "/organization/projects/{project_id}/users/{user_id}")
    async def delete(
        self, user_id: str, *, project_id: str, **options: Unpack[RequestOptions]
    ) -> UserDeleteResponse:
        """Delete the user of a project; returns the deletion's answer. Raises NotFoundError
        when there is none.
        """
        return await self._call(
            Users.delete, UserDeleteResponse, options, user_id=user_id, project_id=project_id
        )

    @endpoint("GET", "/organization/projects/{project_id}/users", _ListArgs)
    def list(
        self, project_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[ProjectUser, AsyncConversationCursorPage[ProjectUser]]:
        """The users of a project: ``await`` it for the first page, ``async for`` every one
        (later pages fetched as the loop reaches them).
        """
        return self._pages(
            Users.list,
            ProjectUser,
            params,
            {"project_id": project_id},
            page=AsyncConversationCursorPage,
        )

    @endpoint("GET", "/organization/projects/{project_id}/users/{user_id}")
    async def retrieve(
        self, user_id: str, *, project_id: str, **options: Unpack[RequestOptions]
    ) -> ProjectUser:
        """Retrieve the user of a project. Raises NotFoundError when there is none."""
        return await self._call(
            Users.retrieve, ProjectUser, options, user_id=user_id, project_id=project_id
        )

    @endpoint("POST", "/organization/projects/{project_id}/users/{user_id}", _UpdateArgs)
    async def update(self, user_id: str, **params: Unpack[_UpdateArgs]) -> ProjectUser:
        """Change the given fields of the user of a project; returns it. Raises NotFoundError
        when there is none.
        """
        return await self._call(Users.update, ProjectUser, params, user_id=user_id)
