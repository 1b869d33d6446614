"""Items as stored: a response's input items, a conversation's items, and input messages.

``ResponseItem`` (``responses.input_items.list``; ``ConversationItem`` is the same union) is
tagged on ``type``: ``message`` (any role; its ``content`` parts tagged ``input_text``,
``output_text``, ``refusal``, ``input_image``, ``input_file``), ``function_call``,
``function_call_output``, ``reasoning``, ``file_search_call``, ``web_search_call``, and
:class:`UnknownOutputItem` for every other type (all keys kept).

:class:`EasyInputMessage` is the short input form ``{"role": "user", "content": "Hi"}`` as a
class; plain dicts work as well everywhere an input item is taken.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypeAlias

import attrs

from ..._models import BaseObject
from ..beta._unions import register_union
from .response_output_item import (
    OUTPUT_ITEMS,
    ResponseFileSearchToolCall,
    ResponseFunctionToolCall,
    ResponseFunctionToolCallOutputItem,
    ResponseFunctionWebSearch,
    ResponseOutputRefusal,
    ResponseOutputText,
    ResponseReasoningItem,
    UnknownContent,
    UnknownOutputItem,
)

__all__ = [
    "EasyInputMessage",
    "Message",
    "MessageContent",
    "ResponseInputFile",
    "ResponseInputImage",
    "ResponseInputItemParam",
    "ResponseInputParam",
    "ResponseInputText",
    "ResponseItem",
]


@attrs.frozen(kw_only=True)
class ResponseInputText(BaseObject):
    """Text given to the model."""

    text: str = ""
    type: Literal["input_text"] = "input_text"


@attrs.frozen(kw_only=True)
class ResponseInputImage(BaseObject):
    """An image given to the model, by URL (or data URL) or file id."""

    detail: Literal["low", "high", "auto"] | str | None = None
    image_url: str | None = None
    file_id: str | None = None
    type: Literal["input_image"] = "input_image"


@attrs.frozen(kw_only=True)
class ResponseInputFile(BaseObject):
    """A file given to the model, by id, URL or inline data."""

    file_id: str | None = None
    file_url: str | None = None
    file_data: str | None = None
    filename: str | None = None
    type: Literal["input_file"] = "input_file"


MessageContent: TypeAlias = (
    ResponseInputText
    | ResponseOutputText
    | ResponseOutputRefusal
    | ResponseInputImage
    | ResponseInputFile
    | UnknownContent
)
"""A part of a stored message, tagged on ``type``."""

register_union(
    MessageContent,
    {
        "input_text": ResponseInputText,
        "output_text": ResponseOutputText,
        "refusal": ResponseOutputRefusal,
        "input_image": ResponseInputImage,
        "input_file": ResponseInputFile,
    },
    fallback=UnknownContent,
)


@attrs.frozen(kw_only=True)
class Message(BaseObject):
    """A stored message of any role (``user``, ``assistant``, ``system``, ``developer``)."""

    id: str
    role: Literal["user", "assistant", "system", "developer"] | str
    content: list[MessageContent] = attrs.field(factory=list)
    status: Literal["in_progress", "completed", "incomplete"] | str | None = None
    type: Literal["message"] = "message"


@attrs.frozen(kw_only=True)
class EasyInputMessage(BaseObject):
    """An input message: a role and its content (a string, or a list of input parts)."""

    role: Literal["user", "assistant", "system", "developer"] | str
    content: Any
    type: Literal["message"] | None = None


ResponseItem: TypeAlias = (
    Message
    | ResponseFunctionToolCall
    | ResponseFunctionToolCallOutputItem
    | ResponseReasoningItem
    | ResponseFileSearchToolCall
    | ResponseFunctionWebSearch
    | UnknownOutputItem
)
"""A stored item (an input item of a response, an item of a conversation), tagged on ``type``."""

register_union(ResponseItem, {**OUTPUT_ITEMS, "message": Message}, fallback=UnknownOutputItem)

ResponseInputItemParam: TypeAlias = BaseObject | Mapping[str, Any]
"""An input item: a dict (``{"role": "user", "content": "Hi"}``,
``{"type": "function_call_output", "call_id": ..., "output": ...}``) or one of the item classes
(an output item of an earlier response, an :class:`EasyInputMessage`)."""

ResponseInputParam: TypeAlias = Iterable[ResponseInputItemParam]
"""A list of input items."""
