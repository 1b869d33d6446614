"""Response and input types, one module per API area, re-exported here."""

from __future__ import annotations

from . import beta, chat, conversations, responses
from .beta import Assistant, AssistantDeleted, AssistantStreamEvent, Thread, ThreadDeleted
from .beta.threads import Message, MessageDeleted, Run
from .beta.threads.runs import RunStep
from .chat import ChatCompletion, ChatCompletionChunk, ChatCompletionMessage
from .completion_usage import CompletionUsage
from .embedding import CreateEmbeddingResponse, Embedding
from .model import Model, ModelDeleted

__all__ = [
    "Assistant",
    "AssistantDeleted",
    "AssistantStreamEvent",
    "ChatCompletion",
    "ChatCompletionChunk",
    "ChatCompletionMessage",
    "CompletionUsage",
    "CreateEmbeddingResponse",
    "Embedding",
    "Message",
    "MessageDeleted",
    "Model",
    "ModelDeleted",
    "Run",
    "RunStep",
    "Thread",
    "ThreadDeleted",
    "beta",
    "chat",
    "conversations",
    "responses",
]
