"""The answer of ``responses.parse()`` (and of a stream's ``get_final_response()``).

A ParsedResponse is a Response whose output messages' ``output_text`` parts carry ``parsed``
(the text made into the ``text_format`` type; None for a message of another ``phase`` than
the final answer) and whose function calls carry ``parsed_arguments``; ``output_parsed`` is
the first parsed text. Neither is sent back to the API when the items are passed as ``input``.
"""

from __future__ import annotations

from typing import Generic, TypeAlias, TypeVar

import attrs

from ..._convert import NOT_SENT, tagged_members
from ..beta._unions import register_union
from .response import Response
from .response_output_item import (
    ResponseFileSearchToolCall,
    ResponseFunctionToolCall,
    ResponseFunctionToolCallOutputItem,
    ResponseFunctionWebSearch,
    ResponseOutputItem,
    ResponseOutputMessage,
    ResponseOutputRefusal,
    ResponseOutputText,
    ResponseReasoningItem,
    UnknownContent,
    UnknownOutputItem,
)

__all__ = [
    "ParsedContent",
    "ParsedResponse",
    "ParsedResponseFunctionToolCall",
    "ParsedResponseOutputItem",
    "ParsedResponseOutputMessage",
    "ParsedResponseOutputText",
]

ContentType = TypeVar("ContentType")

# The fields below narrow the parent's: ``list`` is invariant, so the type checker is told
# (one ignore each) that a list of parsed items stands where a list of plain ones did.


@attrs.frozen(kw_only=True)
class ParsedResponseOutputText(ResponseOutputText, Generic[ContentType]):
    """Output text, with ``parsed``: the text as a ``ContentType``."""

    parsed: ContentType | None = attrs.field(default=None, metadata={NOT_SENT: True})


ParsedContent: TypeAlias = (
    ParsedResponseOutputText[ContentType] | ResponseOutputRefusal | UnknownContent
)
"""A part of a parsed output message, tagged on ``type``."""


@attrs.frozen(kw_only=True)
class ParsedResponseOutputMessage(ResponseOutputMessage, Generic[ContentType]):
    """An output message whose text parts are parsed."""

    content: list[ParsedContent[ContentType]] = attrs.field(factory=list)  # type: ignore[assignment]


@attrs.frozen(kw_only=True)
class ParsedResponseFunctionToolCall(ResponseFunctionToolCall):
    """A function call with ``parsed_arguments``: an instance of the tool's type for a
    ``function_tool(T)``, the decoded JSON for another strict function tool, else None."""

    parsed_arguments: object = attrs.field(default=None, metadata={NOT_SENT: True})


ParsedResponseOutputItem: TypeAlias = (
    ParsedResponseOutputMessage[ContentType]
    | ParsedResponseFunctionToolCall
    | ResponseFunctionToolCallOutputItem
    | ResponseReasoningItem
    | ResponseFileSearchToolCall
    | ResponseFunctionWebSearch
    | UnknownOutputItem
)
"""An item of a parsed response's ``output``, tagged on ``type``."""


@attrs.frozen(kw_only=True)
class ParsedResponse(Response, Generic[ContentType]):
    """A response whose output messages and function calls are parsed."""

    output: list[ParsedResponseOutputItem[ContentType]] = attrs.field(factory=list)  # type: ignore[assignment]

    @property
    def output_parsed(self) -> ContentType | None:
        """The first parsed output text (None when no text was parsed, e.g. a refusal)."""
        for item in self.output:
            if isinstance(item, ParsedResponseOutputMessage):
                for part in item.content:
                    if isinstance(part, ParsedResponseOutputText) and part.parsed is not None:
                        return part.parsed
        return None


register_union(
    ParsedContent,
    {"output_text": ParsedResponseOutputText, "refusal": ResponseOutputRefusal},
    fallback=UnknownContent,
)


register_union(
    ParsedResponseOutputItem,
    {
        **{tag: members[0] for tag, members in tagged_members(ResponseOutputItem)[0].items()},
        "message": ParsedResponseOutputMessage,
        "function_call": ParsedResponseFunctionToolCall,
    },
    fallback=UnknownOutputItem,
)
