"""Speech to English text: ``/audio/translations``."""

from __future__ import annotations

from typing import Final, Unpack

from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.audio.translation import Translation
from ...types.audio.translation_create_params import TranslationCreateParams
from ...types.audio.translation_verbose import TranslationVerbose
from ._formats import TEXT_FORMATS, text_parser

__all__ = ["Translations"]


class _CreateArgs(TranslationCreateParams, RequestOptions, total=False): ...


_VERBOSE: Final = "verbose_json"


class Translations(APIResource):
    """``client.audio.translations``: ``create``."""

    __slots__ = ()

    @endpoint(
        "POST",
        "/audio/translations",
        _CreateArgs,
        metered=True,
        counts_tokens=False,
        files=("file",),
    )
    async def create(self, **params: Unpack[_CreateArgs]) -> Translation | TranslationVerbose | str:
        """Translate the speech in ``file`` (flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav, webm;
        streamed from where it is, as ``files.create`` takes it) into English text with
        ``model`` (whisper-1), guided by ``prompt``.

        Returns, by ``response_format``: a Translation (``json``, the default), a
        TranslationVerbose with the language, duration and segments (``verbose_json``), or
        the text itself as a ``str`` (``text``, ``srt``, ``vtt``). The rate limiter counts the
        call as one request of ``model``. Raises BadRequestError for a bad file or parameter.
        """
        fmt = params.get("response_format")
        if fmt in TEXT_FORMATS:
            return await self._call_parsed(Translations.create, text_parser, params)
        cls = TranslationVerbose if fmt == _VERBOSE else Translation
        return await self._call(Translations.create, cls, params)
