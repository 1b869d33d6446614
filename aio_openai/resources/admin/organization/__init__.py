"""``client.admin.organization``."""

from __future__ import annotations

from ...._resource import AdminResource
from .admin_api_keys import AdminAPIKeys
from .audit_logs import AuditLogs
from .certificates import Certificates
from .data_retention import DataRetention
from .external_keys import ExternalKeys
from .external_storage import ExternalStorage
from .groups import Groups
from .health import Health
from .invites import Invites
from .projects import Projects
from .roles import Roles
from .spend_alerts import SpendAlerts
from .spend_limit import SpendLimit
from .usage import Usage
from .users import Users
from .workload_identity_providers import WorkloadIdentityProviders

__all__ = [
    "AdminAPIKeys",
    "AuditLogs",
    "Certificates",
    "DataRetention",
    "ExternalKeys",
    "ExternalStorage",
    "Groups",
    "Health",
    "Invites",
    "Organization",
    "Projects",
    "Roles",
    "SpendAlerts",
    "SpendLimit",
    "Usage",
    "Users",
    "WorkloadIdentityProviders",
]


class Organization(AdminResource):
    """``client.admin.organization``: admin_api_keys, audit_logs, certificates, data_retention,
    external_keys, external_storage, groups, health, invites, projects, roles, spend_alerts,
    spend_limit, usage, users, workload_identity_providers.
    """

    __slots__ = ()

    @property
    def admin_api_keys(self) -> AdminAPIKeys:
        """``admin.organization.admin_api_keys``: create, delete, list, retrieve."""
        return AdminAPIKeys(self._client, raw=self._raw)

    @property
    def audit_logs(self) -> AuditLogs:
        """``admin.organization.audit_logs``: list."""
        return AuditLogs(self._client, raw=self._raw)

    @property
    def certificates(self) -> Certificates:
        """``admin.organization.certificates``: activate, create, deactivate, delete, list,
        retrieve, update.
        """
        return Certificates(self._client, raw=self._raw)

    @property
    def data_retention(self) -> DataRetention:
        """``admin.organization.data_retention``: retrieve, update."""
        return DataRetention(self._client, raw=self._raw)

    @property
    def external_keys(self) -> ExternalKeys:
        """``admin.organization.external_keys``: create, delete, list, retrieve, validate."""
        return ExternalKeys(self._client, raw=self._raw)

    @property
    def external_storage(self) -> ExternalStorage:
        """``admin.organization.external_storage``: create, delete, list, retrieve, validate."""
        return ExternalStorage(self._client, raw=self._raw)

    @property
    def groups(self) -> Groups:
        """``admin.organization.groups``: create, delete, list, retrieve, update, roles, users."""
        return Groups(self._client, raw=self._raw)

    @property
    def health(self) -> Health:
        """``admin.organization.health``: alert_rules, alerts."""
        return Health(self._client, raw=self._raw)

    @property
    def invites(self) -> Invites:
        """``admin.organization.invites``: create, delete, list, retrieve."""
        return Invites(self._client, raw=self._raw)

    @property
    def projects(self) -> Projects:
        """``admin.organization.projects``: archive, create, list, retrieve, update, api_keys,
        certificates, data_retention, groups, health, hosted_tool_permissions,
        model_permissions, rate_limits, roles, service_accounts, service_tier_settings,
        spend_alerts, spend_limit, users.
        """
        return Projects(self._client, raw=self._raw)

    @property
    def roles(self) -> Roles:
        """``admin.organization.roles``: create, delete, list, retrieve, update."""
        return Roles(self._client, raw=self._raw)

    @property
    def spend_alerts(self) -> SpendAlerts:
        """``admin.organization.spend_alerts``: create, delete, list, retrieve, update."""
        return SpendAlerts(self._client, raw=self._raw)

    @property
    def spend_limit(self) -> SpendLimit:
        """``admin.organization.spend_limit``: delete, retrieve, update."""
        return SpendLimit(self._client, raw=self._raw)

    @property
    def usage(self) -> Usage:
        """``admin.organization.usage``: audio_speeches, audio_transcriptions,
        code_interpreter_sessions, completions, costs, decisions, embeddings,
        file_search_calls, images, moderations, vector_stores, web_search_calls.
        """
        return Usage(self._client, raw=self._raw)

    @property
    def users(self) -> Users:
        """``admin.organization.users``: delete, list, retrieve, update, roles."""
        return Users(self._client, raw=self._raw)

    @property
    def workload_identity_providers(self) -> WorkloadIdentityProviders:
        """``admin.organization.workload_identity_providers``: create, delete, list, retrieve,
        update, federation_rules.
        """
        return WorkloadIdentityProviders(self._client, raw=self._raw)
