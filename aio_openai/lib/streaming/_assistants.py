"""The Assistants streaming helpers: an event handler with callbacks and snapshots, and the
async context manager that opens its stream.

``client.beta.threads.runs.stream(...)`` (and ``create_and_stream``,
``submit_tool_outputs_stream``, ``threads.create_and_run_stream``) returns an
:class:`AsyncAssistantStreamManager`; ``async with`` sends the request and gives the
:class:`AsyncAssistantEventHandler` (yours, a subclass, when ``event_handler=`` is given)
reading the run's stream::

    async with client.beta.threads.runs.stream(thread_id=..., assistant_id=...) as stream:
        async for text in stream.text_deltas:
            print(text, end="")
        run = await stream.get_final_run()

Each event goes through the handler before it is yielded: ``on_event`` first, then the
snapshots are brought up to date (a message's content and a run step's tool calls are
accumulated from their deltas, see :mod:`._deltas`), then the callbacks of what the event
means, in the official SDK's order (``on_text_created``, ``on_text_delta``,
``on_text_done``, ``on_tool_call_created``, ...). Where the SDK's handler repeats or skips
a callback when one stream shows several tool steps or messages, this one calls each
``*_created`` and ``*_done`` once per block or tool call; and a run step's snapshot becomes
the step the server sends when it is done, as a message's does.

The events come from the package's AsyncStream, so its rules hold: the idle timeout, the
response size cap, a typed error for an ``error`` event, and APIConnectionError for a stream
that ends before the run's final event. An error (or a callback's) is passed to
``on_exception`` (a timeout to ``on_timeout`` first), the stream is closed and the error
raised; ``on_end`` runs once when the stream ends or fails.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any, Final, Generic, Self, TypeVar

import attrs

from ..._convert import converter
from ..._exceptions import APITimeoutError
from ..._streaming import AsyncStream
from ...types.beta.assistant_stream_event import AssistantStreamEvent, ThreadMessageDelta
from ...types.beta.threads.message import (
    ImageFile,
    ImageFileContentBlock,
    Message,
    MessageContent,
    Text,
    TextContentBlock,
)
from ...types.beta.threads.message_delta import (
    MessageContentDelta,
    MessageDelta,
    MessageDeltaEvent,
    TextDelta,
    TextDeltaBlock,
)
from ...types.beta.threads.run import Run
from ...types.beta.threads.runs.run_step import RunStep, ToolCall, ToolCallsStepDetails
from ...types.beta.threads.runs.run_step_delta import (
    RunStepDelta,
    RunStepDeltaEvent,
    ToolCallDelta,
    ToolCallDeltaObject,
)
from ._deltas import accumulate_delta

__all__ = [
    "AsyncAssistantEventHandler",
    "AsyncAssistantEventHandlerT",
    "AsyncAssistantStreamManager",
    "StreamOpener",
    "stream_manager",
]

_structure_block: Final = converter.get_structure_hook(MessageContent)
_structure_step: Final = converter.get_structure_hook(RunStep)

#: What a stream helper sends when its ``async with`` is entered: the stream of the run.
StreamOpener = Callable[[], Awaitable[AsyncStream[AssistantStreamEvent]]]


class AsyncAssistantEventHandler:
    """Reads a streamed run: callbacks to override, accumulated snapshots, final results.

    Subclass it and override the ``on_*`` callbacks you need (all are coroutines doing
    nothing here), then pass an instance as ``event_handler=``; a handler reads one stream
    (RuntimeError on a second). Iterate it (``async for event in handler``) for every
    AssistantStreamEvent, ``text_deltas`` for the text alone, or ``await until_done()``.
    ``get_final_run()``, ``get_final_messages()`` and ``get_final_run_steps()`` read the
    stream to its end first. A subclass defining ``__init__`` must call
    ``super().__init__()``.
    """

    text_deltas: AsyncIterator[str]
    """The text of the message deltas as it comes (``async for text in
    stream.text_deltas``); each event still goes through the callbacks."""

    def __init__(self) -> None:
        self.__stream: AsyncStream[AssistantStreamEvent] | None = None
        self.__ended = False
        self.__current_event: AssistantStreamEvent | None = None
        self.__current_run: Run | None = None
        self.__message: Message | None = None  # the current message snapshot
        self.__messages: dict[str, Message] = {}
        self.__steps: dict[str, RunStep] = {}
        self.__step_id: str | None = None
        self.__block_index: int | None = None
        self.__block: MessageContent | None = None
        self.__call_index: int | None = None
        self.__call: ToolCall | None = None
        self.text_deltas = _TextDeltas(self)

    def _init(self, stream: AsyncStream[AssistantStreamEvent]) -> None:
        """Bind the handler to the stream it reads (the manager does, once)."""
        self._check_unbound()
        self.__stream = stream

    def _check_unbound(self) -> None:
        if self.__stream is not None:
            raise RuntimeError(
                "A single event handler cannot be shared between multiple streams; "
                "construct a new event handler instance for each stream"
            )

    # -- reading ---------------------------------------------------------------------------

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> AssistantStreamEvent:
        stream = self.__stream
        if stream is None:
            raise RuntimeError("Stream has not been started yet: use the handler in `async with`")
        if self.__ended:
            raise StopAsyncIteration
        try:
            event = await stream.__anext__()
            await self._emit(event)
        except StopAsyncIteration:
            await self.__end()
            raise
        except Exception as exc:
            await stream.close()
            try:
                if isinstance(exc, APITimeoutError | TimeoutError):
                    await self.on_timeout()
                await self.on_exception(exc)
            finally:
                await self.__end()
            raise
        except BaseException:  # cancelled: stop reading, the connection is closed
            await stream.close()
            await self.__end()
            raise
        return event

    async def __end(self) -> None:
        if not self.__ended:
            self.__ended = True
            await self.on_end()

    async def until_done(self) -> None:
        """Read the stream to its end (every event through the callbacks)."""
        async for _ in self:
            pass

    async def close(self) -> None:
        """Stop reading and release the connection (the manager's ``async with`` does it)."""
        if self.__stream is not None:
            await self.__stream.close()

    # -- snapshots and results -------------------------------------------------------------

    @property
    def current_event(self) -> AssistantStreamEvent | None:
        """The event being handled (within the callbacks; None between events)."""
        return self.__current_event

    @property
    def current_run(self) -> Run | None:
        """The run as the latest ``thread.run.*`` event showed it."""
        return self.__current_run

    @property
    def current_run_step_snapshot(self) -> RunStep | None:
        """The run step in progress, its deltas accumulated (None between steps)."""
        return None if self.__step_id is None else self.__steps.get(self.__step_id)

    @property
    def current_message_snapshot(self) -> Message | None:
        """The latest message, its content deltas accumulated."""
        return self.__message

    async def get_final_run(self) -> Run:
        """Read the stream to its end; the run as it ended (RuntimeError if none was seen)."""
        await self.until_done()
        if self.__current_run is None:
            raise RuntimeError("No final run object found")
        return self.__current_run

    async def get_final_run_steps(self) -> list[RunStep]:
        """Read the stream to its end; the steps it showed (RuntimeError if none)."""
        await self.until_done()
        if not self.__steps:
            raise RuntimeError("No run steps found")
        return list(self.__steps.values())

    async def get_final_messages(self) -> list[Message]:
        """Read the stream to its end; the messages it wrote (RuntimeError if none)."""
        await self.until_done()
        if not self.__messages:
            raise RuntimeError("No messages found")
        return list(self.__messages.values())

    # -- the callbacks ---------------------------------------------------------------------

    async def on_event(self, event: AssistantStreamEvent) -> None:
        """Every event, first, before the snapshots take it in."""

    async def on_end(self) -> None:
        """The stream ended: read to its end, or failed."""

    async def on_exception(self, exception: Exception) -> None:
        """Reading failed (the error is raised after this)."""

    async def on_timeout(self) -> None:
        """The stream timed out (``on_exception`` follows)."""

    async def on_run_step_created(self, run_step: RunStep) -> None:
        """A run step began."""

    async def on_run_step_delta(self, delta: RunStepDelta, snapshot: RunStep) -> None:
        """A piece of a run step (``delta``) and the step so far (``snapshot``)."""

    async def on_run_step_done(self, run_step: RunStep) -> None:
        """A run step is completed, failed, cancelled or expired."""

    async def on_tool_call_created(self, tool_call: ToolCall) -> None:
        """A tool call began (its first delta, accumulated)."""

    async def on_tool_call_delta(self, delta: ToolCallDelta, snapshot: ToolCall) -> None:
        """A later piece of a tool call and the call so far."""

    async def on_tool_call_done(self, tool_call: ToolCall) -> None:
        """A tool call is complete: the next call began, its step is done, or the run
        stopped (``requires_action``: the call waits for its output)."""

    async def on_message_created(self, message: Message) -> None:
        """A message began."""

    async def on_message_delta(self, delta: MessageDelta, snapshot: Message) -> None:
        """A piece of a message and the message so far."""

    async def on_message_done(self, message: Message) -> None:
        """A message is completed (or incomplete), as the server sent it."""

    async def on_text_created(self, text: Text) -> None:
        """A text block began (its first piece)."""

    async def on_text_delta(self, delta: TextDelta, snapshot: Text) -> None:
        """A piece of a text block and the text so far."""

    async def on_text_done(self, text: Text) -> None:
        """A text block is complete."""

    async def on_image_file_done(self, image_file: ImageFile) -> None:
        """An image file block is complete."""

    # -- taking an event in ----------------------------------------------------------------

    async def _emit(self, event: AssistantStreamEvent) -> None:
        """Bring the snapshots up to date with ``event`` and call its callbacks."""
        self.__current_event = event
        await self.on_event(event)
        take = _TAKE.get(event.event)
        if take is not None:
            await take(self, event.data)
        self.__current_event = None

    async def _run(self, run: Run) -> None:
        self.__current_run = run

    async def _run_stopped(self, run: Run) -> None:
        self.__current_run = run
        await self.__finish_tool_call()

    async def _message_created(self, message: Message) -> None:
        self.__message = self.__messages[message.id] = message
        await self.on_message_created(message)

    async def _message_delta(self, data: MessageDeltaEvent) -> None:
        snapshot = self.__messages.get(data.id, self.__message)
        if snapshot is None:
            raise RuntimeError(f"A delta of message {data.id!r} came before the message")
        content = list(snapshot.content)
        placed: list[tuple[MessageContentDelta, int]] = []  # each delta, where it went
        created: list[MessageContent] = []
        for delta in data.delta.content or ():
            at = delta.index
            if at is None or at < 0:
                continue  # nowhere to go (a piece of a kind this package does not know)
            piece = delta.to_dict()
            if at < len(content):
                merged = accumulate_delta(content[at].to_dict(), piece)
                content[at] = _structure_block(merged, MessageContent)
            else:
                at = len(content)
                content.append(_structure_block(accumulate_delta({}, piece), MessageContent))
                created.append(content[at])
            placed.append((delta, at))
        if placed:
            snapshot = attrs.evolve(snapshot, content=content)
        self.__message = self.__messages[data.id] = snapshot
        for block in created:
            if isinstance(block, TextContentBlock):
                await self.on_text_created(block.text)
        for delta, at in placed:
            block = content[at]
            text = delta.text if isinstance(delta, TextDeltaBlock) else None
            if text is not None and isinstance(block, TextContentBlock):
                await self.on_text_delta(text, block.text)
            if at != self.__block_index:
                await self.__finish_block(self.__block)
                self.__block_index = at
            self.__block = block
        await self.on_message_delta(data.delta, snapshot)

    async def _message_done(self, message: Message) -> None:
        self.__message = self.__messages[message.id] = message
        index = self.__block_index
        if index is not None and index < len(message.content):
            await self.__finish_block(message.content[index])
        self.__block_index = self.__block = None
        await self.on_message_done(message)

    async def __finish_block(self, block: MessageContent | None) -> None:
        if isinstance(block, TextContentBlock):
            await self.on_text_done(block.text)
        elif isinstance(block, ImageFileContentBlock):
            await self.on_image_file_done(block.image_file)

    async def _step_created(self, step: RunStep) -> None:
        self.__steps[step.id] = step
        self.__step_id = step.id
        await self.on_run_step_created(step)

    async def _step_in_progress(self, step: RunStep) -> None:
        self.__step_id = step.id

    async def _step_delta(self, data: RunStepDeltaEvent) -> None:
        snapshot = self.__steps.get(data.id)
        if snapshot is None:
            raise RuntimeError(f"A delta of run step {data.id!r} came before the step")
        merged = accumulate_delta(snapshot.to_dict(), data.delta.to_dict())
        snapshot = _structure_step(merged, RunStep)
        self.__steps[data.id] = snapshot
        details = data.delta.step_details
        calls = snapshot.step_details
        if (
            isinstance(details, ToolCallDeltaObject)
            and details.tool_calls
            and isinstance(calls, ToolCallsStepDetails)
        ):
            for delta in details.tool_calls:
                index = delta.index
                if index is None or index >= len(calls.tool_calls):
                    continue
                call = calls.tool_calls[index]
                if index == self.__call_index:
                    await self.on_tool_call_delta(delta, call)
                else:
                    await self.__finish_tool_call()
                    self.__call_index = index
                    await self.on_tool_call_created(call)
                self.__call = call
        await self.on_run_step_delta(data.delta, snapshot)

    async def _step_done(self, step: RunStep) -> None:
        await self.__finish_tool_call()
        self.__steps[step.id] = step
        await self.on_run_step_done(step)
        self.__step_id = None

    async def __finish_tool_call(self) -> None:
        call = self.__call
        self.__call_index = self.__call = None
        if call is not None:
            await self.on_tool_call_done(call)


#: What each event does to the handler (events not named here: only ``on_event``).
_TAKE: Final[Mapping[str, Callable[[AsyncAssistantEventHandler, Any], Awaitable[None]]]] = {
    **dict.fromkeys(
        [
            "thread.run.created",
            "thread.run.queued",
            "thread.run.in_progress",
            "thread.run.cancelling",
        ],
        AsyncAssistantEventHandler._run,
    ),
    **dict.fromkeys(
        [
            "thread.run.completed",
            "thread.run.requires_action",
            "thread.run.incomplete",
            "thread.run.failed",
            "thread.run.cancelled",
            "thread.run.expired",
        ],
        AsyncAssistantEventHandler._run_stopped,
    ),
    "thread.message.created": AsyncAssistantEventHandler._message_created,
    "thread.message.delta": AsyncAssistantEventHandler._message_delta,
    "thread.message.completed": AsyncAssistantEventHandler._message_done,
    "thread.message.incomplete": AsyncAssistantEventHandler._message_done,
    "thread.run.step.created": AsyncAssistantEventHandler._step_created,
    "thread.run.step.in_progress": AsyncAssistantEventHandler._step_in_progress,
    "thread.run.step.delta": AsyncAssistantEventHandler._step_delta,
    **dict.fromkeys(
        [
            "thread.run.step.completed",
            "thread.run.step.failed",
            "thread.run.step.cancelled",
            "thread.run.step.expired",
        ],
        AsyncAssistantEventHandler._step_done,
    ),
}


class _TextDeltas:
    """The text pieces of a handler's message deltas, as an async iterator."""

    __slots__ = ("_handler", "_pending")

    def __init__(self, handler: AsyncAssistantEventHandler) -> None:
        self._handler = handler
        self._pending: deque[str] = deque()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> str:
        pending = self._pending
        while not pending:
            event = await self._handler.__anext__()
            if isinstance(event, ThreadMessageDelta):
                for block in event.data.delta.content or ():
                    if isinstance(block, TextDeltaBlock) and block.text and block.text.value:
                        pending.append(block.text.value)
        return pending.popleft()


AsyncAssistantEventHandlerT = TypeVar(
    "AsyncAssistantEventHandlerT", bound=AsyncAssistantEventHandler
)


class AsyncAssistantStreamManager(Generic[AsyncAssistantEventHandlerT]):
    """What the stream helpers return: ``async with`` it to send the request and get the
    event handler reading the run's stream; leaving the block closes the stream (the
    connection is closed if the stream was not read to its end).

    Entered once (RuntimeError on a second ``async with``). Errors of the request itself
    (a 4xx, a refused connection) are raised by ``async with``, before the handler sees
    anything.
    """

    def __init__(
        self, api_request: StreamOpener, *, event_handler: AsyncAssistantEventHandlerT
    ) -> None:
        if not isinstance(event_handler, AsyncAssistantEventHandler):
            raise TypeError(
                "event_handler must be an instance of AsyncAssistantEventHandler (or of a "
                f"subclass), got {event_handler!r}"
            )
        self.__open: StreamOpener | None = api_request
        self.__stream: AsyncStream[AssistantStreamEvent] | None = None
        self.__event_handler = event_handler

    async def __aenter__(self) -> AsyncAssistantEventHandlerT:
        opener = self.__open
        if opener is None:
            raise RuntimeError("An assistant stream manager can be entered only once")
        self.__open = None
        handler = self.__event_handler
        handler._check_unbound()  # before the run is started for nothing
        stream = self.__stream = await opener()
        handler._init(stream)
        return handler

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        if self.__stream is not None:
            await self.__stream.close()


def stream_manager(
    opener: StreamOpener, event_handler: AsyncAssistantEventHandlerT | None
) -> AsyncAssistantStreamManager[Any]:
    """The manager of a stream helper: ``event_handler``, or a plain handler."""
    handler = AsyncAssistantEventHandler() if event_handler is None else event_handler
    return AsyncAssistantStreamManager(opener, event_handler=handler)
