"""``client.admin.organization.projects.groups``:
``/organization/projects/{project_id}/groups``.
"""

from __future__ import annotations

from typing import Unpack

from ......_endpoints import endpoint
from ......_pagination import AsyncNextCursorPage, AsyncPaginator
from ......_resource import AdminResource
from ......_types import RequestOptions
from ......types.admin.organization.projects.group_create_params import GroupCreateParams
from ......types.admin.organization.projects.group_delete_response import GroupDeleteResponse
from ......types.admin.organization.projects.group_list_params import GroupListParams
from ......types.admin.organization.projects.group_retrieve_params import GroupRetrieveParams
from ......types.admin.organization.projects.project_group import ProjectGroup
from .roles import Roles

__all__ = ["Groups", "Roles"]


class _CreateArgs(GroupCreateParams, RequestOptions, total=False): ...


class _ListArgs(GroupListParams, RequestOptions, total=False): ...


class _RetrieveArgs(GroupRetrieveParams, RequestOptions, total=False): ...


class Groups(AdminResource):
    """``client.admin.organization.projects.groups``: create, delete, list, retrieve, roles."""

    __slots__ = ()

    @property
    def roles(self) -> Roles:
        """``admin.organization.projects.groups.roles``: create, delete, list, retrieve."""
        return Roles(self._client, raw=self._raw)

    @endpoint("POST", "/organization/projects/{project_id}/groups", _CreateArgs)
    async def create(self, project_id: str, **params: Unpack[_CreateArgs]) -> ProjectGroup:
        """Create a group of a project; returns it. Raises BadRequestError for a bad parameter."""
        return await self._call(Groups.create, ProjectGroup, params, project_id=project_id)

    @endpoint("DELETE", "/organization/projects/{project_id}/groups/{group_id}")
    async def delete(
        self, group_id: str, *, project_id: str, **options: Unpack[RequestOptions]
    ) -> GroupDeleteResponse:
        """Delete the group of a project; returns the deletion's answer. Raises NotFoundError
        when there is none.
        """
        return await self._call(
            Groups.delete, GroupDeleteResponse, options, group_id=group_id, project_id=project_id
        )

    @endpoint("GET", "/organization/projects/{project_id}/groups", _ListArgs)
    def list(
        self, project_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[ProjectGroup, AsyncNextCursorPage[ProjectGroup]]:
        """The groups of a project: ``await`` it for the first page, ``async for`` every one
        (later pages fetched as the loop reaches them).
        """
        return self._pages(
            Groups.list, ProjectGroup, params, {"project_id": project_id}, page=AsyncNextCursorPage
        )

    @endpoint("GET", "/organization/projects/{project_id}/groups/{group_id}", _RetrieveArgs)
    async def retrieve(self, group_id: str, **params: Unpack[_RetrieveArgs]) -> ProjectGroup:
        """Retrieve the group of a project. Raises NotFoundError when there is none."""
        return await self._call(Groups.retrieve, ProjectGroup, params, group_id=group_id)
