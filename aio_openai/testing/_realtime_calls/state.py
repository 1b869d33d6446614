"""The state of the fake Realtime and Live REST calls.

- **Client secrets**: ``ek_...`` keys minted with a session's configuration; each is
  valid as the bearer key of a Realtime WebSocket (``GET /v1/realtime``) until it expires,
  even on a server that accepts only some API keys.
- **Calls** (``/v1/realtime/calls``) and **Live sessions** (``/v1/live/sessions``): one
  state machine each. A WebRTC call or session (``create``) starts ``active``; an incoming
  SIP one (:meth:`Calls.ring`, what a phone call to the project's SIP address does) starts
  ``incoming``; ``accept`` makes it ``active``, ``reject``, ``refer`` and ``hangup`` end it.
  Answering an ended one, or accepting or rejecting one that is not ``incoming``, is a 400;
  an unknown id a 404. A Live session's recording is a WAV of the fake's speech.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from aio_openai.testing._audio.wav import speak
from aio_openai.testing._checks import APIError
from aio_openai.testing._shapes import new_id

__all__ = ["DEFAULT_SECRET_SECONDS", "Call", "Calls", "RealtimeCallsState", "sdp_answer"]

#: How long a client secret lives when ``expires_after`` does not say (10 minutes).
DEFAULT_SECRET_SECONDS: Final = 600
#: The text a Live session's recording speaks.
RECORDING_TEXT: Final = "This is the recording of a fake Live session."


def sdp_answer(offer: str) -> str:
    """The fake's SDP answer to an offer: a minimal session description, its media lines
    (``m=``) those of the offer."""
    media = [line for line in offer.splitlines() if line.startswith("m=")] or [
        "m=audio 9 UDP/TLS/RTP/SAVPF 111"
    ]
    lines = ["v=0", "o=- 0 0 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0", *media]
    return "\r\n".join(lines) + "\r\n"


@attrs.define
class Call:
    """A call or a session: its ``status`` (``incoming``, ``active``, ``ended``), how it
    ended (``rejected`` with a SIP status, ``referred`` to a URI, ``hung_up``), the session
    configuration it was accepted or created with, and its forks."""

    id: str
    status: str
    session: dict[str, Any] = attrs.field(factory=dict)
    ended_by: str | None = None
    status_code: int | None = None
    target_uri: str | None = None
    forks: list[str] = attrs.field(factory=list)


class Calls:
    """The calls (or Live sessions) of a fake server: ``noun`` names them in errors
    ("Call", "Session"), ``prefix`` starts their ids."""

    def __init__(self, noun: str, prefix: str) -> None:
        self._lock = threading.Lock()
        self._noun = noun
        self._prefix = prefix
        self._calls: dict[str, Call] = {}

    def _get(self, call_id: str) -> Call:
        call = self._calls.get(call_id)
        if call is None:
            raise APIError(404, f"{self._noun} with id '{call_id}' not found.", param="id")
        return call

    def _add(self, status: str, session: Mapping[str, Any]) -> Call:
        call = Call(new_id(self._prefix), status, dict(session))
        with self._lock:
            self._calls[call.id] = call
        return call

    def ring(self) -> str:
        """An incoming SIP call, waiting to be accepted, rejected or referred; its id."""
        return self._add("incoming", {}).id

    def start(self, session: Mapping[str, Any]) -> Call:
        """A WebRTC call or session, active at once with ``session``."""
        return attrs.evolve(self._add("active", session))

    def get(self, call_id: str) -> Call:
        """A copy of a call (404 for an unknown one)."""
        with self._lock:
            return attrs.evolve(self._get(call_id))

    def _answer(self, call_id: str, change: Callable[[Call], None], *, incoming: bool) -> None:
        with self._lock:
            call = self._get(call_id)
            if call.status == "ended":
                raise APIError(400, f"{self._noun} '{call_id}' has already ended.")
            if incoming and call.status != "incoming":
                raise APIError(400, f"{self._noun} '{call_id}' has already been answered.")
            change(call)

    def accept(self, call_id: str, session: Mapping[str, Any]) -> None:
        """Accept an incoming call with ``session``."""

        def accepted(call: Call) -> None:
            call.status, call.session = "active", dict(session)

        self._answer(call_id, accepted, incoming=True)

    def reject(self, call_id: str, status_code: int) -> None:
        """Decline an incoming call with a SIP status."""

        def rejected(call: Call) -> None:
            call.status, call.ended_by, call.status_code = "ended", "rejected", status_code

        self._answer(call_id, rejected, incoming=True)

    def refer(self, call_id: str, target_uri: str) -> None:
        """Transfer a call that has not ended to ``target_uri``."""

        def referred(call: Call) -> None:
            call.status, call.ended_by, call.target_uri = "ended", "referred", target_uri

        self._answer(call_id, referred, incoming=False)

    def hangup(self, call_id: str) -> None:
        """End a call that has not ended."""

        def hung_up(call: Call) -> None:
            call.status, call.ended_by = "ended", "hung_up"

        self._answer(call_id, hung_up, incoming=False)

    def fork(self, call_id: str) -> str:
        """A fork of an active session; its id (400 for a session not active)."""
        fork_id = new_id(self._prefix)

        def forked(call: Call) -> None:
            if call.status != "active":
                raise APIError(400, f"{self._noun} '{call_id}' is not active.")
            call.forks.append(fork_id)

        self._answer(call_id, forked, incoming=False)
        return fork_id


class RealtimeCallsState:
    """The fake's client secrets, Realtime calls and Live sessions
    (``fake.state.realtime_calls``); ``clock`` gives the time in seconds (expiry)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._lock = threading.Lock()
        self.clock = clock
        self._secrets: dict[str, dict[str, Any]] = {}
        #: The Realtime API's calls (``/v1/realtime/calls``).
        self.calls = Calls("Call", "rtc_")
        #: The Live API's sessions (``/v1/live/sessions``).
        self.live = Calls("Session", "sess_")

    def mint(self, session: Mapping[str, Any], seconds: int) -> dict[str, Any]:
        """A new client secret for ``session``, valid ``seconds``: its ``value`` and
        ``expires_at``."""
        value = new_id("ek_")
        expires_at = int(self.clock()) + seconds
        secret = {"value": value, "expires_at": expires_at, "session": dict(session)}
        with self._lock:
            self._secrets[value] = secret
        return dict(secret)

    def secret(self, value: str) -> dict[str, Any] | None:
        """The client secret ``value`` while it is valid (None when unknown or expired)."""
        with self._lock:
            secret = self._secrets.get(value)
        if secret is None or secret["expires_at"] <= self.clock():
            return None
        return dict(secret)

    def accepts(self, key: str, path: str) -> bool:
        """Whether ``key`` is a valid client secret and ``path`` a Realtime WebSocket's (a
        client secret opens Realtime sessions only)."""
        realtime = path == "/v1/realtime" or path.startswith("/v1/realtime/translations")
        return realtime and key.startswith("ek_") and self.secret(key) is not None

    def recording(self, session_id: str) -> bytes:
        """The recorded audio of a Live session (a WAV of the fake's speech)."""
        self.live.get(session_id)
        return speak(RECORDING_TEXT)
