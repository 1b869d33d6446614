"""Events of a streamed Assistants run (``runs.create(stream=True)``, ``create_and_run(...)``).

``AssistantStreamEvent`` is a union tagged on the event name (the ``event:`` line of the
server-sent event): ``thread.run.*`` carry a Run, ``thread.run.step.*`` a RunStep (``.delta`` a
RunStepDeltaEvent), ``thread.message.*`` a Message (``.delta`` a MessageDeltaEvent),
``thread.created`` a Thread. An event name this package does not know becomes an
:class:`UnknownStreamEvent` carrying the raw data, so new server events never break a stream.
``error`` events are raised as APIError by the stream rather than yielded.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs

from ..._convert import converter
from ..._models import BaseObject
from ..shared.error_object import ErrorObject
from ._unions import register_union
from .thread import Thread
from .threads.message import Message
from .threads.message_delta import (
    AnnotationDelta,
    FileCitationDeltaAnnotation,
    FilePathDeltaAnnotation,
    ImageFileDelta,
    ImageFileDeltaBlock,
    ImageURLDelta,
    ImageURLDeltaBlock,
    MessageContentDelta,
    MessageDelta,
    MessageDeltaEvent,
    RefusalDeltaBlock,
    TextDelta,
    TextDeltaBlock,
    UnknownAnnotationDelta,
    UnknownContentDeltaBlock,
)
from .threads.run import Run
from .threads.runs.run_step import RunStep
from .threads.runs.run_step_delta import (
    CodeInterpreterDelta,
    CodeInterpreterToolCallDelta,
    FileSearchToolCallDelta,
    FunctionToolCallDelta,
    FunctionToolCallDeltaFunction,
    RunStepDelta,
    RunStepDeltaEvent,
    RunStepDeltaMessageCreation,
    RunStepDeltaMessageDelta,
    RunStepDeltaStepDetails,
    ToolCallDelta,
    ToolCallDeltaObject,
    UnknownStepDetailsDelta,
    UnknownToolCallDelta,
)

__all__ = [
    "AnnotationDelta",
    "AssistantStreamEvent",
    "CodeInterpreterDelta",
    "CodeInterpreterToolCallDelta",
    "ErrorEvent",
    "ErrorObject",
    "FileCitationDeltaAnnotation",
    "FilePathDeltaAnnotation",
    "FileSearchToolCallDelta",
    "FunctionToolCallDelta",
    "FunctionToolCallDeltaFunction",
    "ImageFileDelta",
    "ImageFileDeltaBlock",
    "ImageURLDelta",
    "ImageURLDeltaBlock",
    "MessageContentDelta",
    "MessageDelta",
    "MessageDeltaEvent",
    "RefusalDeltaBlock",
    "RunStepDelta",
    "RunStepDeltaEvent",
    "RunStepDeltaMessageCreation",
    "RunStepDeltaMessageDelta",
    "RunStepDeltaStepDetails",
    "TextDelta",
    "TextDeltaBlock",
    "ThreadCreated",
    "ThreadMessageCompleted",
    "ThreadMessageCreated",
    "ThreadMessageDelta",
    "ThreadMessageInProgress",
    "ThreadMessageIncomplete",
    "ThreadRunCancelled",
    "ThreadRunCancelling",
    "ThreadRunCompleted",
    "ThreadRunCreated",
    "ThreadRunExpired",
    "ThreadRunFailed",
    "ThreadRunInProgress",
    "ThreadRunIncomplete",
    "ThreadRunQueued",
    "ThreadRunRequiresAction",
    "ThreadRunStepCancelled",
    "ThreadRunStepCompleted",
    "ThreadRunStepCreated",
    "ThreadRunStepDelta",
    "ThreadRunStepExpired",
    "ThreadRunStepFailed",
    "ThreadRunStepInProgress",
    "ToolCallDelta",
    "ToolCallDeltaObject",
    "UnknownAnnotationDelta",
    "UnknownContentDeltaBlock",
    "UnknownStepDetailsDelta",
    "UnknownStreamEvent",
    "UnknownToolCallDelta",
    "parse_assistant_stream_event",
]


# -- the events -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ThreadCreated(BaseObject):
    """A thread was created (``create_and_run``)."""

    data: Thread
    event: Literal["thread.created"] = "thread.created"
    enabled: bool | None = None


@attrs.frozen(kw_only=True)
class ThreadRunCreated(BaseObject):
    """A run was created."""

    data: Run
    event: Literal["thread.run.created"] = "thread.run.created"


@attrs.frozen(kw_only=True)
class ThreadRunQueued(BaseObject):
    """The run is now ``queued``."""

    data: Run
    event: Literal["thread.run.queued"] = "thread.run.queued"


@attrs.frozen(kw_only=True)
class ThreadRunInProgress(BaseObject):
    """The run is now ``in_progress``."""

    data: Run
    event: Literal["thread.run.in_progress"] = "thread.run.in_progress"


@attrs.frozen(kw_only=True)
class ThreadRunRequiresAction(BaseObject):
    """The run is now ``requires_action``."""

    data: Run
    event: Literal["thread.run.requires_action"] = "thread.run.requires_action"


@attrs.frozen(kw_only=True)
class ThreadRunCompleted(BaseObject):
    """The run is now ``completed``."""

    data: Run
    event: Literal["thread.run.completed"] = "thread.run.completed"


@attrs.frozen(kw_only=True)
class ThreadRunIncomplete(BaseObject):
    """The run is now ``incomplete``."""

    data: Run
    event: Literal["thread.run.incomplete"] = "thread.run.incomplete"


@attrs.frozen(kw_only=True)
class ThreadRunFailed(BaseObject):
    """The run is now ``failed``."""

    data: Run
    event: Literal["thread.run.failed"] = "thread.run.failed"


@attrs.frozen(kw_only=True)
class ThreadRunCancelling(BaseObject):
    """The run is now ``cancelling``."""

    data: Run
    event: Literal["thread.run.cancelling"] = "thread.run.cancelling"


@attrs.frozen(kw_only=True)
class ThreadRunCancelled(BaseObject):
    """The run is now ``cancelled``."""

    data: Run
    event: Literal["thread.run.cancelled"] = "thread.run.cancelled"


@attrs.frozen(kw_only=True)
class ThreadRunExpired(BaseObject):
    """The run is now ``expired``."""

    data: Run
    event: Literal["thread.run.expired"] = "thread.run.expired"


@attrs.frozen(kw_only=True)
class ThreadRunStepCreated(BaseObject):
    """A run step was created."""

    data: RunStep
    event: Literal["thread.run.step.created"] = "thread.run.step.created"


@attrs.frozen(kw_only=True)
class ThreadRunStepInProgress(BaseObject):
    """A run step is now ``in_progress``."""

    data: RunStep
    event: Literal["thread.run.step.in_progress"] = "thread.run.step.in_progress"


@attrs.frozen(kw_only=True)
class ThreadRunStepDelta(BaseObject):
    """A piece of a run step (its tool calls, as they are written)."""

    data: RunStepDeltaEvent
    event: Literal["thread.run.step.delta"] = "thread.run.step.delta"


@attrs.frozen(kw_only=True)
class ThreadRunStepCompleted(BaseObject):
    """A run step is now ``completed``."""

    data: RunStep
    event: Literal["thread.run.step.completed"] = "thread.run.step.completed"


@attrs.frozen(kw_only=True)
class ThreadRunStepFailed(BaseObject):
    """A run step is now ``failed``."""

    data: RunStep
    event: Literal["thread.run.step.failed"] = "thread.run.step.failed"


@attrs.frozen(kw_only=True)
class ThreadRunStepCancelled(BaseObject):
    """A run step is now ``cancelled``."""

    data: RunStep
    event: Literal["thread.run.step.cancelled"] = "thread.run.step.cancelled"


@attrs.frozen(kw_only=True)
class ThreadRunStepExpired(BaseObject):
    """A run step is now ``expired``."""

    data: RunStep
    event: Literal["thread.run.step.expired"] = "thread.run.step.expired"


@attrs.frozen(kw_only=True)
class ThreadMessageCreated(BaseObject):
    """A message was created."""

    data: Message
    event: Literal["thread.message.created"] = "thread.message.created"


@attrs.frozen(kw_only=True)
class ThreadMessageInProgress(BaseObject):
    """A message is now ``in_progress``."""

    data: Message
    event: Literal["thread.message.in_progress"] = "thread.message.in_progress"


@attrs.frozen(kw_only=True)
class ThreadMessageDelta(BaseObject):
    """A piece of a message's content, as it is written."""

    data: MessageDeltaEvent
    event: Literal["thread.message.delta"] = "thread.message.delta"


