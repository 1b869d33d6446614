"""The fake model of the legacy Completions API: a prompt in, text out, whole or in chunks.

The reply to a prompt is scripted (``fake.state.chat.replies[prompt]``, as for chat) or else
the prompt itself (a prompt of token ids, which the fake cannot read, gets
:data:`.._fake_model.DEFAULT_REPLY`); ``echo`` puts the prompt before it, ``stop`` cuts it at
the first stop sequence, and ``max_tokens`` (16 when not given, as OpenAI's default) cuts it
short with ``finish_reason`` "length". Each prompt gets ``n`` choices, indexed prompt by
prompt. ``logprobs`` adds made-up log probabilities of 4-character tokens.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from typing import Any, Final

from aio_openai.testing._fake_model import DEFAULT_REPLY, tokens

__all__ = ["DEFAULT_MAX_TOKENS", "text_chunks", "text_completion"]

#: The completion tokens OpenAI allows when a request names no ``max_tokens``.
DEFAULT_MAX_TOKENS: Final = 16
_FINGERPRINT: Final = "fp_fake"
_TOKEN_CHARS: Final = 4


def _prompts(prompt: Any) -> list[tuple[str | None, int]]:
    """Each prompt of a checked body: its text (None for token ids) and its token count."""
    if prompt is None:
        return [("", 1)]
    if isinstance(prompt, str):
        return [(prompt, tokens(prompt))]
    if prompt and all(isinstance(p, int) for p in prompt):
        return [(None, len(prompt))]
    return [(p, tokens(p)) if isinstance(p, str) else (None, len(p)) for p in prompt]


def _stops(body: Mapping[str, Any]) -> list[str]:
    stop = body.get("stop")
    if isinstance(stop, str):
        return [stop]
    return [s for s in stop or () if isinstance(s, str) and s]


def _reply(
    replies: Mapping[str, str], text: str | None, body: Mapping[str, Any]
) -> tuple[str, str]:
    """The completion of one prompt and its finish reason."""
    reply = replies.get(text) if text is not None else None
    if reply is None:
        reply = text or DEFAULT_REPLY
    finish = "stop"
    cuts = [reply.index(s) for s in _stops(body) if s in reply]
    if cuts:
        reply = reply[: min(cuts)]
    limit = body.get("max_tokens")
    limit = DEFAULT_MAX_TOKENS if limit is None else limit
    if tokens(reply) > limit:
        reply, finish = reply[: limit * _TOKEN_CHARS], "length"
    return reply, finish


def _logprobs(text: str, offset: int, top: int) -> dict[str, Any]:
    pieces = [text[i : i + _TOKEN_CHARS] for i in range(0, len(text), _TOKEN_CHARS)]
    values = [-0.01 * (1 + i % 7) for i in range(len(pieces))]
    return {
        "tokens": pieces,
        "token_logprobs": values,
        "top_logprobs": [{p: v} for p, v in zip(pieces, values, strict=True)] if top else None,
        "text_offset": [offset + i * _TOKEN_CHARS for i in range(len(pieces))],
    }


def text_completion(replies: Mapping[str, str], body: Mapping[str, Any]) -> dict[str, Any]:
    """The whole answer to a checked body (choices and usage), before it is sent or streamed."""
    n = body.get("n") or 1
    top = body.get("logprobs")
    choices = []
    prompt_tokens = completion_tokens = 0
    for p, (text, count) in enumerate(_prompts(body.get("prompt"))):
        prompt_tokens += count
        reply, finish = _reply(replies, text, body)
        shown = (text or "") + reply if body.get("echo") else reply
        for k in range(n):
            choices.append(
                {
                    "text": shown,
                    "index": p * n + k,
                    "logprobs": None if top is None else _logprobs(shown, 0, top),
                    "finish_reason": finish,
                }
            )
            completion_tokens += tokens(reply)
    return {
        "id": f"cmpl-{os.urandom(12).hex()}",
        "object": "text_completion",
        "created": int(time.time()),
        "model": body["model"],
        "system_fingerprint": _FINGERPRINT,
        "choices": choices,
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def text_chunks(
    answer: Mapping[str, Any], *, size: int, include_usage: bool
) -> Iterator[dict[str, Any]]:
    """The chunks that stream ``answer``: pieces of ``size`` characters of each choice, its
    finish reason last, then (with ``include_usage``) one with no choices and the usage."""
    base = {k: answer[k] for k in ("id", "object", "created", "model", "system_fingerprint")}
    if include_usage:
        base["usage"] = None
    for choice in answer["choices"]:
        text = choice["text"]
        pieces = [text[i : i + size] for i in range(0, len(text), size)] or [""]
        for number, piece in enumerate(pieces):
            last = number == len(pieces) - 1
            part = {
                "text": piece,
                "index": choice["index"],
                "logprobs": None,
                "finish_reason": choice["finish_reason"] if last else None,
            }
            yield {**base, "choices": [part]}
    if include_usage:
        yield {**base, "choices": [], "usage": answer["usage"]}
