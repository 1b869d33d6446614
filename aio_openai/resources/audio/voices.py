"""Custom voices: ``/audio/voices``, made from a consented sample or described by a prompt."""

from __future__ import annotations

from typing import Literal, Required, TypedDict, Unpack

from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types._param_types import FileTypes
from ...types.audio.voice import Voice
from ...types.audio.voice_deleted import VoiceDeleted

__all__ = ["Voices"]


class _VoiceParams(TypedDict, total=False):
    """The keys of both kinds of ``VoiceCreateParams`` (a sample, or a prompt), as the
    SDK's ``create`` takes them."""

    name: Required[str]
    audio_sample: FileTypes
    consent: str
    type: Literal["audio_sample", "prompt"]
    prompt: str
    model: str | Literal["auto", "2026-10-08"]
    script_hint: str


class _CreateArgs(_VoiceParams, RequestOptions, total=False): ...


class Voices(APIResource):
    """``client.audio.voices``: ``create``, ``delete``."""

    __slots__ = ()

    @endpoint("POST", "/audio/voices", _CreateArgs, files=("audio_sample",))
    async def create(self, **params: Unpack[_CreateArgs]) -> Voice:
        """Create a custom voice called ``name``: from ``audio_sample`` (a recording, sent as
        multipart) with the id of its speaker's ``consent``, or (``type="prompt"``) from a
        ``prompt`` describing it. Returns the Voice; use it in ``audio.speech.create(voice=
        {"id": voice.id})``. Raises BadRequestError for a missing sample, consent or prompt,
        NotFoundError for an unknown consent."""
        return await self._call(Voices.create, Voice, params)

    @endpoint("DELETE", "/audio/voices/{voice_id}")
    async def delete(self, voice_id: str, **options: Unpack[RequestOptions]) -> VoiceDeleted:
        """Delete a custom voice. Raises NotFoundError for an unknown id."""
        return await self._call(Voices.delete, VoiceDeleted, options, voice_id=voice_id)
