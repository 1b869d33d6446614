"""``client.admin.organization.audit_logs``: ``/organization/audit_logs``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncConversationCursorPage, AsyncPaginator
from ...._resource import AdminResource
from ...._types import RequestOptions
from ....types.admin.organization.audit_log_list_params import AuditLogListParams
from ....types.admin.organization.audit_log_list_response import AuditLogListResponse

__all__ = ["AuditLogs"]


class _ListArgs(AuditLogListParams, RequestOptions, total=False): ...


class AuditLogs(AdminResource):
    """``client.admin.organization.audit_logs``: list."""

    __slots__ = ()

    @endpoint("GET", "/organization/audit_logs", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[AuditLogListResponse, AsyncConversationCursorPage[AuditLogListResponse]]:
        """The audit log entries of the organization: ``await`` it for the first page, ``async
        for`` every one (later pages fetched as the loop reaches them).
        """
        return self._pages(
            AuditLogs.list, AuditLogListResponse, params, {}, page=AsyncConversationCursorPage
        )
