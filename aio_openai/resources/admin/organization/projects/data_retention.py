"""``client.admin.organization.projects.data_retention``:
``/organization/projects/{project_id}/data_retention``.
"""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._resource import AdminResource
from ....._types import RequestOptions
from .....types.admin.organization.projects.data_retention_update_params import (
    DataRetentionUpdateParams,
)
from .....types.admin.organization.projects.project_data_retention import ProjectDataRetention

__all__ = ["DataRetention"]


class _UpdateArgs(DataRetentionUpdateParams, RequestOptions, total=False): ...


class DataRetention(AdminResource):
    """``client.admin.organization.projects.data_retention``: retrieve, update."""

    __slots__ = ()

    @endpoint("GET", "/organization/projects/{project_id}/data_retention")
    async def retrieve(
        self, project_id: str, **options: Unpack[RequestOptions]
    ) -> ProjectDataRetention:
        """Retrieve the data retention setting of a project. Raises NotFoundError when there is
        none.
        """
        return await self._call(
            DataRetention.retrieve, ProjectDataRetention, options, project_id=project_id
        )

    @endpoint("POST", "/organization/projects/{project_id}/data_retention", _UpdateArgs)
    async def update(self, project_id: str, **params: Unpack[_UpdateArgs]) -> ProjectDataRetention:
        """Change the given fields of the data retention setting of a project; returns it.
        Raises NotFoundError when there is none.
        """
        return await self._call(
            DataRetention.update, ProjectDataRetention, params, project_id=project_id
        )
