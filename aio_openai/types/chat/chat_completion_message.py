"""The assistant's message of a chat completion, with its tool calls, annotations and audio."""

from __future__ import annotations

from typing import Literal, TypeAlias

import attrs

from ..._models import BaseObject
from ..beta._unions import register_union

__all__ = [
    "Annotation",
    "AnnotationURLCitation",
    "ChatCompletionAudio",
    "ChatCompletionMessage",
    "ChatCompletionMessageCustomToolCall",
    "ChatCompletionMessageFunctionToolCall",
    "ChatCompletionMessageToolCall",
    "ChatCompletionMessageToolCallUnion",
    "ChatCompletionMessageUnknownToolCall",
    "Custom",
    "Function",
    "FunctionCall",
]


@attrs.frozen(kw_only=True)
class Function(BaseObject):
    """The function the model called and its arguments (a JSON text, not always valid)."""

    name: str
    arguments: str = ""


@attrs.frozen(kw_only=True)
class ChatCompletionMessageFunctionToolCall(BaseObject):
    """A call of a function tool."""

    id: str
    function: Function
    type: Literal["function"] = "function"


#: The official SDK's name for a function tool call.
ChatCompletionMessageToolCall = ChatCompletionMessageFunctionToolCall


@attrs.frozen(kw_only=True)
class Custom(BaseObject):
    """The custom tool the model called and its free-form input."""

    name: str
    input: str = ""


@attrs.frozen(kw_only=True)
class ChatCompletionMessageCustomToolCall(BaseObject):
    """A call of a custom tool."""

    id: str
    custom: Custom
    type: Literal["custom"] = "custom"


@attrs.frozen(kw_only=True)
class ChatCompletionMessageUnknownToolCall(BaseObject):
    """A tool call of a type this package does not know (keys in ``model_extra``)."""

    type: str
    id: str | None = None


ChatCompletionMessageToolCallUnion: TypeAlias = (
    ChatCompletionMessageFunctionToolCall
    | ChatCompletionMessageCustomToolCall
    | ChatCompletionMessageUnknownToolCall
)
"""A tool call of a message, tagged on ``type``."""

register_union(
    ChatCompletionMessageToolCallUnion,
    {
        "function": ChatCompletionMessageFunctionToolCall,
        "custom": ChatCompletionMessageCustomToolCall,
    },
    fallback=ChatCompletionMessageUnknownToolCall,
)


@attrs.frozen(kw_only=True)
class FunctionCall(BaseObject):
    """The deprecated ``function_call`` of a message."""

    name: str
    arguments: str = ""


@attrs.frozen(kw_only=True)
class AnnotationURLCitation(BaseObject):
    """A web page the message cites."""

    url: str
    title: str | None = None
    start_index: int | None = None
    end_index: int | None = None


@attrs.frozen(kw_only=True)
class Annotation(BaseObject):
    """An annotation of the message text (a URL citation of web search)."""

    type: Literal["url_citation"] | str = "url_citation"
    url_citation: AnnotationURLCitation | None = None


@attrs.frozen(kw_only=True)
class ChatCompletionAudio(BaseObject):
    """The audio of an audio answer."""

    id: str
    data: str | None = None
    expires_at: int | None = None
    transcript: str | None = None


@attrs.frozen(kw_only=True)
class ChatCompletionMessage(BaseObject):
    """The message the model wrote: text, a refusal, or tool calls."""

    content: str | None = None
    refusal: str | None = None
    role: Literal["assistant"] | str = "assistant"
    annotations: list[Annotation] | None = None
    audio: ChatCompletionAudio | None = None
    function_call: FunctionCall | None = None
    tool_calls: list[ChatCompletionMessageToolCallUnion] | None = None
