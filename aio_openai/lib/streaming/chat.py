"""``chat.completions.stream()``: a chat completion stream as events, accumulated and parsed.

::

    async with client.chat.completions.stream(model=..., messages=[...],
                                              response_format=Answer) as stream:
        async for event in stream:
            if event.type == "content.delta":
                print(event.delta, end="")
    completion = await stream.get_final_completion()   # .choices[0].message.parsed: Answer

The manager (:class:`AsyncChatCompletionStreamManager`) sends the request when it is entered
and closes the connection when it is left, read or not. The stream
(:class:`AsyncChatCompletionStream`) reads the chunks of an AsyncStream (with its idle timeout,
size cap, and its error for a stream cut before ``[DONE]``) and yields, per chunk, the SDK's
events: ``chunk`` (with the completion accumulated so far), ``content.delta`` (with the JSON
read so far when there is a ``response_format`` type), ``refusal.delta``,
``tool_calls.function.arguments.delta``, ``logprobs.content.delta``,
``logprobs.refusal.delta``; and once a part of a choice is complete, ``content.done`` (the
content parsed into the type), ``refusal.done``, ``tool_calls.function.arguments.done`` (the
arguments parsed), ``logprobs.content.done``, ``logprobs.refusal.done``.

With a ``response_format`` type or a strict tool, a choice that ends at the token limit or by
the content filter raises LengthFinishReasonError or ContentFilterFinishReasonError, and
content that does not fit its type ContentParseError: the connection is closed first.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any, Generic

import attrs

from ..._http import HTTPResponse
from ..._parsing import (
    chat_tool,
    check_finish,
    parse_chat_completion,
    parse_content,
    parse_function_arguments,
    structure_answer,
)
from ..._partial_json import PartialJSON
from ..._streaming import AsyncStream
from ...types.chat.chat_completion_chunk import ChatCompletionChunk
from ...types.chat.parsed_chat_completion import ParsedChatCompletion
from ._base import HelperStream, HelperStreamManager, copy_json
from ._chat_events import (
    ChatCompletionStreamEvent,
    ChunkEvent,
    ContentDeltaEvent,
    ContentDoneEvent,
    FunctionToolCallArgumentsDeltaEvent,
    FunctionToolCallArgumentsDoneEvent,
    LogprobsContentDeltaEvent,
    LogprobsContentDoneEvent,
    LogprobsRefusalDeltaEvent,
    LogprobsRefusalDoneEvent,
    ParsedChatCompletionMessageSnapshot,
    ParsedChatCompletionSnapshot,
    ParsedChoiceSnapshot,
    RefusalDeltaEvent,
    RefusalDoneEvent,
    ResponseFormatT,
)

__all__ = [
    "AsyncChatCompletionStream",
    "AsyncChatCompletionStreamManager",
    "ChatCompletionStreamEvent",
    "ChunkEvent",
    "ContentDeltaEvent",
    "ContentDoneEvent",
    "FunctionToolCallArgumentsDeltaEvent",
    "FunctionToolCallArgumentsDoneEvent",
    "LogprobsContentDeltaEvent",
    "LogprobsContentDoneEvent",
    "LogprobsRefusalDeltaEvent",
    "LogprobsRefusalDoneEvent",
    "ParsedChatCompletionMessageSnapshot",
    "ParsedChatCompletionSnapshot",
    "ParsedChoiceSnapshot",
    "RefusalDeltaEvent",
    "RefusalDoneEvent",
]

#: A chunk as the helper's AsyncStream yields it: its JSON data and its typed object.
ChunkPair = tuple[dict[str, Any], ChatCompletionChunk]


def merge_delta(into: dict[str, Any], delta: Mapping[str, Any]) -> None:
    """Add a chunk's ``delta`` to what a message has so far: strings are joined, objects
    merged, tool calls merged by their ``index`` (kept out of the call itself), lists
    extended; a value that was absent or null is copied in."""
    for key, value in delta.items():
        if key == "tool_calls" and isinstance(value, list):
            calls = into.get("tool_calls") or []
            into["tool_calls"] = calls
            for piece in value:
                if not isinstance(piece, Mapping):
                    continue
                index = piece.get("index", len(calls))
                while len(calls) <= index:
                    calls.append({})
                merge_delta(calls[index], {k: v for k, v in piece.items() if k != "index"})
            continue
        have = into.get(key)
        if have is None:
            into[key] = copy_json(value)
        elif key == "type":
            into[key] = value
        elif isinstance(have, str) and isinstance(value, str):
            into[key] = have + value
        elif isinstance(have, dict) and isinstance(value, Mapping):
            merge_delta(have, value)
        elif isinstance(have, list) and isinstance(value, list):
            have.extend(copy_json(value))
        elif value is not None:
            into[key] = copy_json(value)


@attrs.define
class _ChoiceState:
    """What a choice's events need: the parts done (``content``, ``refusal``,
    ``logprobs.content``, ``logprobs.refusal``), the JSON read so far."""

    content: PartialJSON | None = None
    parsed: Any = None
    done: set[str] = attrs.field(factory=set)
    current_tool: int | None = None
    done_tools: set[int] = attrs.field(factory=set)
    tool_json: dict[int, PartialJSON] = attrs.field(factory=dict)
    tool_parsed: dict[int, Any] = attrs.field(factory=dict)

    def first_time(self, part: str) -> bool:
        """Whether ``part`` is done for the first time now (it is marked done)."""
        if part in self.done:
            return False
        self.done.add(part)
        return True


class _ChatStreamState(Generic[ResponseFormatT]):
    """The completion accumulated from chunks (JSON data), and the events each chunk makes."""

    def __init__(
        self,
        *,
        response_format: type[ResponseFormatT] | None,
        tools: Iterable[Mapping[str, Any]],
        response: HTTPResponse,
    ) -> None:
        self._format = response_format
        self._tools = list(tools)
        self._response = response
        self._parses = response_format is not None or any(
            (t.get("function") or {}).get("strict") is True
            for t in self._tools
            if t.get("type") == "function"
        )
        self._data: dict[str, Any] | None = None
        self._choices: list[_ChoiceState] = []
        self._snapshot: ParsedChatCompletionSnapshot | None = None

    # -- the completion --------------------------------------------------------------------------

    @property
    def current_completion_snapshot(self) -> ParsedChatCompletionSnapshot:
        """The completion as accumulated so far (RuntimeError before the first chunk)."""
        if self._snapshot is None:
            if self._data is None:
                raise RuntimeError("no chunk has come yet: there is no completion so far")
            self._snapshot = structure_answer(
                self._with_parsed(), ParsedChatCompletion, self._response
            )
        return self._snapshot

    @property
    def finished(self) -> bool:
        """Whether every choice has its finish reason."""
        data = self._data
        return data is not None and all(c.get("finish_reason") for c in data["choices"])

    def final_completion(self) -> ParsedChatCompletion[ResponseFormatT]:
        """The completion parsed, as ``parse()`` returns it."""
        if self._data is None:
            raise RuntimeError("the stream ended before its first chunk")
        return parse_chat_completion(
            self._data, response_format=self._format, tools=self._tools, response=self._response
        )

    def _with_parsed(self) -> dict[str, Any]:
        """The data with each message's ``parsed`` and each call's ``parsed_arguments``."""
        assert self._data is not None
        choices = []
        for choice, state in zip(self._data["choices"], self._choices, strict=True):
            message = {**choice["message"], "parsed": state.parsed}
            calls = message.get("tool_calls")
            if calls:
                message["tool_calls"] = [
                    {
                        **c,
                        "function": {**c["function"], "parsed_arguments": state.tool_parsed.get(i)},
                    }
                    if isinstance(c.get("function"), dict)
                    else c
                    for i, c in enumerate(calls)
                ]
            choices.append({**choice, "message": message})
        return {**self._data, "choices": choices}

    # -- chunks ------------------------------------------------------------------------------------

    def handle(self, data: dict[str, Any], chunk: ChatCompletionChunk) -> list[Any]:
        """Add a chunk (its JSON ``data`` and typed ``chunk``); the events it makes."""
        self._snapshot = None
        pieces = self._accumulate(data)
        events: list[Any] = []
        for position, (index, delta) in enumerate(pieces):
            self._events(events, index, delta, chunk.choices[position])
        # the chunk's event comes first, with the completion as this chunk leaves it (a
        # content done in this chunk is parsed in it)
        events.insert(0, ChunkEvent(chunk=chunk, snapshot=self.current_completion_snapshot))
        return events

    def _accumulate(self, data: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
        """Merge a chunk into the data; (choice index, delta) of each of its choices."""
        if self._data is None:
            head = {k: copy_json(v) for k, v in data.items() if k not in ("choices", "obfuscation")}
            self._data = {"system_fingerprint": None, **head, "object": "chat.completion"}
            self._data["choices"] = []
        snapshot = self._data
        pieces = []
        for piece in data.get("choices") or ():
            index = piece.get("index", 0)
            delta = piece.get("delta") or {}
            choices = snapshot["choices"]
            while len(choices) <= index:
                choices.append({"index": len(choices), "message": {}, "finish_reason": None})
                self._choices.append(_ChoiceState())
            choice = choices[index]
            merge_delta(choice["message"], delta)
            for key, value in piece.items():
                if key not in ("delta", "index", "logprobs", "finish_reason"):
                    choice[key] = copy_json(value)
            logprobs = piece.get("logprobs")
            if isinstance(logprobs, Mapping):
                have = choice.get("logprobs")
                if have is None:
                    choice["logprobs"] = copy_json(logprobs)
                else:
                    merge_delta(have, logprobs)
            if piece.get("finish_reason"):
                choice["finish_reason"] = piece["finish_reason"]
                if self._parses:
                    check_finish(snapshot, choice, self._response)
            self._read_partial(index, choice["message"], delta)
            pieces.append((index, delta))
        snapshot["usage"] = copy_json(data.get("usage"))
        if "system_fingerprint" in data:
            snapshot["system_fingerprint"] = data["system_fingerprint"]
        return pieces

    def _read_partial(
        self, index: int, message: Mapping[str, Any], delta: Mapping[str, Any]
    ) -> None:
        """Feed the new content and arguments to their partial JSON readers."""
        state = self._choices[index]
        content = delta.get("content")
        if (
            self._format is not None
            and content
            and not message.get("refusal")
            and "content" not in state.done
        ):
            if state.content is None:
                state.content = PartialJSON()
            state.content.feed(content)
            state.parsed = state.content.value()
        for piece in delta.get("tool_calls") or ():
            k = piece.get("index", 0)
            arguments = (piece.get("function") or {}).get("arguments")
            call = message["tool_calls"][k]
            tool = self._tool(call)
            if (
                arguments
                and tool is not None
                and tool.get("strict") is True
                and k not in state.done_tools
            ):
                reader = state.tool_json.setdefault(k, PartialJSON())
                reader.feed(arguments)
                state.tool_parsed[k] = reader.value()

    def _tool(self, call: Mapping[str, Any]) -> Mapping[str, Any] | None:
        return chat_tool(self._tools, (call.get("function") or {}).get("name"))

    # -- events ------------------------------------------------------------------------------------

    def _events(self, events: list[Any], index: int, delta: Mapping[str, Any], piece: Any) -> None:
        snapshot = self.current_completion_snapshot
        choice = snapshot.choices[index]
        message = choice.message
        state = self._choices[index]
        content = delta.get("content")
        if content is not None and message.content is not None:
            events.append(
                ContentDeltaEvent(delta=content, snapshot=message.content, parsed=message.parsed)
            )
        refusal = delta.get("refusal")
        if refusal is not None and message.refusal is not None:
            events.append(RefusalDeltaEvent(delta=refusal, snapshot=message.refusal))
        for call_piece in delta.get("tool_calls") or ():
            k = call_piece.get("index", 0)
            call = (message.tool_calls or [])[k]
            function = getattr(call, "function", None)
            if function is None:
                continue
            events.append(
                FunctionToolCallArgumentsDeltaEvent(
                    name=function.name,
                    index=k,
                    arguments=function.arguments,
                    parsed_arguments=function.parsed_arguments,
                    arguments_delta=(call_piece.get("function") or {}).get("arguments") or "",
                )
            )
        logprobs, have = piece.logprobs, choice.logprobs
        if logprobs is not None and have is not None:
            if logprobs.content and have.content:
                events.append(
                    LogprobsContentDeltaEvent(content=logprobs.content, snapshot=have.content)
                )
            if logprobs.refusal and have.refusal:
                events.append(
                    LogprobsRefusalDeltaEvent(refusal=logprobs.refusal, snapshot=have.refusal)
                )
        self._done_events(events, index, state, delta)

    def _done_events(
        self, events: list[Any], index: int, state: _ChoiceState, delta: Mapping[str, Any]
    ) -> None:
        """The ``*.done`` events: a choice's parts are done when it finishes, its content (and
        the tool call before) when a new tool call starts."""
        if self._data_choice(index).get("finish_reason"):
            self._content_done(events, index, state)
            if state.current_tool is not None:
                self._tool_done(events, index, state, state.current_tool)
        for piece in delta.get("tool_calls") or ():
            k = piece.get("index", 0)
            if state.current_tool != k:
                self._content_done(events, index, state)
                if state.current_tool is not None:
                    self._tool_done(events, index, state, state.current_tool)
            state.current_tool = k

    def _data_choice(self, index: int) -> dict[str, Any]:
        assert self._data is not None
        choice: dict[str, Any] = self._data["choices"][index]
        return choice

    def _content_done(self, events: list[Any], index: int, state: _ChoiceState) -> None:
        message = self._data_choice(index)["message"]
        content = message.get("content")
        if content and state.first_time("content"):
            parsed = None
            if self._format is not None and not message.get("refusal"):
                parsed = parse_content(self._format, content, self._response)
            state.parsed = parsed
            self._snapshot = None
            events.append(ContentDoneEvent(content=content, parsed=parsed))
        refusal = message.get("refusal")
        if refusal is not None and state.first_time("refusal"):
            events.append(RefusalDoneEvent(refusal=refusal))
        logprobs = self.current_completion_snapshot.choices[index].logprobs
        if logprobs is None:
            return
        if logprobs.content is not None and state.first_time("logprobs.content"):
            events.append(LogprobsContentDoneEvent(content=logprobs.content))
        if logprobs.refusal is not None and state.first_time("logprobs.refusal"):
            events.append(LogprobsRefusalDoneEvent(refusal=logprobs.refusal))

    def _tool_done(self, events: list[Any], index: int, state: _ChoiceState, k: int) -> None:
        if k in state.done_tools:
            return
        state.done_tools.add(k)
        call = self._data_choice(index)["message"]["tool_calls"][k]
        function = call.get("function")
        if call.get("type", "function") != "function" or not isinstance(function, Mapping):
            return
        arguments = function.get("arguments") or ""
        parsed = parse_function_arguments(self._tool(call), arguments, self._response)
        state.tool_parsed[k] = parsed
        self._snapshot = None
        events.append(
            FunctionToolCallArgumentsDoneEvent(
                name=function.get("name") or "",
                index=k,
                arguments=arguments,
                parsed_arguments=parsed,
            )
        )


class AsyncChatCompletionStream(HelperStream[ChatCompletionStreamEvent[ResponseFormatT]]):
    """The events of a streamed chat completion: ``async for event in stream``.

    ``current_completion_snapshot`` is the completion so far; ``get_final_completion()``
    reads the stream to its end and returns the ParsedChatCompletion; ``until_done()`` reads
    it to its end; ``close()`` (or leaving ``async with``) closes the connection.
    """

    def __init__(
        self,
        raw: AsyncStream[ChunkPair],
        *,
        response_format: type[ResponseFormatT] | None,
        tools: Iterable[Mapping[str, Any]],
    ) -> None:
        super().__init__(raw)
        self._state: _ChatStreamState[ResponseFormatT] = _ChatStreamState(
            response_format=response_format, tools=tools, response=raw.http_response
        )
        self._pending: deque[ChatCompletionStreamEvent[ResponseFormatT]] = deque()

    @property
    def current_completion_snapshot(self) -> ParsedChatCompletionSnapshot:
        """The completion accumulated so far (RuntimeError before the first chunk)."""
        return self._state.current_completion_snapshot

    async def __anext__(self) -> ChatCompletionStreamEvent[ResponseFormatT]:
        pending = self._pending
        while not pending:
            data, chunk = await self._raw.__anext__()  # StopAsyncIteration at the end
            if data.get("object", "chat.completion.chunk") != "chat.completion.chunk":
                continue  # not a chunk (a gateway's own event): the official SDK skips it too
            try:
                pending.extend(self._state.handle(data, chunk))
            except BaseException:
                await self.close()
                raise
        return pending.popleft()

    async def get_final_completion(self) -> ParsedChatCompletion[ResponseFormatT]:
        """Read the stream to its end; the whole completion, parsed as ``parse()`` parses it.

        RuntimeError when the stream was closed before every choice finished.
        """
        await self.until_done()
        if not self._state.finished:
            raise RuntimeError(
                "the stream was closed before the completion finished: there is no final completion"
            )
        return self._state.final_completion()

    async def close(self) -> None:
        """Close the connection (released for reuse when the stream was read to its end)."""
        self._pending.clear()
        await super().close()


class AsyncChatCompletionStreamManager(
    HelperStreamManager[AsyncChatCompletionStream[ResponseFormatT]]
):
    """What ``chat.completions.stream()`` returns: ``async with`` it to send the request and
    get the :class:`AsyncChatCompletionStream`; leaving the block closes the connection, read
    or not."""
