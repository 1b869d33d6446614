"""``client.admin.organization.projects.service_accounts.api_keys``:
``/organization/projects/{project_id}/service_accounts/{service_account_id}/api_keys``.
"""

from __future__ import annotations

from typing import Unpack

from ......_endpoints import endpoint
from ......_resource import AdminResource
from ......_types import RequestOptions
from ......types.admin.organization.projects.service_accounts.api_key_create_params import (
    APIKeyCreateParams,
)
from ......types.admin.organization.projects.service_accounts.api_key_create_response import (
    APIKeyCreateResponse,
)

__all__ = ["APIKeys"]


class _CreateArgs(APIKeyCreateParams, RequestOptions, total=False): ...


class APIKeys(AdminResource):
    """``client.admin.organization.projects.service_accounts.api_keys``: create."""

    __slots__ = ()

    @endpoint(
        "POST",
        "/organization/projects/{project_id}/service_accounts/{service_account_id}/api_keys",
        _CreateArgs,
    )
    async def create(
        self, service_account_id: str, **params: Unpack[_CreateArgs]
    ) -> APIKeyCreateResponse:
        """Create an API key of a service account; returns it. Raises BadRequestError for a bad
        parameter.
        """
        return await self._call(
            APIKeys.create, APIKeyCreateResponse, params, service_account_id=service_account_id
        )
