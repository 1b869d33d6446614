"""Events of a streamed response (``responses.create(..., stream=True)``).

``ResponseStreamEvent`` is a union tagged on the data's ``type`` (the Responses API also puts
it in the ``event:`` line): the lifecycle events ``response.created``, ``response.queued``,
``response.in_progress``, ``response.completed``, ``response.failed``, ``response.incomplete``
carry the Response; ``response.output_item.added``/``.done`` an output item;
``response.content_part.added``/``.done`` a part; ``response.output_text.delta``/``.done``,
``response.refusal.delta``/``.done`` and ``response.function_call_arguments.delta``/``.done``
the pieces as they are written; ``error`` a failure. Every event has its ``sequence_number``.
An event type this package does not know becomes an :class:`UnknownResponseStreamEvent`
carrying the raw data, so new server events never break a stream.

Note: an event named ``error`` on the ``event:`` line is raised as APIError by the stream (as
every stream of this package does) rather than yielded.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs

from ..._convert import converter
from ..._models import BaseObject
from ..beta._unions import register_union
from .response import Response
from .response_output_item import ResponseOutputContent, ResponseOutputItem

__all__ = [
    "ResponseCompletedEvent",
    "ResponseContentPartAddedEvent",
    "ResponseContentPartDoneEvent",
    "ResponseCreatedEvent",
    "ResponseErrorEvent",
    "ResponseFailedEvent",
    "ResponseFunctionCallArgumentsDeltaEvent",
    "ResponseFunctionCallArgumentsDoneEvent",
    "ResponseInProgressEvent",
    "ResponseIncompleteEvent",
    "ResponseOutputItemAddedEvent",
    "ResponseOutputItemDoneEvent",
    "ResponseQueuedEvent",
    "ResponseRefusalDeltaEvent",
    "ResponseRefusalDoneEvent",
    "ResponseStreamEvent",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
    "UnknownResponseStreamEvent",
    "parse_response_stream_event",
]


# -- lifecycle ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ResponseCreatedEvent(BaseObject):
    """The response was created."""

    response: Response
    sequence_number: int = 0
    type: Literal["response.created"] = "response.created"


@attrs.frozen(kw_only=True)
class ResponseQueuedEvent(BaseObject):
    """The response is queued (background mode)."""

    response: Response
    sequence_number: int = 0
    type: Literal["response.queued"] = "response.queued"


@attrs.frozen(kw_only=True)
class ResponseInProgressEvent(BaseObject):
    """The model is writing the response."""

    response: Response
    sequence_number: int = 0
    type: Literal["response.in_progress"] = "response.in_progress"


@attrs.frozen(kw_only=True)
class ResponseCompletedEvent(BaseObject):
    """The response is complete: the whole Response, with its usage."""

    response: Response
    sequence_number: int = 0
    type: Literal["response.completed"] = "response.completed"


@attrs.frozen(kw_only=True)
class ResponseFailedEvent(BaseObject):
    """The response failed (its ``error`` says why)."""

    response: Response
    sequence_number: int = 0
    type: Literal["response.failed"] = "response.failed"


@attrs.frozen(kw_only=True)
class ResponseIncompleteEvent(BaseObject):
    """The response ended incomplete (its ``incomplete_details`` say why)."""

    response: Response
    sequence_number: int = 0
    type: Literal["response.incomplete"] = "response.incomplete"


# -- items and parts ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ResponseOutputItemAddedEvent(BaseObject):
    """An output item was started."""

    item: ResponseOutputItem
    output_index: int = 0
    sequence_number: int = 0
    type: Literal["response.output_item.added"] = "response.output_item.added"


@attrs.frozen(kw_only=True)
class ResponseOutputItemDoneEvent(BaseObject):
    """An output item is done (the whole item)."""

    item: ResponseOutputItem
    output_index: int = 0
    sequence_number: int = 0
    type: Literal["response.output_item.done"] = "response.output_item.done"


@attrs.frozen(kw_only=True)
class ResponseContentPartAddedEvent(BaseObject):
    """A content part of a message was started."""

    part: ResponseOutputContent
    item_id: str = ""
    output_index: int = 0
    content_index: int = 0
    sequence_number: int = 0
    type: Literal["response.content_part.added"] = "response.content_part.added"


@attrs.frozen(kw_only=True)
class ResponseContentPartDoneEvent(BaseObject):
    """A content part is done (the whole part)."""

    part: ResponseOutputContent
    item_id: str = ""
    output_index: int = 0
    content_index: int = 0
    sequence_number: int = 0
    type: Literal["response.content_part.done"] = "response.content_part.done"


# -- deltas ------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ResponseTextDeltaEvent(BaseObject):
    """A piece of output text."""

    delta: str = ""
    item_id: str = ""
    output_index: int = 0
    content_index: int = 0
    logprobs: list[Any] = attrs.field(factory=list)
    sequence_number: int = 0
    type: Literal["response.output_text.delta"] = "response.output_text.delta"


@attrs.frozen(kw_only=True)
class ResponseTextDoneEvent(BaseObject):
    """An output text part is done: its whole text."""

    text: str = ""
    item_id: str = ""
    output_index: int = 0
    content_index: int = 0
    logprobs: list[Any] = attrs.field(factory=list)
    sequence_number: int = 0
    type: Literal["response.output_text.done"] = "response.output_text.done"


@attrs.frozen(kw_only=True)
class ResponseRefusalDeltaEvent(BaseObject):
    """A piece of a refusal."""

    delta: str = ""
    item_id: str = ""
    output_index: int = 0
    content_index: int = 0
    sequence_number: int = 0
    type: Literal["response.refusal.delta"] = "response.refusal.delta"


@attrs.frozen(kw_only=True)
class ResponseRefusalDoneEvent(BaseObject):
    """A refusal is done: its whole text."""

    refusal: str = ""
    item_id: str = ""
    output_index: int = 0
    content_index: int = 0
    sequence_number: int = 0
    type: Literal["response.refusal.done"] = "response.refusal.done"


@attrs.frozen(kw_only=True)
class ResponseFunctionCallArgumentsDeltaEvent(BaseObject):
    """A piece of a function call's JSON arguments."""

    delta: str = ""
    item_id: str = ""
    output_index: int = 0
    sequence_number: int = 0
    type: Literal["response.function_call_arguments.delta"] = (
        "response.function_call_arguments.delta"
    )


