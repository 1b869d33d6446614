"""``responses.stream()``: a response's events, accumulated, the final one parsed.

::

    async with client.responses.stream(model=..., input="...", text_format=Answer) as stream:
        async for event in stream:
            if event.type == "response.output_text.delta":
                print(event.delta, end="")
    response = await stream.get_final_response()   # .output_parsed: an Answer

The events are the Responses API's own (``response.created``, ...,
``response.completed``), with the official SDK's additions: ``response.output_text.delta`` and
``response.function_call_arguments.delta`` carry the ``snapshot`` (the text or arguments so
far), ``response.output_text.done`` the text ``parsed`` into ``text_format``, and
``response.completed`` the ParsedResponse. The stream reads an AsyncStream (idle timeout,
size cap, and its error for a stream cut before its final event); a stream of an existing
response (``response_id=``) is read from its start, and ``starting_after`` leaves out the
events up to that sequence number (they still build the response).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeAlias, TypeVar

import attrs

from ..._parsing import parse_response, parse_response_text
from ..._streaming import AsyncStream
from ...types.responses import response_stream_event as raw
from ...types.responses.parsed_response import ParsedResponse
from ...types.responses.response_stream_event import parse_response_stream_event
from ._base import HelperStream, HelperStreamManager, copy_json

__all__ = [
    "AsyncResponseStream",
    "AsyncResponseStreamManager",
    "ResponseCompletedEvent",
    "ResponseFunctionCallArgumentsDeltaEvent",
    "ResponseStreamEvent",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
]

TextFormatT = TypeVar("TextFormatT")

#: An event as the helper's AsyncStream yields it: its JSON data and its typed object.
EventPair = tuple[Any, raw.ResponseStreamEvent]


@attrs.frozen(kw_only=True)
class ResponseTextDeltaEvent(raw.ResponseTextDeltaEvent):
    """A piece of output text, and the part's text so far (``snapshot``)."""

    snapshot: str = ""


@attrs.frozen(kw_only=True)
class ResponseTextDoneEvent(raw.ResponseTextDoneEvent, Generic[TextFormatT]):
    """An output text is done: its text, and ``parsed`` into ``text_format`` (None without
    one, or for a message that is not the final answer)."""

    parsed: TextFormatT | None = None


@attrs.frozen(kw_only=True)
class ResponseFunctionCallArgumentsDeltaEvent(raw.ResponseFunctionCallArgumentsDeltaEvent):
    """A piece of a function call's arguments, and the arguments so far (``snapshot``)."""

    snapshot: str = ""


@attrs.frozen(kw_only=True)
class ResponseCompletedEvent(raw.ResponseCompletedEvent, Generic[TextFormatT]):
    """The response is complete: the whole ParsedResponse."""

    response: ParsedResponse[TextFormatT]


ResponseStreamEvent: TypeAlias = (
    ResponseTextDeltaEvent
    | ResponseTextDoneEvent[TextFormatT]
    | ResponseFunctionCallArgumentsDeltaEvent
    | ResponseCompletedEvent[TextFormatT]
    | raw.ResponseStreamEvent
)
"""An event of ``responses.stream()``: the API's events, four of them with the additions."""

_LIFECYCLE = ("response.created", "response.queued", "response.in_progress")
_ENDINGS = ("response.failed", "response.incomplete")


