"""The answer of ``chat.completions.parse()`` (and of a stream's ``get_final_completion()``).

A ParsedChatCompletion is a ChatCompletion whose messages carry ``parsed``: the content made
into the type given as ``response_format`` (None without one, and for a refusal), and whose
function tool calls carry ``parsed_arguments``. ``parsed`` and ``parsed_arguments`` are never
sent back to the API when the message is passed in a later request's ``messages``.
"""

from __future__ import annotations

from typing import Generic, TypeAlias, TypeVar

import attrs

from ..._convert import NOT_SENT
from ..beta._unions import register_union
from .chat_completion import ChatCompletion, Choice
from .chat_completion_message import (
    ChatCompletionMessage,
    ChatCompletionMessageCustomToolCall,
    ChatCompletionMessageUnknownToolCall,
)
from .parsed_function_tool_call import ParsedFunctionToolCall

__all__ = [
    "ParsedChatCompletion",
    "ParsedChatCompletionMessage",
    "ParsedChatCompletionMessageToolCall",
    "ParsedChoice",
]

ContentType = TypeVar("ContentType")

ParsedChatCompletionMessageToolCall: TypeAlias = (
    ParsedFunctionToolCall
    | ChatCompletionMessageCustomToolCall
    | ChatCompletionMessageUnknownToolCall
)
"""A tool call of a parsed message: a function call with its arguments parsed; a custom tool's
call (``stream()`` passes custom tools on) or one of a type this package does not know is kept
as it came."""

register_union(
    ParsedChatCompletionMessageToolCall,
    {"function": ParsedFunctionToolCall, "custom": ChatCompletionMessageCustomToolCall},
    fallback=ChatCompletionMessageUnknownToolCall,
)

# The fields below narrow the parent's: ``list`` is invariant, so the type checker is told
# (one ignore each) that a list of parsed items stands where a list of plain ones did.


@attrs.frozen(kw_only=True)
class ParsedChatCompletionMessage(ChatCompletionMessage, Generic[ContentType]):
    """The message, with ``parsed``: its content as a ``ContentType``."""

    parsed: ContentType | None = attrs.field(default=None, metadata={NOT_SENT: True})
    tool_calls: list[ParsedChatCompletionMessageToolCall] | None = None  # type: ignore[assignment]


@attrs.frozen(kw_only=True)
class ParsedChoice(Choice, Generic[ContentType]):
    """One of the ``n`` answers, its message parsed."""

    message: ParsedChatCompletionMessage[ContentType]


@attrs.frozen(kw_only=True)
class ParsedChatCompletion(ChatCompletion, Generic[ContentType]):
    """A chat completion whose choices' messages are parsed."""

    choices: list[ParsedChoice[ContentType]] = attrs.field(factory=list)  # type: ignore[assignment]
