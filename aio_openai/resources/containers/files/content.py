"""The content of a container's file: ``/containers/{container_id}/files/{file_id}/content``."""

from __future__ import annotations

from typing import Unpack

from ...._binary import BinaryResponseContent
from ...._endpoints import endpoint
from ...._resource import APIResource
from ...._types import RequestOptions

__all__ = ["Content"]


class Content(APIResource):
    """``client.containers.files.content``: retrieve."""

    __slots__ = ()

    @endpoint("GET", "/containers/{container_id}/files/{file_id}/content")
    async def retrieve(
        self, file_id: str, *, container_id: str, **options: Unpack[RequestOptions]
    ) -> BinaryResponseContent:
        """A container file's bytes, read in full within the client's ``max_response_bytes``
        (``with_streaming_response.retrieve(...)`` and ``stream_to_file`` write a large one
        as it arrives). Raises NotFoundError for an unknown container or file."""
        return await self._call_binary(
            Content.retrieve, options, container_id=container_id, file_id=file_id
        )
