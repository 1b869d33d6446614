"""The stream of ``sessions.create(..., stream=True)``: the session's events, the first turn's
function calls answered by the tool handlers as they come, and its result collected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Self, cast

from ...._http import HTTPResponse
from ...._streaming import AsyncStream
from ....types.beta.agent_session_event import AgentSessionEvent
from ._result import (
    AgentTurnResult,
    OutputT,
    TurnCollector,
    final_result,
)
from ._tool_handlers import ToolDispatch

__all__ = ["AsyncAgentSessionEventStream", "session_event_stream"]


class AsyncAgentSessionEventStream(AsyncStream[AgentSessionEvent], Generic[OutputT]):
    """The events of ``sessions.create(..., stream=True)``: an AsyncStream of
    AgentSessionEvent (``agent.session.created``, the first turn's events, then the session
    settling). The ``tool_handlers`` given to ``create`` answer the turn's function calls as
    they come (each after its event was read); ``get_final_result()`` reads the stream to
    the session settling and returns the first turn's AgentTurnResult."""

    __slots__ = ("_call", "_collector", "_tools")

    def __init__(
        self,
        response: HTTPResponse,
        parse: Callable[[str | None, Any], AgentSessionEvent],
        *,
        output_type: type[OutputT] | None = None,
        tools: ToolDispatch | None = None,
        **stream: Any,
    ) -> None:
        super().__init__(response, parse, **stream)
        self._collector: TurnCollector[OutputT] = TurnCollector(output_type=output_type)
        self._tools = tools
        #: the function call of the last event read, answered before the next one is read
        self._call: tuple[str, Any] | None = None

    async def __anext__(self) -> AgentSessionEvent:
        call, self._call = self._call, None
        try:
            if call is not None and self._tools is not None and not self.closed:
                await self._tools.answer(*call)
            event = await super().__anext__()
        except StopAsyncIteration:
            raise
        except Exception as error:
            self._collector.failed(error)
            await self.close()
            raise
        self._collector.accept(event)
        if self._tools is not None:
            pending = self._tools.pending(event)
            if pending is not None:
                self._call = (cast(Any, event).session_id, pending)
        return event

    def with_result_collection(self) -> Self:
        """Kept for the SDK's API: this stream always collects its first turn's result."""
        return self

    async def get_final_result(self) -> AgentTurnResult[OutputT]:
        """Read the stream to the session settling after the first turn (answering its
        function calls) and return the turn's AgentTurnResult (``output_parsed`` with
        ``create``'s ``output_type``). Raises AgentTurnResultError when the turn failed,
        was cancelled, waits for an action no handler takes, or the stream gave no complete
        turn (``reason="observation_failed"`` for a stream that failed: its error is the
        cause); AgentOutputParseError when the text does not make the ``output_type``."""
        handled = self._tools.handlers if self._tools is not None else ()
        return await final_result(self._collector, handled, self.__anext__, self.close)


def session_event_stream(
    output_type: type[Any] | None, tools: ToolDispatch | None
) -> Callable[..., AsyncAgentSessionEventStream[Any]]:
    """The ``stream_class`` of a create call's EventStream: its streams collect into
    ``output_type`` and answer with ``tools``."""

    def make(*args: Any, **kwargs: Any) -> AsyncAgentSessionEventStream[Any]:
        return AsyncAgentSessionEventStream(*args, output_type=output_type, tools=tools, **kwargs)

    return make
