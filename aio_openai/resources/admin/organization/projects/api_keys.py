"""``client.admin.organization.projects.api_keys``:
``/organization/projects/{project_id}/api_keys``.
"""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncConversationCursorPage, AsyncPaginator
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.projects.api_key_delete_response import APIKeyDeleteResponse
from .....types.admin.organization.projects.api_key_list_params import APIKeyListParams
from .....types.admin.organization.projects.api_key_update_params import APIKeyUpdateParams
from .....types.admin.organization.projects.project_api_key import ProjectAPIKey

__all__ = ["APIKeys"]


class _ListArgs(APIKeyListParams, RequestOptions, total=False): ...


class _UpdateArgs(APIKeyUpdateParams, RequestOptions, total=False): ...


class APIKeys(AdminResource):
    """``client.admin.organization.projects.api_keys``: delete, list, retrieve, update."""

    __slots__ = ()

    @endpoint("DELETE", "/organization/projects/{project_id}/api_keys/{api_key_id}")
    async def delete(
        self, api_key_id: str, *, project_id: str, **options: Unpack[RequestOptions]
    ) -> APIKeyDeleteResponse:
        """Delete the API key of a project; returns the deletion's answer. Raises NotFoundError
        when there is none.
        """
        return await self._call(
            APIKeys.delete,
            APIKeyDeleteResponse,
            options,
            api_key_id=api_key_id,
            project_id=project_id,
        )

    @endpoint("GET", "/organization/projects/{project_id}/api_keys", _ListArgs)
    def list(
        self, project_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[ProjectAPIKey, AsyncConversationCursorPage[ProjectAPIKey]]:
        """The API keys of a project: ``await`` it for the first page, ``async for`` every one
        (later pages fetched as the loop reaches them).
        """
        return self._pages(
            APIKeys.list,
            ProjectAPIKey,
            params,
            {"project_id": project_id},
            page=AsyncConversationCursorPage,
        )

    @endpoint("GET", "/organization/projects/{project_id}/api_keys/{api_key_id}")
    async def retrieve(
        self, api_key_id: str, *, project_id: str, **options: Unpack[RequestOptions]
    ) -> ProjectAPIKey:
        """Retrieve the API key of a project. Raises NotFoundError when there is none."""
        return await self._call(
            APIKeys.retrieve, ProjectAPIKey, options, api_key_id=api_key_id, project_id=project_id
        )

    @endpoint("POST", "/organization/projects/{project_id}/api_keys/{api_key_id}", _UpdateArgs)
    async def update(self, api_key_id: str, **params: Unpack[_UpdateArgs]) -> ProjectAPIKey:
        """Change the given fields of the API key of a project; returns it. Raises
        NotFoundError when there is none.
        """
        return await self._call(APIKeys.update, ProjectAPIKey, params, api_key_id=api_key_id)
