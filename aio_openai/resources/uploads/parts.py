"""``client.uploads.parts``: the parts of an upload."""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.uploads.part_create_params import PartCreateParams
from ...types.uploads.upload_part import UploadPart

__all__ = ["Parts"]


class _CreateArgs(PartCreateParams, RequestOptions, total=False): ...


class Parts(APIResource):
    """``client.uploads.parts``: create."""

    __slots__ = ()

    @endpoint("POST", "/uploads/{upload_id}/parts", _CreateArgs, files=("data",))
    async def create(self, upload_id: str, **params: Unpack[_CreateArgs]) -> UploadPart:
        """Add the bytes ``data`` (64 MB at most; bytes, a path, an open binary file, an async
        iterator or a tuple, streamed) as a part of the upload; returns the UploadPart,
        whose id ``uploads.complete`` lists. Parts may be sent in any order and at once."""
        return await self._call(Parts.create, UploadPart, params, upload_id=upload_id)
