"""``client.admin.organization.invites``: ``/organization/invites``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncConversationCursorPage, AsyncPaginator
from ...._resource import AdminResource
from ...._types import RequestOptions
from ....types.admin.organization.invite import Invite
from ....types.admin.organization.invite_create_params import InviteCreateParams
from ....types.admin.organization.invite_delete_response import InviteDeleteResponse
from ....types.admin.organization.invite_list_params import InviteListParams

__all__ = ["Invites"]


class _CreateArgs(InviteCreateParams, RequestOptions, total=False): ...


class _ListArgs(InviteListParams, RequestOptions, total=False): ...


class Invites(AdminResource):
    """``client.admin.organization.invites``: create, delete, list, retrieve."""

    __slots__ = ()

    @endpoint("POST", "/organization/invites", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> Invite:
        """Create an invite of the organization; returns it. Raises BadRequestError for a bad
        parameter.
        """
        return await self._call(Invites.create, Invite, params)

    @endpoint("DELETE", "/organization/invites/{invite_id}")
    async def delete(
        self, invite_id: str, **options: Unpack[RequestOptions]
    ) -> InviteDeleteResponse:
        """Delete the invite of the organization; returns the deletion's answer. Raises
        NotFoundError when there is none.
        """
        return await self._call(Invites.delete, InviteDeleteResponse, options, invite_id=invite_id)

    @endpoint("GET", "/organization/invites", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[Invite, AsyncConversationCursorPage[Invite]]:
        """The invites of the organization: ``await`` it for the first page, ``async for``
        every one (later pages fetched as the loop reaches them).
        """
        return self._pages(Invites.list, Invite, params, {}, page=AsyncConversationCursorPage)

    @endpoint("GET", "/organization/invites/{invite_id}")
    async def retrieve(self, invite_id: str, **options: Unpack[RequestOptions]) -> Invite:
        """Retrieve the invite of the organization. Raises NotFoundError when there is none."""
        return await self._call(Invites.retrieve, Invite, options, invite_id=invite_id)
