"""The events of ``chat.completions.stream()``, named and shaped as the official SDK's."""

from __future__ import annotations

from typing import Generic, Literal, TypeAlias, TypeVar

import attrs

from ..._models import BaseObject
from ...types.chat.chat_completion import ChatCompletionTokenLogprob
from ...types.chat.chat_completion_chunk import ChatCompletionChunk
from ...types.chat.parsed_chat_completion import (
    ParsedChatCompletion,
    ParsedChatCompletionMessage,
    ParsedChoice,
)

__all__ = [
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
    "ResponseFormatT",
]

ResponseFormatT = TypeVar("ResponseFormatT")

ParsedChatCompletionSnapshot: TypeAlias = ParsedChatCompletion[object]
"""The completion as accumulated so far: a message's ``parsed`` is the JSON read so far while
its content streams in, and the ``response_format`` type once the content is done."""

ParsedChatCompletionMessageSnapshot: TypeAlias = ParsedChatCompletionMessage[object]
"""A message as accumulated so far (see ParsedChatCompletionSnapshot)."""

ParsedChoiceSnapshot: TypeAlias = ParsedChoice[object]
"""A choice as accumulated so far."""


@attrs.frozen(kw_only=True)
class ChunkEvent(BaseObject):
    """Every chunk: the ``chunk`` as it came and the completion accumulated (``snapshot``)."""

    chunk: ChatCompletionChunk
    snapshot: ParsedChatCompletionSnapshot
    type: Literal["chunk"] = "chunk"


@attrs.frozen(kw_only=True)
class ContentDeltaEvent(BaseObject):
    """A piece of content (``delta``), the content so far (``snapshot``) and, with a
    ``response_format`` type, the JSON it holds so far (``parsed``)."""

    delta: str
    snapshot: str
    parsed: object | None = None
    type: Literal["content.delta"] = "content.delta"


@attrs.frozen(kw_only=True)
class ContentDoneEvent(BaseObject, Generic[ResponseFormatT]):
    """The whole content of a choice and, with a ``response_format`` type, its ``parsed``
    instance."""

    content: str
    parsed: ResponseFormatT | None = None
    type: Literal["content.done"] = "content.done"


@attrs.frozen(kw_only=True)
class RefusalDeltaEvent(BaseObject):
    """A piece of a refusal and the refusal so far."""

    delta: str
    snapshot: str
    type: Literal["refusal.delta"] = "refusal.delta"


@attrs.frozen(kw_only=True)
class RefusalDoneEvent(BaseObject):
    """The whole refusal."""

    refusal: str
    type: Literal["refusal.done"] = "refusal.done"


@attrs.frozen(kw_only=True)
class FunctionToolCallArgumentsDeltaEvent(BaseObject):
    """A piece of the arguments of the tool call at ``index`` (``arguments_delta``), the
    arguments so far (``arguments``) and, for a strict tool, the JSON they hold so far."""

    name: str
    index: int
    arguments: str
    parsed_arguments: object
    arguments_delta: str
    type: Literal["tool_calls.function.arguments.delta"] = "tool_calls.function.arguments.delta"


@attrs.frozen(kw_only=True)
class FunctionToolCallArgumentsDoneEvent(BaseObject):
    """The whole arguments of a tool call, and parsed: an instance of the tool's type for a
    ``function_tool(T)``, the decoded JSON for another strict tool, else None."""

    name: str
    index: int
    arguments: str
    parsed_arguments: object
    type: Literal["tool_calls.function.arguments.done"] = "tool_calls.function.arguments.done"


@attrs.frozen(kw_only=True)
class LogprobsContentDeltaEvent(BaseObject):
    """The log probabilities of a chunk's content tokens, and all of them so far."""

    content: list[ChatCompletionTokenLogprob]
    snapshot: list[ChatCompletionTokenLogprob]
    type: Literal["logprobs.content.delta"] = "logprobs.content.delta"


@attrs.frozen(kw_only=True)
class LogprobsContentDoneEvent(BaseObject):
    """The log probabilities of every content token of a choice."""

    content: list[ChatCompletionTokenLogprob]
    type: Literal["logprobs.content.done"] = "logprobs.content.done"


@attrs.frozen(kw_only=True)
class LogprobsRefusalDeltaEvent(BaseObject):
    """The log probabilities of a chunk's refusal tokens, and all of them so far."""

    refusal: list[ChatCompletionTokenLogprob]
    snapshot: list[ChatCompletionTokenLogprob]
    type: Literal["logprobs.refusal.delta"] = "logprobs.refusal.delta"


@attrs.frozen(kw_only=True)
class LogprobsRefusalDoneEvent(BaseObject):
    """The log probabilities of every refusal token of a choice."""

    refusal: list[ChatCompletionTokenLogprob]
    type: Literal["logprobs.refusal.done"] = "logprobs.refusal.done"


ChatCompletionStreamEvent: TypeAlias = (
    ChunkEvent
    | ContentDeltaEvent
    | ContentDoneEvent[ResponseFormatT]
    | RefusalDeltaEvent
    | RefusalDoneEvent
    | FunctionToolCallArgumentsDeltaEvent
    | FunctionToolCallArgumentsDoneEvent
    | LogprobsContentDeltaEvent
    | LogprobsContentDoneEvent
    | LogprobsRefusalDeltaEvent
    | LogprobsRefusalDoneEvent
)
"""An event of ``chat.completions.stream()``, told apart by ``type``."""
