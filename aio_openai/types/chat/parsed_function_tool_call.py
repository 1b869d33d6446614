"""A function tool call whose arguments ``parse()`` and ``stream()`` have parsed."""

from __future__ import annotations

import attrs

from ..._convert import NOT_SENT
from .chat_completion_message import ChatCompletionMessageFunctionToolCall, Function

__all__ = ["ParsedFunction", "ParsedFunctionToolCall"]


@attrs.frozen(kw_only=True)
class ParsedFunction(Function):
    """The function called, its arguments as the model wrote them (``arguments``) and parsed
    (``parsed_arguments``): an instance of the tool's type for a ``function_tool(T)``, the
    decoded JSON for another strict function tool, else None."""

    parsed_arguments: object = attrs.field(default=None, metadata={NOT_SENT: True})


@attrs.frozen(kw_only=True)
class ParsedFunctionToolCall(ChatCompletionMessageFunctionToolCall):
    """A call of a function tool, with its arguments parsed."""

    function: ParsedFunction
