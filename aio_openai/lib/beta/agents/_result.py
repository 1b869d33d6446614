"""A turn's result, as the session helpers collect it from its events: AgentTurnResult, the
errors of a turn that gave none (AgentTurnResultError) or whose output does not parse
(AgentOutputParseError), and TurnCollector, which reads the events."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Generic, Literal, TypeAlias, TypeVar

import attrs

from ...._exceptions import OpenAIError
from ...._structured import LoadError, load
from ....types.beta.agents.sessions.turn import Turn

__all__ = [
    "AgentOutputParseError",
    "AgentTurnResult",
    "AgentTurnResultError",
    "OutputT",
    "ResultErrorReason",
    "TurnCollector",
    "final_result",
]

OutputT = TypeVar("OutputT")
T = TypeVar("T")

#: Why a turn gave no result: it failed, was cancelled, waits for an action no handler takes,
#: never finished on the stream read, or the stream could not be read to its end (the turn
#: itself may have gone on).
ResultErrorReason: TypeAlias = Literal[
    "failed", "cancelled", "requires_action", "incomplete", "observation_failed"
]

#: The event types that end a turn.
_TURN_ENDS = frozenset(
    {"agent.session.turn.completed", "agent.session.turn.failed", "agent.session.turn.cancelled"}
)
_ENDED = ("completed", "failed", "cancelled")


def _output_texts(messages: Iterable[Any]) -> list[str]:
    return [
        part.text
        for message in messages
        for part in message.content
        if getattr(part, "type", None) == "output_text"
    ]


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
        texts = _output_texts(self.messages)
        try:
            parsed = load(output_type, texts[0])
        except (IndexError, LoadError):
            raise AgentOutputParseError(self) from None
        return AgentTurnResult(self.turn, self.messages, parsed)

    @property
    def output_text(self) -> str:
        """The text of the messages' ``output_text`` parts, joined as they are."""
        return "".join(_output_texts(self.messages))


class AgentOutputParseError(OpenAIError):
    """The turn's final text does not make the ``output_type`` asked for; ``result`` is the
    AgentTurnResult unparsed."""

    def __init__(self, result: AgentTurnResult[Any]) -> None:
        super().__init__(f"the output of turn {result.turn_id} does not parse as asked")
        self.result = result


class AgentTurnResultError(OpenAIError):
    """A turn's result could not be had: ``reason`` says why (``failed``, ``cancelled``,
    ``requires_action``, ``incomplete``, ``observation_failed``); ``turn``, ``turn_id``,
    ``session_id``, the final ``messages`` seen and the ``required_actions`` left keep what
    was seen. ``observation_failed`` means the stream failed (its error is the cause), not
    the turn."""

    def __init__(
        self,
        reason: ResultErrorReason,
        *,
        turn: Turn | None,
        session_id: str | None,
        messages: list[Any],
        required_actions: list[Any],
    ) -> None:
        where = f" (turn {turn.id})" if turn is not None else ""
        super().__init__(f"no result of the agent turn{where}: {reason}")
        self.reason = reason
        self.turn = turn
        self.turn_id = turn.id if turn is not None else None
        self.session_id = session_id
        self.messages = messages
        self.required_actions = required_actions


