"""Response and input types, one module per API area, re-exported here."""

from __future__ import annotations

from . import beta
from .beta import Assistant, AssistantDeleted, Thread, ThreadDeleted
from .beta.threads import Message, MessageDeleted, Run
from .beta.threads.runs import RunStep
from .model import Model, ModelDeleted

__all__ = [
    "Assistant",
    "AssistantDeleted",
    "Message",
    "MessageDeleted",
    "Model",
    "ModelDeleted",
    "Run",
    "RunStep",
    "Thread",
    "ThreadDeleted",
    "beta",
]
