"""Metering: every model call the fake answers is recorded in the admin state's usage.

The middleware runs around the routes: for a 2xx answer to a metered path it reads the
answer's ``usage`` (tokens), or what the call made (images, characters of speech, seconds
transcribed), the model, and the project and key the call is charged to
(:meth:`AdminState.attribution`), and records them. A streamed answer is metered as one
request of its model, without tokens (its usage is in events the middleware does not read).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from aio_openai.testing._admin.state import AdminState
from aio_openai.testing._http import bearer_key

__all__ = ["metering"]

#: The metered paths and their usage kinds.
_KINDS: Final = {
    "/v1/chat/completions": "completions",
    "/v1/completions": "completions",
    "/v1/responses": "completions",
    "/v1/embeddings": "embeddings",
    "/v1/moderations": "moderations",
    "/v1/images/generations": "images",
    "/v1/images/edits": "images",
    "/v1/images/variations": "images",
    "/v1/audio/speech": "audio_speeches",
    "/v1/audio/transcriptions": "audio_transcriptions",
    "/v1/audio/translations": "audio_transcriptions",
}


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _tokens(usage: Mapping[str, Any]) -> dict[str, int]:
    """A completion's or a response's usage as the usage API counts it."""
    if "input_tokens" in usage or "output_tokens" in usage:  # the Responses API
        details = usage.get("input_tokens_details") or {}
        return {
            "input_tokens": _int(usage.get("input_tokens")),
            "output_tokens": _int(usage.get("output_tokens")),
            "input_cached_tokens": _int(details.get("cached_tokens")),
        }
    details = usage.get("prompt_tokens_details") or {}
    return {
        "input_tokens": _int(usage.get("prompt_tokens")),
        "output_tokens": _int(usage.get("completion_tokens")),
        "input_cached_tokens": _int(details.get("cached_tokens")),
        "input_audio_tokens": _int(details.get("audio_tokens")),
    }


def _numbers(kind: str, answer: Mapping[str, Any], sent: Mapping[str, Any]) -> dict[str, int]:
    usage = answer.get("usage")
    usage = usage if isinstance(usage, dict) else {}
    if kind == "completions":
        return _tokens(usage)
    if kind == "embeddings":
        return {"input_tokens": _int(usage.get("prompt_tokens"))}
    if kind == "images":
        data = answer.get("data")
        return {"images": len(data) if isinstance(data, list) else 0}
    if kind == "audio_speeches":
        text = sent.get("input")
        return {"characters": len(text) if isinstance(text, str) else 0}
    if kind == "audio_transcriptions":
        duration = answer.get("duration", usage.get("seconds"))
        return {"seconds": round(duration) if isinstance(duration, int | float) else 0}
    return {}


async def _sent(request: web.Request) -> dict[str, Any]:
    """The request's JSON body (read already by the route: aiohttp keeps it), or {}."""
    if request.content_type != "application/json":
        return {}
    try:
        body = json.loads(await request.read())
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def metering(admin: AdminState) -> Middleware:
    """The middleware recording each metered call the fake answers in ``admin``."""

    @web.middleware
    async def meter(request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        kind = _KINDS.get(request.path) if request.method == "POST" else None
        if kind is None or not 200 <= response.status < 300:
            return response
        sent = await _sent(request)
        answer: dict[str, Any] = {}
        if isinstance(response, web.Response) and response.content_type == "application/json":
            body = response.body
            if isinstance(body, bytes):
                parsed = json.loads(body)
                answer = parsed if isinstance(parsed, dict) else {}
        model = answer.get("model") or sent.get("model")
        if kind == "moderations" and not model:
            model = "omni-moderation-latest"
        project, key_id = admin.attribution(
            bearer_key(request), request.headers.get("OpenAI-Project")
        )
        size = sent.get("size")
        admin.meter(
            kind,
            model=model if isinstance(model, str) else None,
            project_id=project,
            api_key_id=key_id,
            numbers=_numbers(kind, answer, sent),
            size=size if isinstance(size, str) else None,
        )
        return response

    return meter
