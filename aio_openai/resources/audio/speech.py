"""Text to speech: ``/audio/speech``, audio bytes made from text."""

from __future__ import annotations

from typing import Unpack

from ..._binary import BinaryResponseContent
from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.audio.speech_create_params import SpeechCreateParams

__all__ = ["Speech"]


class _CreateArgs(SpeechCreateParams, RequestOptions, total=False): ...


class Speech(APIResource):
    """``client.audio.speech``: ``create``."""

    __slots__ = ()

    @endpoint("POST", "/audio/speech", _CreateArgs, metered=True, counts_tokens=False)
    async def create(self, **params: Unpack[_CreateArgs]) -> BinaryResponseContent:
        """Speak ``input`` (at most 4,096 characters) with ``model`` (tts-1, tts-1-hd,
        gpt-4o-mini-tts) in ``voice`` (a built-in voice's name, or ``{"id": ...}`` of a custom
        voice), as ``response_format`` (mp3 by default; opus, aac, flac, wav, pcm), at
        ``speed`` (0.25 to 4), following ``instructions`` (gpt-4o-mini-tts).

        Returns the audio as BinaryResponseContent, read in full (``write_to_file(path)``);
        ``async with client.audio.speech.with_streaming_response.create(...) as r: await
        r.stream_to_file(path)`` writes it as it arrives. With ``stream_format="sse"`` the body
        is server-sent events (``speech.audio.delta`` with base64 audio, then
        ``speech.audio.done`` with the usage): read them with ``iter_lines()``. The rate limiter
        counts the call as one request of ``model``. Raises BadRequestError for a bad
        parameter.
        """
        return await self._call_binary(Speech.create, params)
