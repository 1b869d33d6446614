"""Types of the Chat Completions API (``openai.types.chat`` in the official SDK)."""

from __future__ import annotations

from .chat_completion import (
    ChatCompletion,
    ChatCompletionTokenLogprob,
    TopLogprob,
)
from .chat_completion_chunk import (
    ChatCompletionChunk,
    ChoiceDelta,
    ChoiceDeltaFunctionCall,
    ChoiceDeltaToolCall,
    ChoiceDeltaToolCallFunction,
)
from .chat_completion_message import (
    ChatCompletionAudio,
    ChatCompletionMessage,
    ChatCompletionMessageCustomToolCall,
    ChatCompletionMessageFunctionToolCall,
    ChatCompletionMessageToolCall,
    ChatCompletionMessageToolCallUnion,
    ChatCompletionMessageUnknownToolCall,
)
from .completion_create_params import (
    ChatCompletionMessageParam,
    ChatCompletionToolParam,
    CompletionCreateParams,
)

__all__ = [
    "ChatCompletion",
    "ChatCompletionAudio",
    "ChatCompletionChunk",
    "ChatCompletionMessage",
    "ChatCompletionMessageCustomToolCall",
    "ChatCompletionMessageFunctionToolCall",
    "ChatCompletionMessageParam",
    "ChatCompletionMessageToolCall",
    "ChatCompletionMessageToolCallUnion",
    "ChatCompletionMessageUnknownToolCall",
    "ChatCompletionTokenLogprob",
    "ChatCompletionToolParam",
    "ChoiceDelta",
    "ChoiceDeltaFunctionCall",
    "ChoiceDeltaToolCall",
    "ChoiceDeltaToolCallFunction",
    "CompletionCreateParams",
    "TopLogprob",
]