@attrs.frozen(kw_only=True)
class ResponseFunctionCallArgumentsDoneEvent(BaseObject):
    """A function call's arguments are done: the whole JSON, and the function's name."""

    arguments: str = ""
    name: str | None = None
    item_id: str = ""
    output_index: int = 0
    sequence_number: int = 0
    type: Literal["response.function_call_arguments.done"] = "response.function_call_arguments.done"


@attrs.frozen(kw_only=True)
class ResponseErrorEvent(BaseObject):
    """The server failed mid-stream."""

    message: str = ""
    code: str | None = None
    param: str | None = None
    sequence_number: int = 0
    type: Literal["error"] = "error"


@attrs.frozen(kw_only=True)
class UnknownResponseStreamEvent(BaseObject):
    """An event this package does not know: its ``type`` and its ``data`` as parsed JSON.

    The data's other keys are reachable as attributes too (``event.delta``).
    """

    type: str
    data: Any = None
    sequence_number: int | None = None


ResponseStreamEvent: TypeAlias = (
    ResponseCreatedEvent
    | ResponseQueuedEvent
    | ResponseInProgressEvent
    | ResponseCompletedEvent
    | ResponseFailedEvent
    | ResponseIncompleteEvent
    | ResponseOutputItemAddedEvent
    | ResponseOutputItemDoneEvent
    | ResponseContentPartAddedEvent
    | ResponseContentPartDoneEvent
    | ResponseTextDeltaEvent
    | ResponseTextDoneEvent
    | ResponseRefusalDeltaEvent
    | ResponseRefusalDoneEvent
    | ResponseFunctionCallArgumentsDeltaEvent
    | ResponseFunctionCallArgumentsDoneEvent
    | ResponseErrorEvent
    | UnknownResponseStreamEvent
)
"""An event of a streamed response, tagged on ``type``."""

_EVENTS: dict[str, type[BaseObject]] = {
    "response.created": ResponseCreatedEvent,
    "response.queued": ResponseQueuedEvent,
    "response.in_progress": ResponseInProgressEvent,
    "response.completed": ResponseCompletedEvent,
    "response.failed": ResponseFailedEvent,
    "response.incomplete": ResponseIncompleteEvent,
    "response.output_item.added": ResponseOutputItemAddedEvent,
    "response.output_item.done": ResponseOutputItemDoneEvent,
    "response.content_part.added": ResponseContentPartAddedEvent,
    "response.content_part.done": ResponseContentPartDoneEvent,
    "response.output_text.delta": ResponseTextDeltaEvent,
    "response.output_text.done": ResponseTextDoneEvent,
    "response.refusal.delta": ResponseRefusalDeltaEvent,
    "response.refusal.done": ResponseRefusalDoneEvent,
    "response.function_call_arguments.delta": ResponseFunctionCallArgumentsDeltaEvent,
    "response.function_call_arguments.done": ResponseFunctionCallArgumentsDoneEvent,
    "error": ResponseErrorEvent,
}

register_union(ResponseStreamEvent, _EVENTS, fallback=UnknownResponseStreamEvent)

_structure_event = converter.get_structure_hook(ResponseStreamEvent)


def parse_response_stream_event(event: str | None, data: Any) -> ResponseStreamEvent:
    """The typed event for a server-sent event's name and parsed JSON data.

    The type is the data's ``type`` (else the ``event:`` name). Unknown types, and data that is
    not an object, give an UnknownResponseStreamEvent carrying the raw data.
    """
    if not isinstance(data, dict):
        return UnknownResponseStreamEvent(type=event or "message", data=data)
    name = data.get("type")
    if not isinstance(name, str):
        name = event or "message"
    if name not in _EVENTS:
        extra = {k: v for k, v in data.items() if k not in ("type", "sequence_number", "data")}
        seq = data.get("sequence_number")
        return UnknownResponseStreamEvent(
            type=name,
            data=data,
            sequence_number=seq if isinstance(seq, int) else None,
            model_extra=extra,
        )
    if data.get("type") != name:
        data = {**data, "type": name}
    parsed: ResponseStreamEvent = _structure_event(data, ResponseStreamEvent)
    return parsed
