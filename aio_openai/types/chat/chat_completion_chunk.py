"""The ChatCompletionChunk object: one piece of a streamed chat completion."""

from __future__ import annotations

from typing import Literal

import attrs

from ..._models import BaseObject
from ..completion_usage import CompletionUsage
from .chat_completion import ChoiceLogprobs, FinishReason, ServiceTier

__all__ = [
    "ChatCompletionChunk",
    "Choice",
    "ChoiceDelta",
    "ChoiceDeltaFunctionCall",
    "ChoiceDeltaToolCall",
    "ChoiceDeltaToolCallFunction",
    "ChoiceLogprobs",
]


@attrs.frozen(kw_only=True)
class ChoiceDeltaFunctionCall(BaseObject):
    """A piece of the deprecated ``function_call``."""

    arguments: str | None = None
    name: str | None = None


@attrs.frozen(kw_only=True)
class ChoiceDeltaToolCallFunction(BaseObject):
    """A piece of a function call: the name comes first, the arguments in pieces."""

    arguments: str | None = None
    name: str | None = None


@attrs.frozen(kw_only=True)
class ChoiceDeltaToolCall(BaseObject):
    """A piece of the tool call at ``index``; ``id`` and ``type`` come in its first piece."""

    index: int = 0
    id: str | None = None
    function: ChoiceDeltaToolCallFunction | None = None
    type: Literal["function"] | str | None = None


@attrs.frozen(kw_only=True)
class ChoiceDelta(BaseObject):
    """What a chunk adds to a choice: the role first, then content or tool call pieces."""

    content: str | None = None
    function_call: ChoiceDeltaFunctionCall | None = None
    refusal: str | None = None
    role: Literal["developer", "system", "user", "assistant", "tool"] | str | None = None
    tool_calls: list[ChoiceDeltaToolCall] | None = None


@attrs.frozen(kw_only=True)
class Choice(BaseObject):
    """A choice's piece; ``finish_reason`` is set in its last one."""

    delta: ChoiceDelta = attrs.field(factory=ChoiceDelta)
    index: int = 0
    finish_reason: FinishReason | None = None
    logprobs: ChoiceLogprobs | None = None


@attrs.frozen(kw_only=True)
class ChatCompletionChunk(BaseObject):
    """A streamed piece of a chat completion (``stream=True``).

    ``choices`` is empty in the last chunk when ``stream_options={"include_usage": True}``
    was asked for; that chunk carries the ``usage`` of the whole request.
    """

    id: str
    choices: list[Choice] = attrs.field(factory=list)
    created: int | None = None
    model: str | None = None
    object: Literal["chat.completion.chunk"] | str = "chat.completion.chunk"
    service_tier: ServiceTier | None = None
    system_fingerprint: str | None = None
    usage: CompletionUsage | None = None
    obfuscation: str | None = None
