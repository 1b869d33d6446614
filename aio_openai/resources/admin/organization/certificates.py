"""``client.admin.organization.certificates``: ``/organization/certificates``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncConversationCursorPage, AsyncPage, AsyncPaginator
from ...._resource import AdminResource
from ...._types import RequestOptions
from ....types.admin.organization.certificate import Certificate
from ....types.admin.organization.certificate_activate_params import CertificateActivateParams
from ....types.admin.organization.certificate_activate_response import CertificateActivateResponse
from ....types.admin.organization.certificate_create_params import CertificateCreateParams
from ....types.admin.organization.certificate_deactivate_params import CertificateDeactivateParams
from ....types.admin.organization.certificate_deactivate_response import (
    CertificateDeactivateResponse,
)
from ....types.admin.organization.certificate_delete_response import CertificateDeleteResponse
from ....types.admin.organization.certificate_list_params import CertificateListParams
from ....types.admin.organization.certificate_list_response import CertificateListResponse
from ....types.admin.organization.certificate_retrieve_params import CertificateRetrieveParams
from ....types.admin.organization.certificate_update_params import CertificateUpdateParams

__all__ = ["Certificates"]


class _ActivateArgs(CertificateActivateParams, RequestOptions, total=False): ...


class _CreateArgs(CertificateCreateParams, RequestOptions, total=False): ...


class _DeactivateArgs(CertificateDeactivateParams, RequestOptions, total=False): ...


class _ListArgs(CertificateListParams, RequestOptions, total=False): ...


class _RetrieveArgs(CertificateRetrieveParams, RequestOptions, total=False): ...


class _UpdateArgs(CertificateUpdateParams, RequestOptions, total=False): ...


class Certificates(AdminResource):
    """``client.admin.organization.certificates``: activate, create, deactivate, delete, list,
    retrieve, update.
    """

    __slots__ = ()

    @endpoint("POST", "/organization/certificates/activate", _ActivateArgs)
    def activate(
        self, **params: Unpack[_ActivateArgs]
    ) -> AsyncPaginator[CertificateActivateResponse, AsyncPage[CertificateActivateResponse]]:
        """Activate certificates of the organization (``certificate_ids``), answered in one
        page: ``await`` it for the page, ``async for`` every certificate.
        """
        return self._post_page(Certificates.activate, CertificateActivateResponse, params)

    @endpoint("POST", "/organization/certificates", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> Certificate:
        """Create a certificate of the organization; returns it. Raises BadRequestError for a
        bad parameter.
        """
        return await self._call(Certificates.create, Certificate, params)

    @endpoint("POST", "/organization/certificates/deactivate", _DeactivateArgs)
    def deactivate(
        self, **params: Unpack[_DeactivateArgs]
    ) -> AsyncPaginator[CertificateDeactivateResponse, AsyncPage[CertificateDeactivateResponse]]:
        """Deactivate certificates of the organization (``certificate_ids``), answered in one
        page: ``await`` it for the page, ``async for`` every certificate.
        """
        return self._post_page(Certificates.deactivate, CertificateDeactivateResponse, params)

    @endpoint("DELETE", "/organization/certificates/{certificate_id}")
    async def delete(
        self, certificate_id: str, **options: Unpack[RequestOptions]
    ) -> CertificateDeleteResponse:
        """Delete the certificate of the organization; returns the deletion's answer. Raises
        NotFoundError when there is none.
        """
        return await self._call(
            Certificates.delete, CertificateDeleteResponse, options, certificate_id=certificate_id
        )

    @endpoint("GET", "/organization/certificates", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[
        CertificateListResponse, AsyncConversationCursorPage[CertificateListResponse]
    ]:
        """The certificates of the organization: ``await`` it for the first page, ``async for``
        every one (later pages fetched as the loop reaches them).
        """
        return self._pages(
            Certificates.list, CertificateListResponse, params, {}, page=AsyncConversationCursorPage
        )

    @endpoint("GET", "/organization/certificates/{certificate_id}", _RetrieveArgs)
    async def retrieve(self, certificate_id: str, **params: Unpack[_RetrieveArgs]) -> Certificate:
        """Retrieve the certificate of the organization. Raises NotFoundError when there is
        none.
        """
        return await self._call(
            Certificates.retrieve, Certificate, params, certificate_id=certificate_id
        )

    @endpoint("POST", "/organization/certificates/{certificate_id}", _UpdateArgs)
    async def update(self, certificate_id: str, **params: Unpack[_UpdateArgs]) -> Certificate:
        """Change the given fields of the certificate of the organization; returns it. Raises
        NotFoundError when there is none.
        """
        return await self._call(
            Certificates.update, Certificate, params, certificate_id=certificate_id
        )
