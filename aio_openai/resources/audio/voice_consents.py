"""Consent recordings for custom voices: ``/audio/voice_consents``."""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.audio.voice_consent import VoiceConsent
from ...types.audio.voice_consent_create_params import VoiceConsentCreateParams
from ...types.audio.voice_consent_deleted import VoiceConsentDeleted
from ...types.audio.voice_consent_list_params import VoiceConsentListParams
from ...types.audio.voice_consent_update_params import VoiceConsentUpdateParams

__all__ = ["VoiceConsents"]


class _CreateArgs(VoiceConsentCreateParams, RequestOptions, total=False): ...


class _UpdateArgs(VoiceConsentUpdateParams, RequestOptions, total=False): ...


class _ListArgs(VoiceConsentListParams, RequestOptions, total=False): ...


class VoiceConsents(APIResource):
    """``client.audio.voice_consents``: create, retrieve, update, list, delete."""

    __slots__ = ()

    @endpoint("POST", "/audio/voice_consents", _CreateArgs, files=("recording",))
    async def create(self, **params: Unpack[_CreateArgs]) -> VoiceConsent:
        """Upload the ``recording`` (multipart) in which ``name`` consents, in ``language``
        (a BCP 47 tag such as ``en-US``), to a custom voice of their own. Returns the
        VoiceConsent. Raises BadRequestError for a missing field or a recording that is not
        audio."""
        return await self._call(VoiceConsents.create, VoiceConsent, params)

    @endpoint("GET", "/audio/voice_consents/{consent_id}")
    async def retrieve(self, consent_id: str, **options: Unpack[RequestOptions]) -> VoiceConsent:
        """Retrieve a consent recording's VoiceConsent. Raises NotFoundError for an unknown
        id."""
        return await self._call(
            VoiceConsents.retrieve, VoiceConsent, options, consent_id=consent_id
        )

    @endpoint("POST", "/audio/voice_consents/{consent_id}", _UpdateArgs)
    async def update(self, consent_id: str, **params: Unpack[_UpdateArgs]) -> VoiceConsent:
        """Rename a consent recording (its ``name``; the audio stays). Returns it. Raises
        NotFoundError for an unknown id."""
        return await self._call(VoiceConsents.update, VoiceConsent, params, consent_id=consent_id)

    @endpoint("GET", "/audio/voice_consents", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[VoiceConsent, AsyncCursorPage[VoiceConsent]]:
        """The consent recordings, newest first: ``await`` it for the first page, ``async
        for`` every one."""
        return self._list(VoiceConsents.list, VoiceConsent, params)

    @endpoint("DELETE", "/audio/voice_consents/{consent_id}")
    async def delete(
        self, consent_id: str, **options: Unpack[RequestOptions]
    ) -> VoiceConsentDeleted:
        """Delete a consent recording. Raises NotFoundError for an unknown id."""
        return await self._call(
            VoiceConsents.delete, VoiceConsentDeleted, options, consent_id=consent_id
        )
