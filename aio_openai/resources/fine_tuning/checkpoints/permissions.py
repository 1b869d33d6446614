"""Who may use a fine-tuned checkpoint:
``/fine_tuning/checkpoints/{fine_tuned_model_checkpoint}/permissions``.

An organization's owner shares a checkpoint (a fine-tuned model, or one of its
checkpoints) with projects of the organization; each grant is a permission of its own.
"""

from __future__ import annotations

import warnings
from typing import Final, Unpack

from ...._endpoints import endpoint, takes
from ...._pagination import AsyncConversationCursorPage, AsyncPage, AsyncPaginator
from ...._resource import APIResource
from ...._types import RequestOptions
from ....types.fine_tuning.checkpoints.permission_create_params import PermissionCreateParams
from ....types.fine_tuning.checkpoints.permission_create_response import (
    PermissionCreateResponse,
)
from ....types.fine_tuning.checkpoints.permission_delete_response import (
    PermissionDeleteResponse,
)
from ....types.fine_tuning.checkpoints.permission_list_params import PermissionListParams
from ....types.fine_tuning.checkpoints.permission_list_response import PermissionListResponse
from ....types.fine_tuning.checkpoints.permission_retrieve_params import (
    PermissionRetrieveParams,
)
from ....types.fine_tuning.checkpoints.permission_retrieve_response import (
    PermissionRetrieveResponse,
)

__all__ = ["RETRIEVE_DEPRECATED", "Permissions"]

#: The DeprecationWarning of :meth:`Permissions.retrieve` (the official SDK's words).
RETRIEVE_DEPRECATED: Final = (
    "Retrieve is deprecated. Please swap to the paginated list method instead."
)


class _CreateArgs(PermissionCreateParams, RequestOptions, total=False): ...


class _ListArgs(PermissionListParams, RequestOptions, total=False): ...


class _RetrieveArgs(PermissionRetrieveParams, RequestOptions, total=False): ...


_PATH: Final = "/fine_tuning/checkpoints/{fine_tuned_model_checkpoint}/permissions"


class Permissions(APIResource):
    """``client.fine_tuning.checkpoints.permissions``: create, list, retrieve (deprecated),
    delete."""

    __slots__ = ()

    @endpoint("POST", _PATH, _CreateArgs)
    def create(
        self, fine_tuned_model_checkpoint: str, **params: Unpack[_CreateArgs]
    ) -> AsyncPaginator[PermissionCreateResponse, AsyncPage[PermissionCreateResponse]]:
        """Share a checkpoint with the projects ``project_ids``: ``await`` it for the page
        of the permissions made (one a project). Raises NotFoundError for an unknown
        checkpoint."""
        return self._post_page(
            Permissions.create,
            PermissionCreateResponse,
            params,
            fine_tuned_model_checkpoint=fine_tuned_model_checkpoint,
        )

    @endpoint("GET", _PATH, _ListArgs)
    def list(
        self, fine_tuned_model_checkpoint: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[
        PermissionListResponse, AsyncConversationCursorPage[PermissionListResponse]
    ]:
        """A checkpoint's permissions (oldest first; ``order="descending"`` for newest
        first), those of ``project_id`` only if given: ``await`` it for the first page,
        ``async for`` every one."""
        return self._pages(
            Permissions.list,
            PermissionListResponse,
            params,
            {"fine_tuned_model_checkpoint": fine_tuned_model_checkpoint},
            page=AsyncConversationCursorPage,
        )

    @takes(_RetrieveArgs)
    async def retrieve(
        self, fine_tuned_model_checkpoint: str, **params: Unpack[_RetrieveArgs]
    ) -> PermissionRetrieveResponse:
        """One page of a checkpoint's permissions, as one object (deprecated, as in the
        official SDK, which warns the same: use :meth:`list`). The request is :meth:`list`'s,
        sent through its declaration (one endpoint, two answers' shapes)."""
        warnings.warn(RETRIEVE_DEPRECATED, DeprecationWarning, stacklevel=2)
        return await self._call(
            Permissions.list,
            PermissionRetrieveResponse,
            params,
            fine_tuned_model_checkpoint=fine_tuned_model_checkpoint,
        )

    @endpoint("DELETE", _PATH + "/{permission_id}")
    async def delete(
        self,
        permission_id: str,
        *,
        fine_tuned_model_checkpoint: str,
        **options: Unpack[RequestOptions],
    ) -> PermissionDeleteResponse:
        """Withdraw a permission. Raises NotFoundError for an unknown checkpoint or
        permission."""
        return await self._call(
            Permissions.delete,
            PermissionDeleteResponse,
            options,
            fine_tuned_model_checkpoint=fine_tuned_model_checkpoint,
            permission_id=permission_id,
        )
