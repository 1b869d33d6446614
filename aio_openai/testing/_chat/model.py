"""The fake chat model: a whole chat completion for a checked body, its chunks, embeddings.

Pure functions of the request (and the scripted replies); :class:`.state.ChatState` calls
them with its settings.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import random
import sys
import time
from array import array
from collections.abc import Iterator, Mapping
from typing import Any, Final

from aio_openai.testing._arguments import fill, json_reply
from aio_openai.testing._fake_model import call_id, tokens

__all__ = ["chunks", "completion", "encode", "native_dimensions", "store_messages", "vector"]

_FINGERPRINT: Final = "fp_fake"
_LARGE_MODELS: Final = ("text-embedding-3-large",)
#: Tokens OpenAI's chat format adds: per message, and once for the reply's priming.
_MESSAGE_OVERHEAD: Final = 3
_MESSAGES_OVERHEAD: Final = 3


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def _tool_calls(body: Mapping[str, Any], text: str) -> list[dict[str, Any]]:
    """The function calls the fake model makes, or [] when it answers in text."""
    tools = [t for t in body.get("tools") or () if t.get("type") == "function"]
    choice = body.get("tool_choice")
    messages = body["messages"]
    if not tools or choice == "none" or messages[-1].get("role") in ("tool", "function"):
        return []
    if isinstance(choice, dict):
        name = (choice.get("function") or {}).get("name")
        tools = [t for t in tools if t["function"]["name"] == name] or tools[:1]
    elif body.get("parallel_tool_calls") is False:
        tools = tools[:1]
    calls = []
    for index, tool in enumerate(tools):
        function = tool["function"]
        parameters = function.get("parameters")
        args = fill(parameters, text) if parameters else {}
        arguments = _dumps(args)
        calls.append(
            {
                "id": call_id(function["name"], arguments, index),
                "type": "function",
                "function": {"name": function["name"], "arguments": arguments},
            }
        )
    return calls


def _reply_text(replies: Mapping[str, str], body: Mapping[str, Any]) -> tuple[str, str]:
    """The reply (scripted, echoed or formatted) and its finish reason."""
    messages = body["messages"]
    last_user = next(
        (_text(m.get("content")) for m in reversed(messages) if m.get("role") == "user"), ""
    )
    scripted = replies.get(last_user)
    reply = scripted
    if reply is None:
        last = messages[-1]
        reply = _text(last.get("content")) if last.get("role") == "tool" else last_user
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_object":
        reply = _dumps({"reply": reply})
    elif response_format.get("type") == "json_schema":
        spec = response_format.get("json_schema") or {}
        reply = json_reply(spec.get("schema"), reply, scripted=scripted is not None)
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    if limit is not None and tokens(reply) > limit:
        return reply[: limit * 4], "length"
    return reply, "stop"


def completion(
    replies: Mapping[str, str], body: Mapping[str, Any], refusals: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The whole answer (choices and usage) before it is sent whole or streamed; a last user
    message found in ``refusals`` is refused with that text."""
    messages = body["messages"]
    last_user = next(
        (_text(m.get("content")) for m in reversed(messages) if m.get("role") == "user"), ""
    )
    n = body.get("n") or 1
    refusal = (refusals or {}).get(last_user)
    calls = [] if refusal is not None else _tool_calls(body, last_user)
    if refusal is not None:
        message: dict[str, Any] = {"role": "assistant", "content": None, "refusal": refusal}
        finish = "stop"
        output = refusal
    elif calls:
        message = {
            "role": "assistant",
            "content": None,
            "refusal": None,
            "tool_calls": calls,
        }
        finish = "tool_calls"
        output = "".join(c["function"]["name"] + c["function"]["arguments"] for c in calls)
    else:
        reply, finish = _reply_text(replies, body)
        message = {"role": "assistant", "content": reply, "refusal": None}
        output = reply
    prompt_tokens = _MESSAGES_OVERHEAD + sum(
        _MESSAGE_OVERHEAD + tokens(_text(m.get("content"))) for m in messages
    )
    completion_tokens = tokens(output) * n
    return {
        "id": f"chatcmpl-{os.urandom(12).hex()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body["model"],
        "choices": [
            {
                "index": i,
                "message": message,
                "logprobs": _logprobs(message) if body.get("logprobs") else None,
                "finish_reason": finish,
            }
            for i in range(n)
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
        "service_tier": "default",
        "system_fingerprint": _FINGERPRINT,
    }


def store_messages(completion_id: str, messages: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A stored completion's request messages, as ``chat.completions.messages.list`` shows
    them: ids ``<completion id>-<index>``; a list content's text joined in ``content`` and its
    text and image parts in ``content_parts``."""
    stored = []
    for index, message in enumerate(messages):
        content = message.get("content")
        parts = None
        if isinstance(content, list):
            parts = [p for p in content if p.get("type") in ("text", "image_url")]
            content = _text(content)
        record = {
            "id": f"{completion_id}-{index}",
            "role": message["role"],
            "content": content,
            "refusal": None,
            "name": message.get("name"),
            "content_parts": parts,
        }
        for key in ("tool_calls", "tool_call_id"):
            if message.get(key) is not None:
                record[key] = message[key]
        stored.append(record)
    return stored


def _pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _token(text: str) -> dict[str, Any]:
    """The log probability of one token (the fake's tokens are pieces of 4 characters)."""
    return {
        "token": text,
        "logprob": -round(len(text) / 10, 2),
        "bytes": list(text.encode()),
        "top_logprobs": [],
    }


def _logprobs(message: Mapping[str, Any], size: int = 4) -> dict[str, Any]:
    """A message's ``logprobs``: one token per piece of its content, or of its refusal."""
    content, refusal = message.get("content"), message.get("refusal")
    return {
        "content": None if content is None else [_token(p) for p in _pieces(content, size)],
        "refusal": None if refusal is None else [_token(p) for p in _pieces(refusal, size)],
    }


def chunks(
    answer: Mapping[str, Any], *, size: int, include_usage: bool
) -> Iterator[dict[str, Any]]:
    """The chunks that stream ``answer`` (a whole chat completion), as OpenAI sends them; with
    log probabilities asked for, each piece of content (or refusal) is one token."""
    base: dict[str, Any] = {
        "id": answer["id"],
        "object": "chat.completion.chunk",
        "created": answer["created"],
        "model": answer["model"],
        "service_tier": answer["service_tier"],
        "system_fingerprint": answer["system_fingerprint"],
    }
    if include_usage:
        base["usage"] = None

    def chunk(
        index: int,
        delta: dict[str, Any],
        finish: str | None = None,
        logprobs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        choice = {"index": index, "delta": delta, "logprobs": logprobs, "finish_reason": finish}
        return {**base, "choices": [choice]}

    for choice in answer["choices"]:
        index, message = choice["index"], choice["message"]
        with_logprobs = choice.get("logprobs") is not None
        calls = message.get("tool_calls")
        if calls:
            yield chunk(index, {"role": "assistant", "content": None, "refusal": None})
            for k, call in enumerate(calls):
                function = call["function"]
                head = {
                    "index": k,
                    "id": call["id"],
                    "type": "function",
                    "function": {"name": function["name"], "arguments": ""},
                }
                yield chunk(index, {"tool_calls": [head]})
                for piece in _pieces(function["arguments"], size):
                    yield chunk(
                        index, {"tool_calls": [{"index": k, "function": {"arguments": piece}}]}
                    )
        elif message.get("refusal") is not None:
            yield chunk(index, {"role": "assistant", "content": None, "refusal": ""})
            for piece in _pieces(message["refusal"], size):
                logprobs = {"content": None, "refusal": [_token(piece)]} if with_logprobs else None
                yield chunk(index, {"refusal": piece}, logprobs=logprobs)
        else:
            yield chunk(index, {"role": "assistant", "content": "", "refusal": None})
            for piece in _pieces(message["content"], size):
                logprobs = {"content": [_token(piece)], "refusal": None} if with_logprobs else None
                yield chunk(index, {"content": piece}, logprobs=logprobs)
        yield chunk(index, {}, choice["finish_reason"])
    if include_usage:
        yield {**base, "choices": [], "usage": answer["usage"]}


def native_dimensions(model: str) -> int:
    """The length of a model's embeddings."""
    return 3072 if model in _LARGE_MODELS else 1536


def vector(model: str, item: str | list[int], dimensions: int | None = None) -> list[float]:
    """The fake's embedding of ``item``: a unit vector of float32 values from a hash."""
    seed = hashlib.sha256(f"{model}\0{_dumps(item)}".encode()).digest()
    rng = random.Random(int.from_bytes(seed[:8], "little"))
    values = [rng.uniform(-1.0, 1.0) for _ in range(native_dimensions(model))]
    if dimensions is not None:
        values = values[:dimensions]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return array("f", [v / norm for v in values]).tolist()


def encode(values: list[float]) -> str:
    """Float32 values as base64 of their little-endian bytes (OpenAI's base64 format)."""
    packed = array("f", values)
    if sys.byteorder == "big":
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode()
