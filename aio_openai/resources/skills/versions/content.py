"""The zip of a skill version: ``/skills/{skill_id}/versions/{version}/content``."""

from __future__ import annotations

from typing import Unpack

from ...._binary import BinaryResponseContent
from ...._endpoints import endpoint
from ...._resource import APIResource
from ...._types import RequestOptions

__all__ = ["Content"]


class Content(APIResource):
    """``client.skills.versions.content``: retrieve."""

    __slots__ = ()

    @endpoint("GET", "/skills/{skill_id}/versions/{version}/content")
    async def retrieve(
        self, version: str, *, skill_id: str, **options: Unpack[RequestOptions]
    ) -> BinaryResponseContent:
        """The zip bundle of a version of a skill, read in full within the client's
        ``max_response_bytes``. Raises NotFoundError for an unknown skill or version."""
        return await self._call_binary(
            Content.retrieve, options, skill_id=skill_id, version=version
        )
