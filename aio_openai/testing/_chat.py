"""Chat completions of the fake server: deterministic replies with ``usage``.

The reply to a conversation is scripted (``fake.chat_replies[prompt] = reply``, keyed by the
last user message) or else an echo of the last user message. Token counts follow the
documented estimate (characters / 4, at least 1).
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from aiohttp import web

__all__ = ["CHAT_REPLIES_KEY", "add_chat_routes"]

CHAT_REPLIES_KEY = web.AppKey("aio_openai_fake_chat_replies", dict)


def _tokens(text: str) -> int:
    return max(1, (len(text) + 3) // 4)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def _bad_request(message: str, param: str | None) -> web.Response:
    body = {
        "error": {"message": message, "type": "invalid_request_error", "param": param, "code": None}
    }
    return web.Response(status=400, body=json.dumps(body).encode(), content_type="application/json")


async def _create(request: web.Request) -> web.StreamResponse:
    try:
        body = json.loads(await request.read())
    except ValueError:
        return _bad_request("We could not parse the JSON body of your request.", None)
    if not isinstance(body, dict):
        return _bad_request("The request body must be a JSON object.", None)
    model = body.get("model")
    if not isinstance(model, str) or not model:
        return _bad_request("you must provide a model parameter", "model")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return _bad_request("[] is too short - 'messages'", "messages")
    prompt = "".join(_text(m.get("content")) for m in messages if isinstance(m, dict))
    last_user = next(
        (
            _text(m.get("content"))
            for m in reversed(messages)
            if isinstance(m, dict) and m.get("role") == "user"
        ),
        "",
    )
    replies: dict[str, str] = request.app[CHAT_REPLIES_KEY]
    reply = replies.get(last_user, last_user)
    requested_n = body.get("n")
    n = requested_n if isinstance(requested_n, int) and requested_n > 0 else 1
    choices = [
        {
            "index": i,
            "message": {"role": "assistant", "content": reply, "refusal": None},
            "logprobs": None,
            "finish_reason": "stop",
        }
        for i in range(n)
    ]
    prompt_tokens = _tokens(prompt)
    completion_tokens = _tokens(reply) * n
    answer = {
        "id": f"chatcmpl-{os.urandom(12).hex()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": choices,
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
        "system_fingerprint": "fp_fake",
    }
    return web.Response(body=json.dumps(answer).encode(), content_type="application/json")


def add_chat_routes(app: web.Application) -> None:
    """Register ``POST /v1/chat/completions`` (replies kept in ``app[CHAT_REPLIES_KEY]``)."""
    app[CHAT_REPLIES_KEY] = {}
    app.router.add_post("/v1/chat/completions", _create)
