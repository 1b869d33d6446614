"""The parameters of ``responses.create`` (and ``create_and_poll``), with the per-call options."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from ..._types import NotGiven, RequestOptions
from .response import Reasoning
from .response_item import ResponseInputParam
from .tool import ToolChoiceParam, ToolParam

__all__ = ["ResponseCreateParams"]


class ResponseCreateParams(RequestOptions, total=False):
    """Every parameter of ``responses.create`` and the per-call options.

    ``input`` is a string or a list of items (dicts or item classes); ``conversation`` a
    conversation id (or ``{"id": ...}``); ``tools`` FunctionTool/dicts. Any parameter the API
    knows and this list does not goes in ``extra_body``.
    """

    model: str | NotGiven
    input: str | ResponseInputParam | NotGiven
    instructions: str | NotGiven | None
    tools: Iterable[ToolParam] | NotGiven
    tool_choice: ToolChoiceParam | NotGiven
    previous_response_id: str | NotGiven | None
    conversation: str | Mapping[str, Any] | NotGiven | None
    store: bool | NotGiven | None
    background: bool | NotGiven | None
    max_output_tokens: int | NotGiven | None
    max_tool_calls: int | NotGiven | None
    metadata: Mapping[str, str] | NotGiven | None
    parallel_tool_calls: bool | NotGiven | None
    include: Sequence[str] | NotGiven | None
    prompt: Mapping[str, Any] | NotGiven | None
    prompt_cache_key: str | NotGiven | None
    reasoning: Reasoning | Mapping[str, Any] | NotGiven | None
    safety_identifier: str | NotGiven | None
    service_tier: str | NotGiven | None
    stream_options: Mapping[str, Any] | NotGiven | None
    temperature: float | NotGiven | None
    text: Mapping[str, Any] | NotGiven
    top_logprobs: int | NotGiven | None
    top_p: float | NotGiven | None
    truncation: Literal["auto", "disabled"] | NotGiven | None
    user: str | NotGiven