@attrs.frozen(kw_only=True)
class ThreadMessageCompleted(BaseObject):
    """A message is now ``completed``."""

    data: Message
    event: Literal["thread.message.completed"] = "thread.message.completed"


@attrs.frozen(kw_only=True)
class ThreadMessageIncomplete(BaseObject):
    """A message is now ``incomplete``."""

    data: Message
    event: Literal["thread.message.incomplete"] = "thread.message.incomplete"


@attrs.frozen(kw_only=True)
class ErrorEvent(BaseObject):
    """The server failed mid-stream (the stream raises APIError instead of yielding it)."""

    data: ErrorObject
    event: Literal["error"] = "error"


@attrs.frozen(kw_only=True)
class UnknownStreamEvent(BaseObject):
    """An event this package does not know: its name and its data as parsed JSON."""

    event: str
    data: Any = None


AssistantStreamEvent: TypeAlias = (
    ThreadCreated
    | ThreadRunCreated
    | ThreadRunQueued
    | ThreadRunInProgress
    | ThreadRunRequiresAction
    | ThreadRunCompleted
    | ThreadRunIncomplete
    | ThreadRunFailed
    | ThreadRunCancelling
    | ThreadRunCancelled
    | ThreadRunExpired
    | ThreadRunStepCreated
    | ThreadRunStepInProgress
    | ThreadRunStepDelta
    | ThreadRunStepCompleted
    | ThreadRunStepFailed
    | ThreadRunStepCancelled
    | ThreadRunStepExpired
    | ThreadMessageCreated
    | ThreadMessageInProgress
    | ThreadMessageDelta
    | ThreadMessageCompleted
    | ThreadMessageIncomplete
    | ErrorEvent
    | UnknownStreamEvent
)
"""An event of a streamed run, tagged on its name (``event``)."""

