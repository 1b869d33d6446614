"""``client.admin.organization.projects``: ``/organization/projects``."""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncConversationCursorPage, AsyncPaginator
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.project import Project
from .....types.admin.organization.project_create_params import ProjectCreateParams
from .....types.admin.organization.project_list_params import ProjectListParams
from .....types.admin.organization.project_update_params import ProjectUpdateParams
from .api_keys import APIKeys
from .certificates import Certificates
from .data_retention import DataRetention
from .groups import Groups
from .health import Health
from .hosted_tool_permissions import HostedToolPermissions
from .model_permissions import ModelPermissions
from .rate_limits import RateLimits
from .roles import Roles
from .service_accounts import ServiceAccounts
from .service_tier_settings import ServiceTierSettings
from .spend_alerts import SpendAlerts
from .spend_limit import SpendLimit
from .users import Users

__all__ = [
    "APIKeys",
    "Certificates",
    "DataRetention",
    "Groups",
    "Health",
    "HostedToolPermissions",
    "ModelPermissions",
    "Projects",
    "RateLimits",
    "Roles",
    "ServiceAccounts",
    "ServiceTierSettings",
    "SpendAlerts",
    "SpendLimit",
    "Users",
]


class _CreateArgs(ProjectCreateParams, RequestOptions, total=False): ...


class _ListArgs(ProjectListParams, RequestOptions, total=False): ...


class _UpdateArgs(ProjectUpdateParams, RequestOptions, total=False): ...


class Projects(AdminResource):
    """``client.admin.organization.projects``: archive, create, list, retrieve, update,
    api_keys, certificates, data_retention, groups, health, hosted_tool_permissions,
    model_permissions, rate_limits, roles, service_accounts, service_tier_settings,
    spend_alerts, spend_limit, users.
    """

    __slots__ = ()

    @property
    def api_keys(self) -> APIKeys:
        """``admin.organization.projects.api_keys``: delete, list, retrieve, update."""
        return APIKeys(self._client, raw=self._raw)

    @property
    def certificates(self) -> Certificates:
        """``admin.organization.projects.certificates``: activate, deactivate, list."""
        return Certificates(self._client, raw=self._raw)

    @property
    def data_retention(self) -> DataRetention:
        """``admin.organization.projects.data_retention``: retrieve, update."""
        return DataRetention(self._client, raw=self._raw)

    @property
    def groups(self) -> Groups:
        """``admin.organization.projects.groups``: create, delete, list, retrieve, roles."""
        return Groups(self._client, raw=self._raw)

    @property
    def health(self) -> Health:
        """``admin.organization.projects.health``: alert_rules, alerts."""
        return Health(self._client, raw=self._raw)

    @property
    def hosted_tool_permissions(self) -> HostedToolPermissions:
        """``admin.organization.projects.hosted_tool_permissions``: retrieve, update."""
        return HostedToolPermissions(self._client, raw=self._raw)

    @property
    def model_permissions(self) -> ModelPermissions:
        """``admin.organization.projects.model_permissions``: delete, retrieve, update."""
        return ModelPermissions(self._client, raw=self._raw)

    @property
    def rate_limits(self) -> RateLimits:
        """``admin.organization.projects.rate_limits``: list_rate_limits, update_rate_limit."""
        return RateLimits(self._client, raw=self._raw)

    @property
    def roles(self) -> Roles:
        """``admin.organization.projects.roles``: create, delete, list, retrieve, update."""
        return Roles(self._client, raw=self._raw)

    @property
    def service_accounts(self) -> ServiceAccounts:
        """``admin.organization.projects.service_accounts``: create, delete, list, retrieve,
        update, api_keys.
        """
        return ServiceAccounts(self._client, raw=self._raw)

    @property
    def service_tier_settings(self) -> ServiceTierSettings:
        """``admin.organization.projects.service_tier_settings``: retrieve, update."""
        return ServiceTierSettings(self._client, raw=self._raw)

    @property
    def spend_alerts(self) -> SpendAlerts:
        """``admin.organization.projects.spend_alerts``: create, delete, list, retrieve,
        update.
        """
        return SpendAlerts(self._client, raw=self._raw)

    @property
    def spend_limit(self) -> SpendLimit:
        """``admin.organization.projects.spend_limit``: delete, retrieve, update."""
        return SpendLimit(self._client, raw=self._raw)

    @property
    def users(self) -> Users:
        """``admin.organization.projects.users``: create, delete, list, retrieve, update,
        roles.
        """
        return Users(self._client, raw=self._raw)

    @endpoint("POST", "/organization/projects/{project_id}/archive")
    async def archive(self, project_id: str, **options: Unpack[RequestOptions]) -> Project:
        """Archive a project (for good: it takes no more changes, and lists show it only with
        ``include_archived=True``); returns it."""
        return await self._call(Projects.archive, Project, options, project_id=project_id)

    @endpoint("POST", "/organization/projects", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> Project:
        """Create a project of the organization; returns it. Raises BadRequestError for a bad
        parameter.
        """
        return await self._call(Projects.create, Project, params)

    @endpoint("GET", "/organization/projects", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[Project, AsyncConversationCursorPage[Project]]:
        """The projects of the organization: ``await`` it for the first page, ``async for``
        every one (later pages fetched as the loop reaches them).
        """
        return self._pages(Projects.list, Project, params, {}, page=AsyncConversationCursorPage)

    @endpoint("GET", "/organization/projects/{project_id}")
    async def retrieve(self, project_id: str, **options: Unpack[RequestOptions]) -> Project:
        """Retrieve the project of the organization. Raises NotFoundError when there is none."""
        return await self._call(Projects.retrieve, Project, options, project_id=project_id)

    @endpoint("POST", "/organization/projects/{project_id}", _UpdateArgs)
    async def update(self, project_id: str, **params: Unpack[_UpdateArgs]) -> Project:
        """Change the given fields of the project of the organization; returns it. Raises
        NotFoundError when there is none.
        """
        return await self._call(Projects.update, Project, params, project_id=project_id)
