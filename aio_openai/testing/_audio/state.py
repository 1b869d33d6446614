"""The state of the fake Audio API: custom voices, consent recordings, and what the fake
hears in audio it did not make."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from aio_openai.testing._checks import APIError
from aio_openai.testing._shapes import ListQuery, new_id, page

__all__ = ["AudioState"]


class AudioState:
    """``fake.state.audio``: consents and voices by id; ``default_transcript``, the text the
    fake hears in audio that is not its own speech (its own speech is heard exactly).

    Every operation takes the state's lock; an unknown id raises :class:`APIError` (404).
    """

    def __init__(self, knows_model: Callable[[str], bool]) -> None:
        self._lock = threading.Lock()
        self._consents: dict[str, dict[str, Any]] = {}
        self._voices: dict[str, dict[str, Any]] = {}
        #: The text of any audio the fake did not speak itself.
        self.default_transcript = ""
        #: Whether requests may name a model (the server's model list).
        self.knows_model = knows_model

    def add_consent(self, name: str, language: str, recording: bytes) -> dict[str, Any]:
        """Store a consent recording; its VoiceConsent."""
        record: dict[str, Any] = {
            "object": "audio.voice_consent",
            "id": new_id("cons_"),
            "name": name,
            "language": language,
            "created_at": int(time.time()),
        }
        with self._lock:
            self._consents[record["id"]] = record
            return dict(record)

    def consent(self, consent_id: str) -> dict[str, Any]:
        with self._lock:
            return dict(self._consent(consent_id))

    def _consent(self, consent_id: str) -> dict[str, Any]:
        record = self._consents.get(consent_id)
        if record is None:
            raise APIError(404, f"No voice consent found with id '{consent_id}'.")
        return record

    def rename_consent(self, consent_id: str, name: str) -> dict[str, Any]:
        with self._lock:
            record = self._consent(consent_id)
            record["name"] = name
            return dict(record)

    def list_consents(self, query: ListQuery) -> dict[str, Any]:
        with self._lock:
            return page([dict(r) for r in self._consents.values()], query)

    def delete_consent(self, consent_id: str) -> dict[str, Any]:
        with self._lock:
            self._consent(consent_id)
            del self._consents[consent_id]
        return {"id": consent_id, "object": "audio.voice_consent", "deleted": True}

    def add_voice(self, name: str, *, consent_id: str | None, prompt: str | None) -> dict[str, Any]:
        """Make a custom voice: from a sample with ``consent_id``, or from a ``prompt``."""
        record: dict[str, Any] = {
            "object": "audio.voice",
            "id": new_id("voice_"),
            "name": name,
            "created_at": int(time.time()),
            "type": "audio_sample" if prompt is None else "prompt",
        }
        if prompt is not None:
            record["prompt"] = prompt
        with self._lock:
            if consent_id is not None:
                self._consent(consent_id)
            self._voices[record["id"]] = record
            return dict(record)

    def has_voice(self, voice_id: str) -> bool:
        with self._lock:
            return voice_id in self._voices

    def delete_voice(self, voice_id: str) -> dict[str, Any]:
        with self._lock:
            if self._voices.pop(voice_id, None) is None:
                raise APIError(404, f"No voice found with id '{voice_id}'.")
        return {"id": voice_id, "object": "audio.voice", "deleted": True}
