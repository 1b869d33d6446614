"""Content provenance checks: ``/content_provenance_checks``, whether an image or audio
file carries OpenAI's provenance signals (C2PA metadata, a SynthID watermark)."""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.content_provenance_check import ContentProvenanceCheck
from ...types.content_provenance_check_create_params import ContentProvenanceCheckCreateParams

__all__ = ["ContentProvenanceChecks"]


class _CreateArgs(ContentProvenanceCheckCreateParams, RequestOptions, total=False): ...


class ContentProvenanceChecks(APIResource):
    """``client.content_provenance_checks``: create."""

    __slots__ = ()

    @endpoint("POST", "/content_provenance_checks", _CreateArgs, files=("file",))
    async def create(self, **params: Unpack[_CreateArgs]) -> ContentProvenanceCheck:
        """Check ``file`` (an image: PNG, JPEG, WebP or GIF, or an audio file; streamed as
        multipart) for OpenAI's provenance signals. Returns the ContentProvenanceCheck, one
        result per signal (``detected`` or ``not_detected``: not finding one does not prove
        the file was not generated). Raises BadRequestError for a file of another kind."""
        return await self._call(ContentProvenanceChecks.create, ContentProvenanceCheck, params)