class _ResponseStreamState(Generic[TextFormatT]):
    """The response accumulated from the events (JSON data); the events to yield for each."""

    def __init__(
        self,
        *,
        text_format: type[TextFormatT] | None,
        tools: Iterable[Mapping[str, Any]],
        stream: AsyncStream[EventPair],
    ) -> None:
        self._format = text_format
        self._tools = list(tools)
        self._response = stream.http_response
        self._items: dict[int, dict[str, Any]] = {}  # the output items by output_index
        self.completed: ParsedResponse[TextFormatT] | None = None

    def handle(self, data: Any, event: raw.ResponseStreamEvent) -> Any:
        """Add an event; the event to yield for it."""
        kind = event.type
        if not isinstance(data, dict):
            return event
        if kind in ("response.output_item.added", "response.output_item.done"):
            self._items[data.get("output_index", 0)] = copy_json(data.get("item") or {})
        elif kind == "response.content_part.added":
            self._content(data).append(copy_json(data.get("part") or {}))
        elif kind == "response.output_text.delta":
            part = self._part(data)
            part["text"] = part.get("text", "") + data.get("delta", "")
            return ResponseTextDeltaEvent(**_fields(event), snapshot=part["text"])
        elif kind == "response.refusal.delta":
            part = self._part(data)
            part["refusal"] = part.get("refusal", "") + data.get("delta", "")
        elif kind == "response.output_text.done":
            item = self._item(data)
            text = data.get("text", "")
            parsed = parse_response_text(self._format, text, item.get("phase"), self._response)
            return ResponseTextDoneEvent(**_fields(event), parsed=parsed)
        elif kind == "response.function_call_arguments.delta":
            item = self._item(data)
            item["arguments"] = item.get("arguments", "") + data.get("delta", "")
            return ResponseFunctionCallArgumentsDeltaEvent(
                **_fields(event), snapshot=item["arguments"]
            )
        elif kind == "response.completed":
            self.completed = parse_response(
                self._with_output(data.get("response")),
                text_format=self._format,
                tools=self._tools,
                response=self._response,
            )
            return ResponseCompletedEvent(
                response=self.completed, sequence_number=data.get("sequence_number", 0)
            )
        elif kind in _ENDINGS or kind in _LIFECYCLE:
            inner = data.get("response")
            if isinstance(inner, dict) and inner.get("output") is None:
                # the output as far as it came (none yet at the start)
                with_output = (
                    self._with_output(inner) if kind in _ENDINGS else {**inner, "output": []}
                )
                return parse_response_stream_event(None, {**data, "response": with_output})
        return event

    def _with_output(self, response: Any) -> Any:
        """A response the server sent without its ``output``, given the output accumulated."""
        if not isinstance(response, dict) or response.get("output") is not None:
            return response
        return {**response, "output": [self._items[i] for i in sorted(self._items)]}

    def _item(self, data: Mapping[str, Any]) -> dict[str, Any]:
        index = data.get("output_index", 0)
        item = self._items.get(index)
        if item is None:
            raise RuntimeError(
                f"an event for output item {index} came before the item (no"
                " response.output_item.added): the stream is not what the API sends"
            )
        return item

    def _content(self, data: Mapping[str, Any]) -> list[dict[str, Any]]:
        item = self._item(data)
        content = item.get("content")
        if not isinstance(content, list):
            content = item["content"] = []
        return content

    def _part(self, data: Mapping[str, Any]) -> dict[str, Any]:
        content = self._content(data)
        index = data.get("content_index", 0)
        while len(content) <= index:
            content.append({})
        part: dict[str, Any] = content[index]
        return part


def _fields(event: Any) -> dict[str, Any]:
    """An event's fields, to make the helper's event of the same type from it."""
    values = {f.name: getattr(event, f.name) for f in attrs.fields(type(event)) if f.init}
    values.pop("_request_id", None)
    return values


class AsyncResponseStream(HelperStream[ResponseStreamEvent[TextFormatT]]):
    """The events of a streamed response: ``async for event in stream``.

    ``get_final_response()`` reads the stream to its end and returns the ParsedResponse of
    ``response.completed``; ``until_done()`` reads it to its end; ``close()`` (or leaving
    ``async with``) closes the connection.
    """

    def __init__(
        self,
        raw_stream: AsyncStream[EventPair],
        *,
        text_format: type[TextFormatT] | None,
        tools: Iterable[Mapping[str, Any]],
        starting_after: int | None = None,
    ) -> None:
        super().__init__(raw_stream)
        self._state: _ResponseStreamState[TextFormatT] = _ResponseStreamState(
            text_format=text_format, tools=tools, stream=raw_stream
        )
        self._after = starting_after

    async def __anext__(self) -> ResponseStreamEvent[TextFormatT]:
        while True:
            data, event = await self._raw.__anext__()  # StopAsyncIteration at the end
            try:
                out = self._state.handle(data, event)
            except BaseException:
                await self.close()
                raise
            after = self._after
            if after is None or (event.sequence_number or 0) > after:
                result: ResponseStreamEvent[TextFormatT] = out
                return result

    async def get_final_response(self) -> ParsedResponse[TextFormatT]:
        """Read the stream to its end; the response of its ``response.completed`` event,
        parsed. RuntimeError when there was none (the response failed, is incomplete, or the
        stream was closed before it completed)."""
        await self.until_done()
        if self._state.completed is None:
            raise RuntimeError(
                "the stream ended without a response.completed event: there is no final response"
            )
        return self._state.completed


class AsyncResponseStreamManager(HelperStreamManager[AsyncResponseStream[TextFormatT]]):
    """What ``responses.stream()`` returns: ``async with`` it to send the request and get the
    :class:`AsyncResponseStream`; leaving the block closes the connection, read or not."""
