"""The optional parameters of ``chat.completions.create``, as a TypedDict for ``**kwargs``.

Inputs are plain dicts, as in the official SDK (its TypedDicts are dicts at run time):
``{"role": "user", "content": "Hi"}``, ``{"type": "function", "function": {...}}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeAlias

from ..._types import NotGiven, RequestOptions

__all__ = [
    "ChatCompletionMessageParam",
    "ChatCompletionToolParam",
    "CompletionCommonParams",
    "CompletionCreateParams",
    "ResponseFormat",
]

ChatCompletionMessageParam: TypeAlias = Mapping[str, Any]
"""A message of the conversation: ``{"role": "user", "content": "..."}`` and the like."""

ChatCompletionToolParam: TypeAlias = Mapping[str, Any]
"""A tool: ``{"type": "function", "function": {"name": ..., "parameters": {...}}}``."""

ResponseFormat: TypeAlias = Mapping[str, Any]
"""``{"type": "text"}``, ``{"type": "json_object"}`` or ``{"type": "json_schema", ...}``."""


class CompletionCommonParams(RequestOptions, total=False):
    """Every optional parameter of ``chat.completions.create`` but ``response_format`` (which
    ``parse`` and ``stream`` also take as a type), and the per-call options.

    Any parameter the API knows and this list does not goes in ``extra_body``.
    """

    audio: Mapping[str, Any] | NotGiven | None
    frequency_penalty: float | NotGiven | None
    function_call: str | Mapping[str, Any] | NotGiven
    functions: Iterable[Mapping[str, Any]] | NotGiven
    logit_bias: Mapping[str, int] | NotGiven | None
    logprobs: bool | NotGiven | None
    max_completion_tokens: int | NotGiven | None
    max_tokens: int | NotGiven | None
    metadata: Mapping[str, str] | NotGiven | None
    modalities: Sequence[str] | NotGiven | None
    moderation: Mapping[str, Any] | NotGiven | None
    n: int | NotGiven | None
    parallel_tool_calls: bool | NotGiven
    prediction: Mapping[str, Any] | NotGiven | None
    presence_penalty: float | NotGiven | None
    prompt_cache_key: str | NotGiven | None
    prompt_cache_retention: str | NotGiven | None
    reasoning_effort: str | NotGiven | None
    safety_identifier: str | NotGiven | None
    seed: int | NotGiven | None
    service_tier: str | NotGiven | None
    stop: str | Sequence[str] | NotGiven | None
    store: bool | NotGiven | None
    stream_options: Mapping[str, Any] | NotGiven | None
    temperature: float | NotGiven | None
    tool_choice: str | Mapping[str, Any] | NotGiven
    tools: Iterable[ChatCompletionToolParam] | NotGiven
    top_logprobs: int | NotGiven | None
    top_p: float | NotGiven | None
    user: str | NotGiven
    verbosity: str | NotGiven | None
    web_search_options: Mapping[str, Any] | NotGiven


class CompletionCreateParams(CompletionCommonParams, total=False):
    """Every optional parameter of ``chat.completions.create`` and the per-call options."""

    response_format: ResponseFormat | NotGiven
