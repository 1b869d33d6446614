"""Output items of a response, and their content parts.

``ResponseOutputItem`` is a union tagged on ``type``: ``message`` (the model's text, with
``output_text`` and ``refusal`` parts), ``function_call`` (a call for you to make and answer with
a ``function_call_output`` input item), ``reasoning``, ``file_search_call``, ``web_search_call``,
and :class:`UnknownOutputItem` for every other type (all keys kept, reachable as attributes).
Any of them can be sent back as an input item (``input=[*previous.output, ...]``).
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs

from ..._models import BaseObject
from ..beta._unions import register_union

__all__ = [
    "ReasoningContent",
    "ReasoningSummary",
    "ResponseFileSearchToolCall",
    "ResponseFunctionToolCall",
    "ResponseFunctionToolCallOutputItem",
    "ResponseFunctionWebSearch",
    "ResponseOutputContent",
    "ResponseOutputItem",
    "ResponseOutputMessage",
    "ResponseOutputRefusal",
    "ResponseOutputText",
    "ResponseReasoningItem",
    "UnknownContent",
    "UnknownOutputItem",
]

ItemStatus: TypeAlias = Literal["in_progress", "completed", "incomplete"] | str


# -- content parts -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ResponseOutputText(BaseObject):
    """Text the model wrote, with its annotations (citations) and log probabilities."""

    text: str = ""
    annotations: list[Any] = attrs.field(factory=list)
    logprobs: list[Any] = attrs.field(factory=list)
    type: Literal["output_text"] = "output_text"


@attrs.frozen(kw_only=True)
class ResponseOutputRefusal(BaseObject):
    """The model refused, and says why."""

    refusal: str = ""
    type: Literal["refusal"] = "refusal"


@attrs.frozen(kw_only=True)
class UnknownContent(BaseObject):
    """A content part of a type this package does not know (keys in ``model_extra``)."""

    type: str


ResponseOutputContent: TypeAlias = ResponseOutputText | ResponseOutputRefusal | UnknownContent
"""A part of an output message, tagged on ``type``."""

register_union(
    ResponseOutputContent,
    {"output_text": ResponseOutputText, "refusal": ResponseOutputRefusal},
    fallback=UnknownContent,
)


# -- items -------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ResponseOutputMessage(BaseObject):
    """A message of the model: ``output_text`` and ``refusal`` parts."""

    id: str
    content: list[ResponseOutputContent] = attrs.field(factory=list)
    role: Literal["assistant"] | str = "assistant"
    status: ItemStatus = "completed"
    type: Literal["message"] = "message"


@attrs.frozen(kw_only=True)
class ResponseFunctionToolCall(BaseObject):
    """A call of one of your functions: answer it with a ``function_call_output`` item whose
    ``call_id`` is this one's."""

    call_id: str
    name: str
    arguments: str = ""
    id: str | None = None
    status: ItemStatus | None = None
    type: Literal["function_call"] = "function_call"


@attrs.frozen(kw_only=True)
class ResponseFunctionToolCallOutputItem(BaseObject):
    """The output of a function call, as you sent it."""

    call_id: str
    output: Any = ""
    id: str | None = None
    status: ItemStatus | None = None
    type: Literal["function_call_output"] = "function_call_output"


@attrs.frozen(kw_only=True)
class ReasoningSummary(BaseObject):
    """A summary of the model's reasoning."""

    text: str = ""
    type: Literal["summary_text"] | str = "summary_text"


@attrs.frozen(kw_only=True)
class ReasoningContent(BaseObject):
    """The model's reasoning text."""

    text: str = ""
    type: Literal["reasoning_text"] | str = "reasoning_text"


@attrs.frozen(kw_only=True)
class ResponseReasoningItem(BaseObject):
    """The model's reasoning: its summary (and, when asked for, encrypted content)."""

    id: str
    summary: list[ReasoningSummary] = attrs.field(factory=list)
    content: list[ReasoningContent] | None = None
    encrypted_content: str | None = None
    status: ItemStatus | None = None
    type: Literal["reasoning"] = "reasoning"


@attrs.frozen(kw_only=True)
class ResponseFileSearchToolCall(BaseObject):
    """A file search the model ran: its queries and results."""

    id: str
    queries: list[str] = attrs.field(factory=list)
    status: Literal["in_progress", "searching", "completed", "incomplete", "failed"] | str = (
        "completed"
    )
    results: list[dict[str, Any]] | None = None
    type: Literal["file_search_call"] = "file_search_call"


@attrs.frozen(kw_only=True)
class ResponseFunctionWebSearch(BaseObject):
    """A web search the model ran (``action``: search, open_page, find_in_page)."""

    id: str
    action: dict[str, Any] | None = None
    status: Literal["in_progress", "searching", "completed", "failed"] | str = "completed"
    type: Literal["web_search_call"] = "web_search_call"


@attrs.frozen(kw_only=True)
class UnknownOutputItem(BaseObject):
    """An item of a type this package does not know: every key is in ``model_extra``."""

    type: str
    id: str | None = None


ResponseOutputItem: TypeAlias = (
    ResponseOutputMessage
    | ResponseFunctionToolCall
    | ResponseFunctionToolCallOutputItem
    | ResponseReasoningItem
    | ResponseFileSearchToolCall
    | ResponseFunctionWebSearch
    | UnknownOutputItem
)
"""An item of a response's ``output``, tagged on ``type``."""

OUTPUT_ITEMS: dict[str, type[BaseObject]] = {
    "message": ResponseOutputMessage,
    "function_call": ResponseFunctionToolCall,
    "function_call_output": ResponseFunctionToolCallOutputItem,
    "reasoning": ResponseReasoningItem,
    "file_search_call": ResponseFileSearchToolCall,
    "web_search_call": ResponseFunctionWebSearch,
}

register_union(ResponseOutputItem, OUTPUT_ITEMS, fallback=UnknownOutputItem)
