"""``client.admin.organization.projects.spend_limit``:
``/organization/projects/{project_id}/spend_limit``.
"""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.projects.project_spend_limit import ProjectSpendLimit
from .....types.admin.organization.projects.project_spend_limit_deleted import (
    ProjectSpendLimitDeleted,
)
from .....types.admin.organization.projects.spend_limit_update_params import SpendLimitUpdateParams

__all__ = ["SpendLimit"]


class _UpdateArgs(SpendLimitUpdateParams, RequestOptions, total=False): ...


class SpendLimit(AdminResource):
    """``client.admin.organization.projects.spend_limit``: delete, retrieve, update."""

    __slots__ = ()

    @endpoint("DELETE", "/organization/projects/{project_id}/spend_limit")
    async def delete(
        self, project_id: str, **options: Unpack[RequestOptions]
    ) -> ProjectSpendLimitDeleted:
        """Delete the spend limit of a project; returns the deletion's answer. Raises
        NotFoundError when there is none.
        """
        return await self._call(
            SpendLimit.delete, ProjectSpendLimitDeleted, options, project_id=project_id
        )

    @endpoint("GET", "/organization/projects/{project_id}/spend_limit")
    async def retrieve(
        self, project_id: str, **options: Unpack[RequestOptions]
    ) -> ProjectSpendLimit:
        """Retrieve the spend limit of a project. Raises NotFoundError when there is none."""
        return await self._call(
            SpendLimit.retrieve, ProjectSpendLimit, options, project_id=project_id
        )

    @endpoint("POST", "/organization/projects/{project_id}/spend_limit", _UpdateArgs)
    async def update(self, project_id: str, **params: Unpack[_UpdateArgs]) -> ProjectSpendLimit:
        """Change the given fields of the spend limit of a project; returns it. Raises
        NotFoundError when there is none.
        """
        return await self._call(SpendLimit.update, ProjectSpendLimit, params, project_id=project_id)
