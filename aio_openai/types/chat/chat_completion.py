"""The ChatCompletion object: the answer to ``chat.completions.create`` without streaming."""

from __future__ import annotations

from typing import Literal, TypeAlias

import attrs

from ..._models import BaseObject
from ..completion_usage import CompletionUsage
from .chat_completion_message import ChatCompletionMessage

__all__ = [
    "ChatCompletion",
    "ChatCompletionTokenLogprob",
    "Choice",
    "ChoiceLogprobs",
    "FinishReason",
    "ServiceTier",
    "TopLogprob",
]

FinishReason: TypeAlias = (
    Literal["stop", "length", "tool_calls", "content_filter", "function_call"] | str
)
"""Why the model stopped writing."""

ServiceTier: TypeAlias = Literal["auto", "default", "flex", "scale", "priority", "fast"] | str
"""The processing tier that served the request."""


@attrs.frozen(kw_only=True)
class TopLogprob(BaseObject):
    """One of the most likely tokens at a position."""

    token: str
    logprob: float
    bytes: list[int] | None = None


@attrs.frozen(kw_only=True)
class ChatCompletionTokenLogprob(BaseObject):
    """A token of the output, its log probability and the most likely alternatives."""

    token: str
    logprob: float
    bytes: list[int] | None = None
    top_logprobs: list[TopLogprob] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class ChoiceLogprobs(BaseObject):
    """Log probabilities of a choice's content and refusal tokens."""

    content: list[ChatCompletionTokenLogprob] | None = None
    refusal: list[ChatCompletionTokenLogprob] | None = None


@attrs.frozen(kw_only=True)
class Choice(BaseObject):
    """One of the ``n`` answers."""

    message: ChatCompletionMessage
    index: int = 0
    finish_reason: FinishReason | None = None
    logprobs: ChoiceLogprobs | None = None


@attrs.frozen(kw_only=True)
class ChatCompletion(BaseObject):
    """A chat completion (``POST /v1/chat/completions``): the choices and the usage."""

    id: str
    choices: list[Choice] = attrs.field(factory=list)
    created: int | None = None
    model: str | None = None
    object: Literal["chat.completion"] | str = "chat.completion"
    service_tier: ServiceTier | None = None
    system_fingerprint: str | None = None
    usage: CompletionUsage | None = None
    metadata: dict[str, str] | None = None