_EVENTS: dict[str, type[BaseObject]] = {
    "thread.created": ThreadCreated,
    "thread.run.created": ThreadRunCreated,
    "thread.run.queued": ThreadRunQueued,
    "thread.run.in_progress": ThreadRunInProgress,
    "thread.run.requires_action": ThreadRunRequiresAction,
    "thread.run.completed": ThreadRunCompleted,
    "thread.run.incomplete": ThreadRunIncomplete,
    "thread.run.failed": ThreadRunFailed,
    "thread.run.cancelling": ThreadRunCancelling,
    "thread.run.cancelled": ThreadRunCancelled,
    "thread.run.expired": ThreadRunExpired,
    "thread.run.step.created": ThreadRunStepCreated,
    "thread.run.step.in_progress": ThreadRunStepInProgress,
    "thread.run.step.delta": ThreadRunStepDelta,
    "thread.run.step.completed": ThreadRunStepCompleted,
    "thread.run.step.failed": ThreadRunStepFailed,
    "thread.run.step.cancelled": ThreadRunStepCancelled,
    "thread.run.step.expired": ThreadRunStepExpired,
    "thread.message.created": ThreadMessageCreated,
    "thread.message.in_progress": ThreadMessageInProgress,
    "thread.message.delta": ThreadMessageDelta,
    "thread.message.completed": ThreadMessageCompleted,
    "thread.message.incomplete": ThreadMessageIncomplete,
    "error": ErrorEvent,
}

register_union(AssistantStreamEvent, _EVENTS, fallback=UnknownStreamEvent, tag="event")

_structure_event = converter.get_structure_hook(AssistantStreamEvent)


def parse_assistant_stream_event(event: str | None, data: Any) -> AssistantStreamEvent:
    """The typed event for a server-sent event's name and parsed JSON data.

    Unknown names (and known names whose data is not an object) give an UnknownStreamEvent.
    """
    name = event or "message"
    if name not in _EVENTS or not isinstance(data, dict):
        return UnknownStreamEvent(event=name, data=data)
    parsed: AssistantStreamEvent = _structure_event(
        {"event": name, "data": data}, AssistantStreamEvent
    )
    return parsed
