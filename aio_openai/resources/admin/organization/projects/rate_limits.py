"""``client.admin.organization.projects.rate_limits``:
``/organization/projects/{project_id}/rate_limits``.
"""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncConversationCursorPage, AsyncPaginator
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.projects.project_rate_limit import ProjectRateLimit
from .....types.admin.organization.projects.rate_limit_list_rate_limits_params import (
    RateLimitListRateLimitsParams,
)
from .....types.admin.organization.projects.rate_limit_update_rate_limit_params import (
    RateLimitUpdateRateLimitParams,
)

__all__ = ["RateLimits"]


class _ListRateLimitsArgs(RateLimitListRateLimitsParams, RequestOptions, total=False): ...


class _UpdateRateLimitArgs(RateLimitUpdateRateLimitParams, RequestOptions, total=False): ...


class RateLimits(AdminResource):
    """``client.admin.organization.projects.rate_limits``: list_rate_limits, update_rate_limit."""

    __slots__ = ()

    @endpoint("GET", "/organization/projects/{project_id}/rate_limits", _ListRateLimitsArgs)
    def list_rate_limits(
        self, project_id: str, **params: Unpack[_ListRateLimitsArgs]
    ) -> AsyncPaginator[ProjectRateLimit, AsyncConversationCursorPage[ProjectRateLimit]]:
        """The rate limits of a project: ``await`` it for the first page, ``async for`` every
        one (later pages fetched as the loop reaches them).
        """
        return self._pages(
            RateLimits.list_rate_limits,
            ProjectRateLimit,
            params,
            {"project_id": project_id},
            page=AsyncConversationCursorPage,
        )

    @endpoint(
        "POST",
        "/organization/projects/{project_id}/rate_limits/{rate_limit_id}",
        _UpdateRateLimitArgs,
    )
    async def update_rate_limit(
        self, rate_limit_id: str, **params: Unpack[_UpdateRateLimitArgs]
    ) -> ProjectRateLimit:
        """Change a project's rate limit for a model (``max_requests_per_1_minute``,
        ``max_tokens_per_1_minute``, ...); returns the limit. Raises NotFoundError when there
        is none.
        """
        return await self._call(
            RateLimits.update_rate_limit, ProjectRateLimit, params, rate_limit_id=rate_limit_id
        )
