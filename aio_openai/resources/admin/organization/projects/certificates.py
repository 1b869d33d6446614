"""``client.admin.organization.projects.certificates``:
``/organization/projects/{project_id}/certificates``.
"""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncConversationCursorPage, AsyncPage, AsyncPaginator
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.projects.certificate_activate_params import (
    CertificateActivateParams,
)
from .....types.admin.organization.projects.certificate_activate_response import (
    CertificateActivateResponse,
)
from .....types.admin.organization.projects.certificate_deactivate_params import (
    CertificateDeactivateParams,
)
from .....types.admin.organization.projects.certificate_deactivate_response import (
    CertificateDeactivateResponse,
)
from .....types.admin.organization.projects.certificate_list_params import CertificateListParams
from .....types.admin.organization.projects.certificate_list_response import CertificateListResponse

__all__ = ["Certificates"]


class _ActivateArgs(CertificateActivateParams, RequestOptions, total=False): ...


class _DeactivateArgs(CertificateDeactivateParams, RequestOptions, total=False): ...


class _ListArgs(CertificateListParams, RequestOptions, total=False): ...


class Certificates(AdminResource):
    """``client.admin.organization.projects.certificates``: activate, deactivate, list."""

    __slots__ = ()

    @endpoint("POST", "/organization/projects/{project_id}/certificates/activate", _ActivateArgs)
    def activate(
        self, project_id: str, **params: Unpack[_ActivateArgs]
    ) -> AsyncPaginator[CertificateActivateResponse, AsyncPage[CertificateActivateResponse]]:
        """Activate certificates of a project (``certificate_ids``), answered in one page:
        ``await`` it for the page, ``async for`` every certificate.
        """
        return self._post_page(
            Certificates.activate, CertificateActivateResponse, params, project_id=project_id
        )

    @endpoint(
        "POST", "/organization/projects/{project_id}/certificates/deactivate", _DeactivateArgs
    )
    def deactivate(
        self, project_id: str, **params: Unpack[_DeactivateArgs]
    ) -> AsyncPaginator[CertificateDeactivateResponse, AsyncPage[CertificateDeactivateResponse]]:
        """Deactivate certificates of a project (``certificate_ids``), answered in one page:
        ``await`` it for the page, ``async for`` every certificate.
        """
        return self._post_page(
            Certificates.deactivate, CertificateDeactivateResponse, params, project_id=project_id
        )

    @endpoint("GET", "/organization/projects/{project_id}/certificates", _ListArgs)
    def list(
        self, project_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[
        CertificateListResponse, AsyncConversationCursorPage[CertificateListResponse]
    ]:
        """The certificates of a project: ``await`` it for the first page, ``async for`` every
        one (later pages fetched as the loop reaches them).
        """
        return self._pages(
            Certificates.list,
            CertificateListResponse,
            params,
            {"project_id": project_id},
            page=AsyncConversationCursorPage,
        )
