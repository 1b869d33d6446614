"""The zip of a skill: ``/skills/{skill_id}/content`` (its default version)."""

from __future__ import annotations

from typing import Unpack

from ..._binary import BinaryResponseContent
from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions

__all__ = ["Content"]


class Content(APIResource):
    """``client.skills.content``: retrieve."""

    __slots__ = ()

    @endpoint("GET", "/skills/{skill_id}/content")
    async def retrieve(
        self, skill_id: str, **options: Unpack[RequestOptions]
    ) -> BinaryResponseContent:
        """The zip bundle of a skill's default version, read in full within the client's
        ``max_response_bytes`` (``with_streaming_response.retrieve(...)`` and
        ``stream_to_file`` write a large one as it arrives). Raises NotFoundError for an
        unknown skill."""
        return await self._call_binary(Content.retrieve, options, skill_id=skill_id)
