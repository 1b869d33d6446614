"""The Audio API: ``/audio``, speech made from text (``speech``), text from speech
(``transcriptions``, ``translations``), and custom voices (``voices``, ``voice_consents``)."""

from __future__ import annotations

from ..._resource import APIResource
from .speech import Speech
from .transcriptions import Transcriptions
from .translations import Translations
from .voice_consents import VoiceConsents
from .voices import Voices

__all__ = ["Audio", "Speech", "Transcriptions", "Translations", "VoiceConsents", "Voices"]


class Audio(APIResource):
    """``client.audio``: ``speech``, ``transcriptions``, ``translations``, ``voices``,
    ``voice_consents``."""

    __slots__ = ()

    @property
    def speech(self) -> Speech:
        """Text to speech: ``create``."""
        return Speech(self._client, raw=self._raw)

    @property
    def transcriptions(self) -> Transcriptions:
        """Speech to text in its own language: ``create``."""
        return Transcriptions(self._client, raw=self._raw)

    @property
    def translations(self) -> Translations:
        """Speech to English text: ``create``."""
        return Translations(self._client, raw=self._raw)

    @property
    def voices(self) -> Voices:
        """Custom voices: ``create``, ``delete``."""
        return Voices(self._client, raw=self._raw)

    @property
    def voice_consents(self) -> VoiceConsents:
        """Consent recordings for custom voices: create, retrieve, update, list, delete."""
        return VoiceConsents(self._client, raw=self._raw)
