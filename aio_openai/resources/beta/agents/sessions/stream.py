"""The session helpers: ``sessions.stream()`` (one turn: subscribe, send the input, read its
events until the session settles) and its result, and the stream ``sessions.create(...,
stream=True)`` returns."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, cast

from ....._streaming import AsyncStream
from ....._structured import check_output_type
from ....._types import RequestOptions
from .....lib.beta.agents._result import (
    AgentTurnResult,
    OutputT,
    TurnCollector,
    final_result,
)
from .....lib.beta.agents._stream import AsyncAgentSessionEventStream
from .....lib.beta.agents._tool_handlers import (
    AsyncToolErrorHandler,
    AsyncToolHandler,
    ToolDispatch,
    tool_options,
)
from .....types.beta.agent_session_event import AgentSessionEvent
from .....types.beta.agent_session_input_message_param import AgentSessionInputMessageParam

if TYPE_CHECKING:
    from . import Sessions

__all__ = [
    "AgentTurnResult",
    "AsyncAgentSessionEventStream",
    "AsyncAgentSessionStream",
    "OutputT",
    "input_event",
    "tool_dispatch",
]


def tool_dispatch(
    sessions: Sessions,
    handlers: Mapping[str, AsyncToolHandler] | None,
    on_error: AsyncToolErrorHandler | None,
    options: Mapping[str, Any],
) -> ToolDispatch:
    """The dispatch of a stream's tool handlers, sending each result as an input event of
    the session with the options of the call the stream came from (tool_options)."""
    sent = tool_options(options)

    async def submit(session_id: str, events: list[Any], key: str) -> None:
        await sessions.events.create(session_id, events=events, **{**sent, "idempotency_key": key})

    return ToolDispatch(handlers, on_error, submit)


def input_event(input: str | Iterable[AgentSessionInputMessageParam]) -> dict[str, Any]:
    """The ``agent.session.input.message`` event of a string or messages; ValueError if empty."""
    if isinstance(input, str):
        messages: list[Any] = [{"role": "user", "content": [{"type": "input_text", "text": input}]}]
        if not input:
            messages = []
    else:
        messages = list(input)
    if not messages:
        raise ValueError("input must not be empty")
    return {"type": "agent.session.input.message", "input": messages}


class AsyncAgentSessionStream(Generic[OutputT]):
    """One turn of an idle session, as ``async with client.beta.agents.sessions.stream(...)``
    gives it: entering checks the session is idle, subscribes to its events, then sends the
    input (with one Idempotency-Key for every retry); ``async for event in stream`` reads the
    turn's events up to the session settling (idle after the turn, or failed), and
    ``get_final_result()`` drains them into an AgentTurnResult. Leaving closes the
    connection (the turn itself is not cancelled). Iterating raises RuntimeError when the
    server ends the stream before the turn settled."""

    def __init__(
        self,
        sessions: Sessions,
        session_id: str,
        input: str | Iterable[AgentSessionInputMessageParam],
        options: RequestOptions,
        *,
        output_type: type[OutputT] | None = None,
        tool_handlers: Mapping[str, AsyncToolHandler] | None = None,
        on_tool_error: AsyncToolErrorHandler | None = None,
    ) -> None:
        if output_type is not None:
            check_output_type(output_type)
        self._sessions = sessions
        self._session_id = session_id
        self._input = input_event(input)
        self._options: dict[str, Any] = dict(options)
        #: the input's key, the same for every retry (the options' own key applies to it only)
        self._key = self._options.pop("idempotency_key", None) or f"aio-openai-{uuid.uuid4()}"
        self._tools = tool_dispatch(sessions, tool_handlers, on_tool_error, self._options)
        self._collector: TurnCollector[OutputT] = TurnCollector(session_id, output_type)
        self._stream: AsyncStream[AgentSessionEvent] | None = None
        self._events: AsyncIterator[AgentSessionEvent] | None = None
        self._entered = False
        self._closed = False

    async def __aenter__(self) -> Self:
        if self._entered:
            raise RuntimeError("an AsyncAgentSessionStream can be entered once")
        self._entered = True
        session = await self._sessions.retrieve(self._session_id, **self._options)
        if session.status != "idle":
            raise ValueError(
                f"sessions.stream needs an idle session, and {self._session_id} is "
                f"{session.status}: follow it with sessions.events.stream"
            )
        events = self._sessions.events
        self._stream = await events.stream(self._session_id, **self._options)
        try:
            await events.create(
                self._session_id,
                events=cast(Any, [self._input]),
                **{**self._options, "idempotency_key": self._key},
            )
        except BaseException:
            await self.close()
            raise
        self._events = self._iterate()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> AgentSessionEvent:
        if self._events is None:
            raise RuntimeError("use sessions.stream(...) in an async with block")
        return await self._events.__anext__()

    async def until_done(self) -> None:
        """Read the remaining events."""
        async for _ in self:
            pass

    def with_result_collection(self) -> Self:
        """Kept for the SDK's API: this stream always collects the turn's final messages."""
        return self

    async def get_final_result(self) -> AgentTurnResult[OutputT]:
        """Read the turn to its end (answering its function calls) and return its
        AgentTurnResult. Raises AgentTurnResultError when the turn failed, was cancelled,
        waits for an action no handler takes, or the stream gave no complete turn
        (``reason="observation_failed"`` when the stream failed: its error is the cause);
        AgentOutputParseError when the text does not make the ``output_type``."""
        handlers = self._tools.handlers
        return await final_result(self._collector, handlers, self.__anext__, self.close)

    async def close(self) -> None:
        """Close the event connection (the turn goes on on the server)."""
        self._closed = True
        if self._stream is not None:
            await self._stream.close()

    async def _iterate(self) -> AsyncIterator[AgentSessionEvent]:
        assert self._stream is not None
        collector = self._collector
        try:
            async for event in self._stream:
                if self._closed:
                    return
                collector.accept(event)
                call = self._tools.pending(event)
                yield event
                if collector.done:
                    return
                if call is not None:
                    await self._tools.answer(self._session_id, call)
            if not self._closed:
                raise RuntimeError("the session's event stream ended before the turn settled")
        except Exception as error:
            collector.failed(error)
            raise
        finally:
            await self.close()
