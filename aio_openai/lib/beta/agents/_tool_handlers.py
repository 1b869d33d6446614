"""The local tool handlers of ``sessions.stream(..., tool_handlers=...)`` and
``sessions.create(..., stream=True, tool_handlers=...)``: a function call the turn makes is
answered by the handler of its name, its result sent back as the session's input; a failing
handler sends a failure (never the exception's text) and is reported to ``on_tool_error``."""

from __future__ import annotations

import inspect
import json
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Literal, TypeAlias

import attrs

__all__ = [
    "AgentToolError",
    "AsyncToolErrorHandler",
    "AsyncToolHandler",
    "SubmitToolResult",
    "ToolDispatch",
    "tool_options",
]

#: What a handler returns: text, a JSON object, content parts, or nothing.
ToolOutput: TypeAlias = str | Mapping[str, Any] | Iterable[Any] | None
#: A handler: the call's arguments (a dict) in, its output (or an awaitable of it) out.
AsyncToolHandler: TypeAlias = Callable[[dict[str, Any]], ToolOutput | Awaitable[ToolOutput]]


@attrs.frozen
class AgentToolError:
    """What ``on_tool_error`` is told of a handler that failed: the exception (never sent to
    the model), the tool, the call, and the stage (``arguments``, ``execution``,
    ``output``)."""

    error: Exception
    tool_name: str
    session_id: str
    turn_id: str
    call_id: str
    stage: Literal["arguments", "execution", "output"]


AsyncToolErrorHandler: TypeAlias = Callable[[AgentToolError], Awaitable[None] | None]
#: Sends input events to a session: (session id, the events, their Idempotency-Key).
SubmitToolResult: TypeAlias = Callable[[str, list[Any], str], Awaitable[Any]]

#: The per-call options a tool result is sent with, of the call its stream came from (not
#: those of that call's own body, query or answer, nor its Idempotency-Key: each result has
#: its own).
_FOR_RESULTS = ("extra_headers", "timeout", "max_retries", "deadline", "retry_policy")


def tool_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """The options of the call a stream came from (its parameters among them, if any), as
    its tool results are sent with them: headers without an Idempotency-Key, timeouts and
    retries."""
    kept = {k: v for k, v in options.items() if k in _FOR_RESULTS}
    headers = kept.get("extra_headers")
    if headers:
        kept["extra_headers"] = {k: v for k, v in headers.items() if k.lower() != "idempotency-key"}
    return kept


def _arguments(call: Any) -> dict[str, Any]:
    value = json.loads(call.arguments) if isinstance(call.arguments, str) else call.arguments
    if not isinstance(value, dict):
        raise ValueError("function arguments must be a JSON object")
    json.dumps(value, allow_nan=False)  # ValueError for a number that is not finite
    return value


def _output(value: ToolOutput) -> Any:
    """A handler's output as the tool result sends it (JSON-ready, checked)."""
    if isinstance(value, Mapping):
        return json.dumps(dict(value), separators=(",", ":"), allow_nan=False)
    if value is not None and not isinstance(value, str):
        value = list(value)
    json.dumps(value, allow_nan=False)
    return value


class ToolDispatch:
    """The handlers of one stream, each call answered once, its result sent by ``submit``."""

    def __init__(
        self,
        handlers: Mapping[str, AsyncToolHandler] | None,
        on_error: AsyncToolErrorHandler | None,
        submit: SubmitToolResult,
    ) -> None:
        self.handlers = dict(handlers or {})
        self._on_error = on_error
        self._submit = submit
        self._answered: set[tuple[str, str]] = set()

    def pending(self, event: Any) -> Any | None:
        """The function call an event adds that a handler answers (once), or None."""
        if getattr(event, "type", None) != "agent.session.turn.item.added":
            return None
        call = event.item
        if getattr(call, "type", None) != "function_call" or call.name not in self.handlers:
            return None
        key = (call.turn_id, call.call_id)
        if key in self._answered:
            return None
        self._answered.add(key)
        return call

    async def answer(self, session_id: str, call: Any) -> None:
        """Run the handler of ``call`` and send its result (one Idempotency-Key for every
        retry of it)."""
        stage: Literal["arguments", "execution", "output"] = "arguments"
        result: dict[str, Any] = {
            "type": "agent.session.input.tool_result",
            "turn_id": call.turn_id,
            "call_id": call.call_id,
        }
        try:
            arguments = _arguments(call)
            stage = "execution"
            value = self.handlers[call.name](arguments)
            if inspect.isawaitable(value):
                value = await value
            stage = "output"
            result.update(success=True, output=_output(value))
        except Exception as error:
            result.update(success=False, error="Tool handler failed.")
            await self._report(
                AgentToolError(error, call.name, session_id, call.turn_id, call.call_id, stage)
            )
        await self._submit(session_id, [result], f"aio-openai-{uuid.uuid4()}")

    async def _report(self, failure: AgentToolError) -> None:
        if self._on_error is None:
            return
        try:
            notified = self._on_error(failure)
            if inspect.isawaitable(notified):
                await notified
        except Exception:  # an observer's failure changes neither the result nor the turn
            pass
