"""The helpers of the Live API's WebSocket connections (``live``, ``live.sideband``,
``live.forks``), and their connection base: the Live events are not among the generated
types, so every server event comes as an UnknownVariant (its keys as attributes, ``type``
among them; ``to_dict()`` gives it back as sent)."""

from __future__ import annotations

from ..._ws_connection import AsyncWebSocketConnection
from ..._ws_events import ConnectionArea, area, client_event
from ...types.unknown_variant import UnknownVariant

__all__ = [
    "AsyncLiveDecisionItemResource",
    "AsyncLiveDecisionResource",
    "AsyncLiveResponseItemResource",
    "AsyncLiveResponseResource",
    "AsyncLiveSessionCommentaryResource",
    "AsyncLiveSessionInputAudioResource",
    "AsyncLiveSessionInstructionsResource",
    "AsyncLiveSessionOutputAudioFixtureResource",
    "AsyncLiveSessionOutputAudioResource",
    "AsyncLiveSessionResource",
    "AsyncLiveSessionThinkingResource",
    "AsyncSidebandSessionInputAudioResource",
    "AsyncSidebandSessionResource",
    "AsyncSidebandTransportDtmfResource",
    "AsyncSidebandTransportResource",
    "LiveConnectionBase",
]

_DELEGATED = ("content", "delegation_id")


class AsyncLiveSessionCommentaryResource(ConnectionArea):
    """``session.commentary``: ``append``."""

    __slots__ = ()
    append = client_event("session.commentary.append", required=_DELEGATED)


class AsyncLiveSessionInstructionsResource(ConnectionArea):
    """``session.instructions``: ``append``."""

    __slots__ = ()
    append = client_event("session.instructions.append", required=_DELEGATED)


class AsyncLiveSessionThinkingResource(ConnectionArea):
    """``session.thinking``: ``append``."""

    __slots__ = ()
    append = client_event("session.thinking.append", required=_DELEGATED)


class AsyncLiveSessionOutputAudioFixtureResource(ConnectionArea):
    """``session.output_audio.fixture``: ``play`` base64 audio."""

    __slots__ = ()
    play = client_event("session.output_audio.fixture.play", required=("audio",))


class AsyncLiveSessionOutputAudioResource(ConnectionArea):
    """``session.output_audio``: ``fixture``."""

    __slots__ = ()
    fixture = area(AsyncLiveSessionOutputAudioFixtureResource)


class AsyncSidebandSessionInputAudioResource(ConnectionArea):
    """``session.input_audio`` of a sideband connection: ``mute``, ``unmute``."""

    __slots__ = ()
    mute = client_event("session.input_audio.mute")
    unmute = client_event("session.input_audio.unmute")


class AsyncLiveSessionInputAudioResource(AsyncSidebandSessionInputAudioResource):
    """``session.input_audio``: ``append`` base64 audio, ``mute``, ``unmute``."""

    __slots__ = ()
    append = client_event("session.input_audio.append", required=("audio",))


class AsyncSidebandSessionResource(ConnectionArea):
    """``connection.session`` of a sideband connection."""

    __slots__ = ()
    update = client_event("session.update", required=("session",))
    close = client_event("session.close")
    commentary = area(AsyncLiveSessionCommentaryResource)
    input_audio = area(AsyncSidebandSessionInputAudioResource)
    instructions = area(AsyncLiveSessionInstructionsResource)
    output_audio = area(AsyncLiveSessionOutputAudioResource)
    thinking = area(AsyncLiveSessionThinkingResource)


class AsyncLiveSessionResource(AsyncSidebandSessionResource):
    """``connection.session``: ``start``, ``update``, ``close`` and the session's streams."""

    __slots__ = ()
    start = client_event("session.start", required=("session",))
    input_audio = area(AsyncLiveSessionInputAudioResource)


class AsyncLiveDecisionItemResource(ConnectionArea):
    """``decision.item``: ``create``, ``delete``."""

    __slots__ = ()
    create = client_event("decision.item.create", required=("item",))
    delete = client_event("decision.item.delete", required=("item_id",))


class AsyncLiveDecisionResource(ConnectionArea):
    """``connection.decision``: ``create`` (its ``event_id`` is required) and ``item``."""

    __slots__ = ()
    create = client_event("decision.create", required=("event_id",), optional=())
    item = area(AsyncLiveDecisionItemResource)


class AsyncLiveResponseItemResource(ConnectionArea):
    """``response.item``: ``create``."""

    __slots__ = ()
    create = client_event("response.item.create", required=("item",))


class AsyncLiveResponseResource(ConnectionArea):
    """``connection.response``: ``create`` and ``item``."""

    __slots__ = ()
    create = client_event("response.create")
    item = area(AsyncLiveResponseItemResource)


class AsyncSidebandTransportDtmfResource(ConnectionArea):
    """``transport.dtmf``: ``send`` a DTMF ``event``."""

    __slots__ = ()
    send = client_event("transport.dtmf.send", required=("event",))


class AsyncSidebandTransportResource(ConnectionArea):
    """``connection.transport``: ``dtmf``."""

    __slots__ = ()
    dtmf = area(AsyncSidebandTransportDtmfResource)


class LiveConnectionBase(AsyncWebSocketConnection[UnknownVariant]):
    """What the Live connections share: their events, ``decision`` and ``response``."""

    event_type = UnknownVariant
    decision = area(AsyncLiveDecisionResource)
    response = area(AsyncLiveResponseResource)
