"""Speech to text: ``/audio/transcriptions``, whole or streamed."""

from __future__ import annotations

from typing import Any, Final, Literal, Unpack, overload

from ..._convert import converter
from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._streaming import AsyncStream, EventStream
from ..._types import NOT_GIVEN, NotGiven, RequestOptions
from ...types.audio.transcription import Transcription
from ...types.audio.transcription_create_params import TranscriptionCreateParamsBase
from ...types.audio.transcription_diarized import TranscriptionDiarized
from ...types.audio.transcription_stream_event import TranscriptionStreamEvent
from ...types.audio.transcription_verbose import TranscriptionVerbose
from ._formats import TEXT_FORMATS, text_parser

__all__ = ["Transcriptions"]

_structure = converter.get_structure_hook(TranscriptionStreamEvent)


def _parse_event(event: str | None, data: Any) -> TranscriptionStreamEvent:
    """One event of a transcription stream (``transcript.text.delta``, ``.segment``,
    ``.done``)."""
    item: TranscriptionStreamEvent = _structure(data, TranscriptionStreamEvent)
    return item


_EVENTS: Final = EventStream(_parse_event, frozenset({"transcript.text.done"}))

#: The class of each JSON ``response_format`` (``json`` is the default).
_CLASSES: Final[dict[Any, type[Any]]] = {
    "verbose_json": TranscriptionVerbose,
    "diarized_json": TranscriptionDiarized,
}

Answer = Transcription | TranscriptionVerbose | TranscriptionDiarized | str


class _CreateArgs(TranscriptionCreateParamsBase, RequestOptions, total=False): ...


class Transcriptions(APIResource):
    """``client.audio.transcriptions``: ``create``."""

    __slots__ = ()

    @overload
    async def create(
        self,
        *,
        stream: Literal[False] | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> Answer: ...

    @overload
    async def create(
        self, *, stream: Literal[True], **params: Unpack[_CreateArgs]
    ) -> AsyncStream[TranscriptionStreamEvent]: ...

    @overload
    async def create(
        self, *, stream: bool, **params: Unpack[_CreateArgs]
    ) -> Answer | AsyncStream[TranscriptionStreamEvent]: ...

    @endpoint(
        "POST",
        "/audio/transcriptions",
        _CreateArgs,
        metered=True,
        counts_tokens=False,
        files=("file",),
    )
    async def create(
        self, *, stream: bool | NotGiven | None = NOT_GIVEN, **params: Unpack[_CreateArgs]
    ) -> Answer | AsyncStream[TranscriptionStreamEvent]:
        """Transcribe the speech in ``file`` (flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav, webm;
        streamed from where it is, as ``files.create`` takes it) with ``model`` (whisper-1,
        gpt-4o-transcribe, gpt-4o-mini-transcribe, gpt-4o-transcribe-diarize), in
        ``language`` if given, guided by ``prompt``.

        Returns, by ``response_format``: a Transcription (``json``, the default), a
        TranscriptionVerbose with segments and words (``verbose_json``, with
        ``timestamp_granularities``), a TranscriptionDiarized with each speaker's segments
        (``diarized_json``), or the text itself as a ``str`` (``text``, ``srt``, ``vtt``).
        With ``stream=True``, an AsyncStream of TranscriptionStreamEvent:
        ``transcript.text.delta`` pieces, then ``transcript.text.done`` with the whole text.
        The rate limiter counts the call as one request of ``model``. Raises BadRequestError
        for a bad file or parameter.
        """
        if stream:
            return await self._stream(Transcriptions.create, _EVENTS, params)
        fmt = params.get("response_format")
        if fmt in TEXT_FORMATS:
            return await self._call_parsed(
                Transcriptions.create, text_parser, params, stream=stream
            )
        cls = _CLASSES.get(fmt, Transcription)
        return await self._call(Transcriptions.create, cls, params, stream=stream)
