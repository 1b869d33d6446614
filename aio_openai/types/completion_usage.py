"""Token usage of a completion (``usage`` of chat completions and their last streamed chunk)."""

from __future__ import annotations

import attrs

from .._models import BaseObject

__all__ = ["CompletionTokensDetails", "CompletionUsage", "PromptTokensDetails"]


@attrs.frozen(kw_only=True)
class CompletionTokensDetails(BaseObject):
    """How the completion tokens break down."""

    accepted_prediction_tokens: int | None = None
    audio_tokens: int | None = None
    reasoning_tokens: int | None = None
    rejected_prediction_tokens: int | None = None
    text_tokens: int | None = None


@attrs.frozen(kw_only=True)
class PromptTokensDetails(BaseObject):
    """How the prompt tokens break down."""

    audio_tokens: int | None = None
    cache_write_tokens: int | None = None
    cached_tokens: int | None = None
    image_tokens: int | None = None
    text_tokens: int | None = None


@attrs.frozen(kw_only=True)
class CompletionUsage(BaseObject):
    """Tokens a request used: prompt, completion and their total."""

    completion_tokens: int = 0
    prompt_tokens: int = 0
    total_tokens: int = 0
    completion_tokens_details: CompletionTokensDetails | None = None
    prompt_tokens_details: PromptTokensDetails | None = None
