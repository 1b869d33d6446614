"""Token cost estimate of a request body, counted the way OpenAI documents it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["charged_tokens", "completion_budget", "estimate_tokens"]

_TEXT_KEYS = ("messages", "input", "prompt", "instructions", "system")
_COMPLETION_KEYS = ("max_completion_tokens", "max_tokens", "max_output_tokens")
#: Text-bearing keys of a message, content part or Responses input item (function calls,
#: their outputs).
_ITEM_TEXT_KEYS = ("content", "text", "input", "output", "arguments")
#: Characters a token stands for in the estimate: a prompt given as token ids (legacy
#: completions, embeddings) costs one token per id.
_CHARS_PER_TOKEN = 4


def _chars(value: Any) -> int:
    """Characters of text in a prompt-like value (strings, token ids, lists, message/part
    dicts); a token id counts as the characters of one token."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return _CHARS_PER_TOKEN
    if isinstance(value, Mapping):
        return sum(_chars(value[k]) for k in _ITEM_TEXT_KEYS if k in value)
    if isinstance(value, list | tuple):
        return sum(_chars(v) for v in value)
    return 0


def completion_budget(body: Mapping[str, Any]) -> int:
    """The completion tokens a request may spend: its max_(completion_|output_)tokens x n."""
    completion = 0
    for key in _COMPLETION_KEYS:
        value = body.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            completion = value
            break
    n = body.get("n")
    if completion and isinstance(n, int) and not isinstance(n, bool) and n > 1:
        completion *= n
    return completion


def estimate_tokens(body: Mapping[str, Any]) -> int:
    """The larger of the completion budget (times ``n``) and the input characters / 4.

    Bodies with no text or completion budget (models, assistants, runs) cost 0.
    """
    chars = 0
    for key in _TEXT_KEYS:
        if key in body:
            chars += _chars(body[key])
    return max(completion_budget(body), (chars + 3) // 4)


def charged_tokens(body: Mapping[str, Any], usage: Mapping[str, Any]) -> int | None:
    """What the server charged against the token limit, now that ``usage`` is known.

    OpenAI counts a request at admission as the larger of its completion budget and its
    prompt; ``usage.prompt_tokens`` is the prompt counted by the real tokenizer, so this
    corrects the characters / 4 guess (the Responses API calls it ``input_tokens``). None
    when usage has neither.
    """
    prompt = usage.get("prompt_tokens")
    if prompt is None:
        prompt = usage.get("input_tokens")
    if not isinstance(prompt, int) or isinstance(prompt, bool):
        return None
    return max(completion_budget(body), prompt)
