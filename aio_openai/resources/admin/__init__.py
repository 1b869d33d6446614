"""``client.admin``."""

from __future__ import annotations

from ..._resource import AdminResource
from .organization import Organization

__all__ = ["Admin", "Organization"]


class Admin(AdminResource):
    """``client.admin``: organization."""

    __slots__ = ()

    @property
    def organization(self) -> Organization:
        """``admin.organization``: admin_api_keys, audit_logs, certificates, data_retention,
        external_keys, external_storage, groups, health, invites, projects, roles,
        spend_alerts, spend_limit, usage, users, workload_identity_providers.
        """
        return Organization(self._client, raw=self._raw)
