"""The session helpers: ``sessions.stream()`` (one turn: subscribe, send the input, read its
events until the session settles) and its result, and the stream ``sessions.create(...,
stream=True)`` returns."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, cast

import attrs

from ....._streaming import AsyncStream
from ....._structured import LoadError, check_output_type, load
from ....._types import RequestOptions
from .....types.beta.agent_session_event import AgentSessionEvent
from .....types.beta.agent_session_input_message_param import AgentSessionInputMessageParam
from .....types.beta.agents.sessions.turn import Turn
from .tools import AgentOutputParseError, AsyncToolErrorHandler, AsyncToolHandler, ToolDispatch

if TYPE_CHECKING:
    from . import Sessions

__all__ = ["AgentTurnResult", "AsyncAgentSessionEventStream", "AsyncAgentSessionStream", "OutputT"]

OutputT = TypeVar("OutputT")
T = TypeVar("T")

#: The event types that end a turn.
_TURN_ENDS = frozenset(
    {"agent.session.turn.completed", "agent.session.turn.failed", "agent.session.turn.cancelled"}
)


class AsyncAgentSessionEventStream(AsyncStream[AgentSessionEvent], Generic[OutputT]):
    """The events of ``sessions.create(..., stream=True)``: an AsyncStream of
    AgentSessionEvent (``agent.session.created``, the first turn's events, then the session
    settling)."""

    __slots__ = ()


@attrs.frozen
class AgentTurnResult(Generic[OutputT]):
    """A finished turn: the Turn and the final (not commentary) messages it output."""

    turn: Turn
    messages: list[Any]
    output_parsed: OutputT | None = None

    @property
    def session_id(self) -> str:
        """The session the turn ran in."""
        return self.turn.session_id

    @property
    def turn_id(self) -> str:
        """The turn's id."""
        return self.turn.id

    def parse(self, output_type: type[T]) -> AgentTurnResult[T]:
        """The result with ``output_parsed``: the first final ``output_text`` as an
        ``output_type`` (a pydantic model, dataclass, attrs class, TypedDict);
        AgentOutputParseError when there is none or it does not fit."""
        texts = [
            part.text
            for message in self.messages
            for part in message.content
            if getattr(part, "type", None) == "output_text"
        ]
        try:
            parsed = load(output_type, texts[0])
        except (IndexError, LoadError):
            raise AgentOutputParseError(self) from None
        return AgentTurnResult(self.turn, self.messages, parsed)

    @property
    def output_text(self) -> str:
        """The text of the messages' ``output_text`` parts, joined as they are."""
        return "".join(
            part.text
            for message in self.messages
            for part in message.content
            if getattr(part, "type", None) == "output_text"
        )


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
    connection (the turn itself is not cancelled). Raises RuntimeError when the server ends
    the stream before the turn settled."""

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
        self._output_type = output_type
        self._tools = ToolDispatch(tool_handlers, on_tool_error)
        self._sessions = sessions
        self._session_id = session_id
        self._input = input_event(input)
        self._options: dict[str, Any] = dict(options)
        #: the input's key, the same for every retry (the options' own key applies to it only)
        self._key = self._options.pop("idempotency_key", None) or f"aio-openai-{uuid.uuid4()}"
        self._stream: AsyncStream[AgentSessionEvent] | None = None
        self._events: AsyncIterator[AgentSessionEvent] | None = None
        self._entered = False
        self._closed = False
        self._turn: Turn | None = None
        self._messages: dict[str, tuple[int, Any]] = {}

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
        """Read the turn to its end and return its AgentTurnResult; RuntimeError if the
        stream ended without the turn."""
        await self.until_done()
        if self._turn is None:
            raise RuntimeError(f"no turn of session {self._session_id} was seen")
        ordered = sorted(self._messages.values(), key=lambda pair: pair[0])
        result: AgentTurnResult[Any] = AgentTurnResult(self._turn, [m for _, m in ordered])
        return result if self._output_type is None else result.parse(self._output_type)

    async def close(self) -> None:
        """Close the event connection (the turn goes on on the server)."""
        self._closed = True
        if self._stream is not None:
            await self._stream.close()

    def _accept(self, event: Any) -> bool:
        """Note what the event says of the turn; whether it ends the stream."""
        kind = event.type
        if kind == "agent.session.turn.created" and self._turn is None:
            if event.turn.subagent_id is None:
                self._turn = event.turn
        elif kind in _TURN_ENDS and self._turn is not None and event.turn_id == self._turn.id:
            self._turn = event.turn
        elif kind == "agent.session.turn.item.done" and self._turn is not None:
            item = event.item
            if (
                getattr(item, "type", None) == "message"
                and item.turn_id == self._turn.id
                and getattr(item, "phase", None) != "commentary"
                and item.status == "completed"
            ):
                self._messages[item.id] = (event.output_index, item)
        elif kind == "agent.session.failed":
            return True
        elif kind in ("agent.session.idle", "agent.session.budget_reached"):
            return self._turn is not None and self._turn.status in (
                "completed",
                "failed",
                "cancelled",
            )
        return False

    async def _iterate(self) -> AsyncIterator[AgentSessionEvent]:
        assert self._stream is not None
        try:
            async for event in self._stream:
                if self._closed:
                    return
                terminal = self._accept(event)
                call = self._tools.pending(event)
                yield event
                if terminal:
                    return
                if call is not None:
                    events = self._sessions.events
                    await self._tools.answer(events, self._session_id, call, self._options)
            if not self._closed:
                raise RuntimeError("the session's event stream ended before the turn settled")
        finally:
            await self.close()
