"""The Response object of the Responses API: status, output items, usage.

``Response.output_text`` joins the text of every ``output_text`` part of the output messages,
as the official SDK's property does. A response's ``status`` is ``completed``, ``failed``,
``in_progress``, ``cancelled``, ``queued`` or ``incomplete`` (see
:data:`TERMINAL_RESPONSE_STATUSES` for those a background response stops in).
"""

from __future__ import annotations

from typing import Any, Final, Literal, TypeAlias

import attrs

from ..._models import BaseObject
from .response_output_item import ResponseFunctionToolCall, ResponseOutputItem
from .tool import Tool, ToolChoice

__all__ = [
    "TERMINAL_RESPONSE_STATUSES",
    "IncompleteDetails",
    "InputTokensDetails",
    "OutputTokensDetails",
    "Reasoning",
    "Response",
    "ResponseConversation",
    "ResponseError",
    "ResponseStatus",
    "ResponseTextConfig",
    "ResponseUsage",
]

ResponseStatus: TypeAlias = (
    Literal["completed", "failed", "in_progress", "cancelled", "queued", "incomplete"] | str
)
"""A response's status."""

#: The statuses a (background) response stops in.
TERMINAL_RESPONSE_STATUSES: Final = frozenset({"completed", "failed", "cancelled", "incomplete"})


@attrs.frozen(kw_only=True)
class ResponseError(BaseObject):
    """Why a response failed."""

    code: str | None = None
    message: str = ""


@attrs.frozen(kw_only=True)
class IncompleteDetails(BaseObject):
    """Why a response is incomplete (``max_output_tokens``, ``content_filter``)."""

    reason: Literal["max_output_tokens", "content_filter"] | str | None = None


@attrs.frozen(kw_only=True)
class InputTokensDetails(BaseObject):
    """How the input tokens break down."""

    cached_tokens: int = 0
    cache_write_tokens: int | None = None


@attrs.frozen(kw_only=True)
class OutputTokensDetails(BaseObject):
    """How the output tokens break down."""

    reasoning_tokens: int = 0


@attrs.frozen(kw_only=True)
class ResponseUsage(BaseObject):
    """Tokens a response used: input, output and their total."""

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    input_tokens_details: InputTokensDetails | None = None
    output_tokens_details: OutputTokensDetails | None = None


@attrs.frozen(kw_only=True)
class ResponseConversation(BaseObject):
    """The conversation a response belongs to."""

    id: str


@attrs.frozen(kw_only=True)
class ResponseTextConfig(BaseObject):
    """The text output's format (``{"type": "text"}``, ``json_schema``, ...) and verbosity."""

    format: dict[str, Any] | None = None
    verbosity: Literal["low", "medium", "high"] | str | None = None


@attrs.frozen(kw_only=True)
class Reasoning(BaseObject):
    """Reasoning settings of a reasoning model."""

    effort: Literal["none", "minimal", "low", "medium", "high", "xhigh"] | str | None = None
    summary: Literal["auto", "concise", "detailed"] | str | None = None
    generate_summary: Literal["auto", "concise", "detailed"] | str | None = None


@attrs.frozen(kw_only=True)
class Response(BaseObject):
    """A model response: its status, ``output`` items and ``usage``.

    ``output_text`` is the text of every ``output_text`` part, joined; ``function_calls`` the
    ``function_call`` items the model wants answered.
    """

    id: str
    object: Literal["response"] | str = "response"
    created_at: float | None = None
    status: ResponseStatus | None = None
    model: str | None = None
    output: list[ResponseOutputItem] = attrs.field(factory=list)
    error: ResponseError | None = None
    incomplete_details: IncompleteDetails | None = None
    instructions: Any = None
    metadata: dict[str, str] | None = None
    parallel_tool_calls: bool | None = None
    temperature: float | None = None
    top_p: float | None = None
    tool_choice: ToolChoice | None = None
    tools: list[Tool] = attrs.field(factory=list)
    background: bool | None = None
    completed_at: float | None = None
    conversation: ResponseConversation | None = None
    max_output_tokens: int | None = None
    max_tool_calls: int | None = None
    previous_response_id: str | None = None
    prompt_cache_key: str | None = None
    reasoning: Reasoning | None = None
    safety_identifier: str | None = None
    service_tier: str | None = None
    store: bool | None = None
    text: ResponseTextConfig | None = None
    top_logprobs: int | None = None
    truncation: Literal["auto", "disabled"] | str | None = None
    usage: ResponseUsage | None = None
    user: str | None = None

    @property
    def output_text(self) -> str:
        """The text of every ``output_text`` part of the output messages, joined ("" if none)."""
        texts: list[str] = []
        for item in self.output:
            if item.type == "message":
                for part in getattr(item, "content", ()):
                    if part.type == "output_text":
                        text = getattr(part, "text", None)
                        if text is not None:
                            texts.append(text)
        return "".join(texts)

    @property
    def function_calls(self) -> list[ResponseFunctionToolCall]:
        """The ``function_call`` items of the output, in order."""
        return [item for item in self.output if isinstance(item, ResponseFunctionToolCall)]