class TurnCollector(Generic[OutputT]):
    """What a session's events say of its first turn (not a subagent's): the turn as it
    ends, its final messages, the actions the session waits for; ``done`` once the session
    settled after it (or failed, or ran out of budget). Events after that are ignored."""

    def __init__(
        self, session_id: str | None = None, output_type: type[OutputT] | None = None
    ) -> None:
        self.session_id = session_id
        self.output_type = output_type
        self.turn: Turn | None = None
        self.done = False
        self.required_actions: list[Any] = []
        self._failed = False
        #: the error that ended the stream before the turn's end, if one did
        self._cause: Exception | None = None
        self._messages: dict[str, tuple[int, Any]] = {}
        self._error: AgentTurnResultError | None = None
        self._result: AgentTurnResult[OutputT] | None = None

    def accept(self, event: Any) -> None:
        """Note what ``event`` says of the turn."""
        if self.done:
            return
        kind = getattr(event, "type", None)
        turn = self.turn
        if kind == "agent.session.created":
            self.session_id = event.session.id
        elif kind == "agent.session.turn.created":
            if turn is None and event.turn.subagent_id is None:
                self.turn = event.turn
                self.session_id = event.session_id
        elif kind in _TURN_ENDS:
            if turn is not None and event.turn_id == turn.id:
                self.turn = event.turn
                self.required_actions = []
        elif kind == "agent.session.turn.item.done":
            item = event.item
            if (
                turn is not None
                and getattr(item, "type", None) == "message"
                and item.turn_id == turn.id
                and getattr(item, "phase", None) != "commentary"
                and item.status == "completed"
            ):
                self._messages[item.id] = (event.output_index, item)
        elif kind == "agent.session.in_progress":
            self.required_actions = []
        elif kind == "agent.session.requires_action":
            self.required_actions = list(event.session.required_actions)
        elif kind == "agent.session.failed":
            self._failed = self.done = True
        elif kind in ("agent.session.idle", "agent.session.budget_reached"):
            # the session settles after the turn (a budget can end it before any turn)
            ended = turn is not None and turn.status in _ENDED
            self.done = ended or (kind == "agent.session.budget_reached" and turn is None)

    def failed(self, error: Exception) -> None:
        """The stream failed with ``error``: before the turn settled, there is no result
        (``observation_failed``, from ``error``)."""
        if not self.done and self._cause is None:
            self._cause = error

    def messages(self) -> list[Any]:
        """The turn's final messages in output order."""
        return [m for _, m in sorted(self._messages.values(), key=lambda pair: pair[0])]

    def error(self, reason: ResultErrorReason) -> AgentTurnResultError:
        """The turn's AgentTurnResultError (the first one made, for every later ask)."""
        if self._error is None:
            self._error = AgentTurnResultError(
                reason,
                turn=self.turn,
                session_id=self.session_id,
                messages=self.messages(),
                required_actions=self.required_actions,
            )
            self.done = True
        return self._error

    def check(self, handled: Iterable[str] = ()) -> None:
        """AgentTurnResultError if the turn cannot give a result: it failed, was cancelled,
        or the session waits for an action that is no function call of a ``handled`` name."""
        if self._error is not None:
            raise self._error
        if self._failed or (self.turn is not None and self.turn.status == "failed"):
            raise self.error("failed")
        if self.turn is not None and self.turn.status == "cancelled":
            raise self.error("cancelled")
        names = set(handled)
        for action in self.required_actions:
            if getattr(action, "type", None) != "function_call" or action.name not in names:
                raise self.error("requires_action")
        if self._cause is not None:
            raise self.error("observation_failed") from self._cause

    def result(self) -> AgentTurnResult[OutputT]:
        """The completed turn's result (parsed into ``output_type`` if one was given; made
        once); AgentTurnResultError when there is none, AgentOutputParseError when its
        text does not parse."""
        if self._result is None:
            self.check()
            if not self.done or self.turn is None or self.turn.status != "completed":
                raise self.error("incomplete")
            result: AgentTurnResult[Any] = AgentTurnResult(self.turn, self.messages())
            if self.output_type is not None:
                result = result.parse(self.output_type)
            self._result = result
        return self._result


async def final_result(
    collector: TurnCollector[OutputT],
    handled: Iterable[str],
    read: Callable[[], Awaitable[Any]],
    close: Callable[[], Awaitable[None]],
) -> AgentTurnResult[OutputT]:
    """A stream's ``get_final_result()``: its events read (``read``, the stream's
    ``__anext__``) until ``collector`` is done, the stream closed, the result returned.
    AgentTurnResultError when there is none (``observation_failed`` from a stream that
    failed), AgentOutputParseError when its text does not parse."""
    names = frozenset(handled)
    try:
        collector.check(names)
        while not collector.done:
            try:
                await read()
            except StopAsyncIteration:
                break
            collector.check(names)
        return collector.result()
    except (AgentTurnResultError, AgentOutputParseError):
        raise
    except Exception as error:
        raise collector.error("observation_failed") from error
    finally:
        await close()
