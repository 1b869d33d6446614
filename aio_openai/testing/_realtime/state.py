"""The state of the fake Realtime API: reply settings and the sessions it served."""

from __future__ import annotations

import threading
from collections.abc import Mapping

from aio_openai.testing._realtime.session import RealtimeSession

__all__ = ["RealtimeState"]


class RealtimeState:
    """What the fake's Realtime WebSockets answer (``fake.state.realtime``).

    ``replies`` maps a last user text to the model's reply (else it echoes that text);
    ``chunk_size`` is the characters of text (or of arguments) each delta carries (8 by
    default). ``sessions`` lists every session served, oldest first (``open`` while its
    connection is; ``received`` holds the client events it was sent). Safe to use from any
    thread.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.replies: dict[str, str] = {}
        self.chunk_size = 8
        self._sessions: list[RealtimeSession] = []

    def configure(self, *, chunk_size: int | None = None) -> None:
        """Set the characters per delta (an int >= 1)."""
        if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
            raise ValueError(f"chunk_size must be an int >= 1, got {chunk_size!r}")
        with self._lock:
            if chunk_size is not None:
                self.chunk_size = chunk_size

    def reply_settings(self) -> tuple[Mapping[str, str], int]:
        """The scripted replies and the chunk size, as one consistent pair."""
        with self._lock:
            return dict(self.replies), self.chunk_size

    def open_session(self, model: str, *, beta: bool) -> RealtimeSession:
        """A new session with ``model``, in the beta protocol or the GA one."""
        session = RealtimeSession(model, beta=beta, replies=self.reply_settings)
        with self._lock:
            self._sessions.append(session)
        return session

    @property
    def sessions(self) -> list[RealtimeSession]:
        """Every session served so far, oldest first (a copy)."""
        with self._lock:
            return list(self._sessions)
