"""OpenAI's 400s for the bodies of the Realtime and Live REST calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aio_openai.testing._checks import (
    APIError,
    check_expiry,
    check_integer,
    check_string,
    invalid_value,
    missing,
    wrong_type,
)
from aio_openai.testing._realtime_calls.state import DEFAULT_SECRET_SECONDS

__all__ = [
    "check_accept",
    "check_live_session",
    "check_refer",
    "check_reject",
    "check_transport",
    "secret_seconds",
    "session_of",
]

#: The kinds of session a Realtime client secret is minted for.
SESSION_TYPES: Final = ("realtime", "transcription")
#: A client secret lives 10 seconds to 2 hours.
_LOW, _HIGH = 10, 7200


def _object(body: Mapping[str, Any], key: str, *, required: bool) -> dict[str, Any]:
    value = body.get(key)
    if value is None:
        if required:
            raise missing(key)
        return {}
    if not isinstance(value, dict):
        raise wrong_type(key, "an object", value)
    return value


def secret_seconds(body: Mapping[str, Any]) -> int:
    """The lifetime a client secret's body asks for (``expires_after``), checked."""
    check_expiry(body, "expires_after", anchor="created_at", unit="seconds", low=_LOW, high=_HIGH)
    after = body.get("expires_after")
    return DEFAULT_SECRET_SECONDS if after is None else int(after["seconds"])


def session_of(body: Mapping[str, Any], *, required: bool = False) -> dict[str, Any]:
    """A client secret's ``session`` (``type`` ``realtime`` unless it says
    ``transcription``), checked."""
    session = _object(body, "session", required=required)
    kind = session.get("type", "realtime")
    if kind not in SESSION_TYPES:
        raise invalid_value("session.type", kind, SESSION_TYPES)
    check_string(session, "model", param="session.model")
    return session


def check_accept(body: Mapping[str, Any]) -> None:
    """A Realtime call's ``accept``: a session of ``type`` ``realtime``."""
    if "type" not in body:
        raise missing("type")
    if body["type"] != "realtime":
        raise invalid_value("type", body["type"], ("realtime",))
    check_string(body, "model")
    check_string(body, "instructions")


def check_reject(body: Mapping[str, Any], *, required: bool) -> int:
    """A ``reject``'s SIP ``status_code`` (603 Decline when a call's is absent)."""
    if "status_code" not in body:
        if required:
            raise missing("status_code")
        return 603
    check_integer(body, "status_code", 100)
    if not 100 <= body["status_code"] <= 699:
        raise APIError(
            400, "Invalid 'status_code': expected a SIP status (100-699).", param="status_code"
        )
    return int(body["status_code"])


def check_refer(body: Mapping[str, Any]) -> str:
    """A ``refer``'s ``target_uri``: a ``sip:`` or ``tel:`` URI."""
    target = body.get("target_uri")
    if target is None:
        raise missing("target_uri")
    if not isinstance(target, str):
        raise wrong_type("target_uri", "a string", target)
    if not target.startswith(("sip:", "tel:")):
        raise APIError(
            400, "Invalid 'target_uri': expected a sip: or tel: URI.", param="target_uri"
        )
    return target


def check_transport(body: Mapping[str, Any]) -> str:
    """A Live call's ``transport``: WebRTC with the caller's SDP offer; the offer."""
    transport = _object(body, "transport", required=True)
    if transport.get("type") != "webrtc":
        raise invalid_value("transport.type", transport.get("type"), ("webrtc",))
    check_string(transport, "sdp", param="transport.sdp", required=True, min_length=1)
    return str(transport["sdp"])


def check_live_session(
    body: Mapping[str, Any], *, required: bool, kind: str | None = None
) -> dict[str, Any]:
    """A Live ``session``'s configuration: an object naming its ``model`` (and of ``type``
    ``kind``, when given: an accepted session's is ``live``)."""
    session = _object(body, "session", required=required)
    check_string(session, "model", param="session.model", required=required)
    if kind is not None and session.get("type") != kind:
        if "type" not in session:
            raise missing("session.type")
        raise invalid_value("session.type", session["type"], (kind,))
    return session
