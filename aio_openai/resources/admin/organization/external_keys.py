"""``client.admin.organization.external_keys``: ``/organization/external_keys``."""

from __future__ import annotations

from typing import Literal, Required, Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator
from ...._resource import AdminResource
from ...._types import RequestOptions
from ....types.admin.organization.external_key import ExternalKey
from ....types.admin.organization.external_key_list_params import ExternalKeyListParams
from ....types.admin.organization.external_key_validate_response import ExternalKeyValidateResponse

__all__ = ["ExternalKeys"]


class _CreateArgs(RequestOptions, total=False):
    # ExternalKeyCreateParams is a union of one TypedDict per provider (``type``): every key
    # of each, those all share required, the provider's own left to the server to check
    name: Required[str]
    type: Required[Literal["aws", "gcp", "azure", "oci"]]
    purpose: Literal["ekm", "psp_decryption"]
    external_id: str
    kms_arn: str
    role_arn: str
    audience: str
    kms_key_location: str
    kms_key_name: str
    kms_key_ring_name: str
    kms_project_id: str
    workload_identity_pool_id: str
    workload_identity_project_number: str
    workload_identity_provider_id: str
    kms_key_version: str
    key_name: str
    tenant_id: str
    vault_uri: str
    key_version: str
    key_ocid: str
    region: str
    vault_ocid: str
    key_version_ocid: str


class _ListArgs(ExternalKeyListParams, RequestOptions, total=False): ...


class ExternalKeys(AdminResource):
    """``client.admin.organization.external_keys``: create, delete, list, retrieve, validate."""

    __slots__ = ()

    @endpoint("POST", "/organization/external_keys", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> ExternalKey:
        """Create an external key of the organization (AWS, GCP, Azure or OCI, by ``type``,
        with that provider's fields); returns it. Raises BadRequestError for a bad parameter.
        """
        return await self._call(ExternalKeys.create, ExternalKey, params)

    @endpoint("DELETE", "/organization/external_keys/{external_key_id}")
    async def delete(self, external_key_id: str, **options: Unpack[RequestOptions]) -> ExternalKey:
        """Delete the external key of the organization; returns the deletion's answer. Raises
        NotFoundError when there is none.
        """
        return await self._call(
            ExternalKeys.delete, ExternalKey, options, external_key_id=external_key_id
        )

    @endpoint("GET", "/organization/external_keys", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[ExternalKey, AsyncCursorPage[ExternalKey]]:
        """The external keys of the organization: ``await`` it for the first page, ``async
        for`` every one (later pages fetched as the loop reaches them).
        """
        return self._list(ExternalKeys.list, ExternalKey, params)

    @endpoint("GET", "/organization/external_keys/{external_key_id}")
    async def retrieve(
        self, external_key_id: str, **options: Unpack[RequestOptions]
    ) -> ExternalKey:
        """Retrieve the external key of the organization. Raises NotFoundError when there is
        none.
        """
        return await self._call(
            ExternalKeys.retrieve, ExternalKey, options, external_key_id=external_key_id
        )

    @endpoint("POST", "/organization/external_keys/{external_key_id}/validate")
    async def validate(
        self, external_key_id: str, **options: Unpack[RequestOptions]
    ) -> ExternalKeyValidateResponse:
        """Check that OpenAI can use an external key (its provider answers); returns what the
        check found.
        """
        return await self._call(
            ExternalKeys.validate,
            ExternalKeyValidateResponse,
            options,
            external_key_id=external_key_id,
        )
