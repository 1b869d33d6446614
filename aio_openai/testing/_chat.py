"""Chat completions and embeddings of the fake server: deterministic answers with ``usage``.

Reached as ``fake.state.chat`` (a :class:`ChatState`):

- The reply to a conversation is scripted (``fake.state.chat.replies[prompt] = reply``, keyed
  by the last user message) or else an echo of the last user message; after a ``tool``
  message, the tool's output is echoed. ``n`` choices all get the reply;
  ``max_tokens``/``max_completion_tokens`` cut it short (``finish_reason`` "length").
- With function ``tools`` (and ``tool_choice`` not "none"), the model calls them instead: the
  named one, else every function (the first only with ``parallel_tool_calls=False``), with
  arguments made from the function's JSON schema and the last user message (see
  :mod:`._arguments`: ``"What's the weather in Lisbon?"`` gives ``{"city": "Lisbon"}``) and
  ids derived from them.
- ``response_format`` ``json_object`` makes the reply ``{"reply": "..."}``; ``json_schema`` an
  object made from the schema as for tool arguments.
- ``stream=True`` answers with server-sent events, ``data: {chunk}`` frames of ``chunk_size``
  characters (tool call arguments too) and ``data: [DONE]``; with
  ``stream_options={"include_usage": true}`` every chunk has ``"usage": null`` and a last chunk
  with no choices carries the usage. ``line_end`` sets the frames' line ends.
- Embeddings are deterministic unit vectors made from a hash of the model and the input, as
  float32 values (so ``"float"`` and ``"base64"`` answers are exactly the same numbers); a
  ``dimensions`` answer is the full vector cut short and normalized again, as OpenAI does.

Token counts follow the documented estimate (characters / 4, at least 1; a token list counts
its length); a chat prompt also counts 3 tokens per message and 3 more, as OpenAI's chat format
does (so a client's estimate from the characters alone differs, as against the real API).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import random
import sys
import threading
import time
from array import array
from collections.abc import Iterator, Mapping
from typing import Any, Final

from aiohttp import web

from aio_openai.testing._arguments import fill
from aio_openai.testing._sse import frame, send_events

__all__ = ["CHAT_REPLIES_KEY", "ChatState", "add_chat_routes"]

CHAT_REPLIES_KEY = web.AppKey("aio_openai_fake_chat_replies", dict)

_ROLES: Final = ("system", "developer", "user", "assistant", "tool", "function")
_TOOL_CHOICES: Final = ("none", "auto", "required")
_RESPONSE_FORMATS: Final = ("text", "json_object", "json_schema")
_LARGE_MODELS: Final = ("text-embedding-3-large",)
_NO_DIMENSIONS: Final = ("text-embedding-ada-002",)
_FINGERPRINT: Final = "fp_fake"
_LINE_ENDS: Final = ("\n", "\r\n", "\r")
#: Tokens OpenAI's chat format adds: per message, and once for the reply's priming.
_MESSAGE_OVERHEAD: Final = 3
_MESSAGES_OVERHEAD: Final = 3


class ChatState:
    """What the fake's chat completions and embeddings answer (``fake.state.chat``).

    ``replies`` maps a last user message to the reply; ``chunk_size`` is the characters of
    content a streamed chunk carries (4 by default); ``line_end`` the line end of the
    streamed frames (``"\\n"``, ``"\\r\\n"`` or ``"\\r"``). Safe to change from any thread.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.replies: dict[str, str] = {}
        self.chunk_size = 4
        self.line_end = "\n"

    def configure(self, *, chunk_size: int | None = None, line_end: str | None = None) -> None:
        """Set the streamed chunks' size (characters, >= 1) and their frames' line end."""
        if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
            raise ValueError(f"chunk_size must be an int >= 1, got {chunk_size!r}")
        if line_end is not None and line_end not in _LINE_ENDS:
            raise ValueError(f"line_end must be one of {_LINE_ENDS!r}, got {line_end!r}")
        with self._lock:
            if chunk_size is not None:
                self.chunk_size = chunk_size
            if line_end is not None:
                self.line_end = line_end


class _BadRequest(Exception):
    def __init__(self, message: str, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.code = code


def _tokens(text: str) -> int:
    return max(1, (len(text) + 3) // 4)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def _bad_request(message: str, param: str | None, code: str | None = None) -> web.Response:
    body = {
        "error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}
    }
    return web.Response(status=400, body=json.dumps(body).encode(), content_type="application/json")


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


async def _json_object(request: web.Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.read())
    except ValueError:
        raise _BadRequest("We could not parse the JSON body of your request.") from None
    if not isinstance(body, dict):
        raise _BadRequest("The request body must be a JSON object.")
    return body


def _model(body: Mapping[str, Any]) -> str:
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise _BadRequest("you must provide a model parameter", "model")
    return model


def _int_param(body: Mapping[str, Any], key: str, low: int, high: int | None = None) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _BadRequest(f"Invalid type for '{key}': expected an integer.", key, "invalid_type")
    if value < low or (high is not None and value > high):
        bound = f">= {low}" if high is None else f"between {low} and {high}"
        raise _BadRequest(f"Invalid '{key}': expected a value {bound}, got {value}.", key)
    return value


# -- chat completions -------------------------------------------------------------------------


def _check_chat(body: Mapping[str, Any]) -> None:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _BadRequest("[] is too short - 'messages'", "messages")
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in _ROLES:
            raise _BadRequest(
                f"Invalid value for 'messages[{i}].role': expected one of {', '.join(_ROLES)}.",
                f"messages[{i}].role",
            )
    _int_param(body, "n", 1, 128)
    _int_param(body, "max_tokens", 1)
    _int_param(body, "max_completion_tokens", 1)
    stream = body.get("stream")
    if stream is not None and not isinstance(stream, bool):
        raise _BadRequest("Invalid type for 'stream': expected a boolean.", "stream")
    options = body.get("stream_options")
    if options is not None:
        if not stream:
            raise _BadRequest(
                "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                "stream_options",
            )
        if not isinstance(options, dict):
            raise _BadRequest("Invalid type for 'stream_options': expected an object.")
    response_format = body.get("response_format")
    if response_format is not None and (
        not isinstance(response_format, dict)
        or response_format.get("type") not in _RESPONSE_FORMATS
    ):
        raise _BadRequest(
            "Invalid 'response_format': its type must be text, json_object or json_schema.",
            "response_format",
        )
    tools = body.get("tools")
    if tools is not None:
        if not isinstance(tools, list):
            raise _BadRequest("Invalid type for 'tools': expected an array.", "tools")
        for i, tool in enumerate(tools):
            if not isinstance(tool, dict) or tool.get("type") not in ("function", "custom"):
                raise _BadRequest(f"Invalid 'tools[{i}]': unknown tool type.", f"tools[{i}].type")
            spec = tool.get(tool["type"])
            if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
                raise _BadRequest(
                    f"Missing required parameter: 'tools[{i}].{tool['type']}.name'.",
                    f"tools[{i}].{tool['type']}.name",
                    "missing_required_parameter",
                )
    choice = body.get("tool_choice")
    if choice is not None and not isinstance(choice, dict) and choice not in _TOOL_CHOICES:
        raise _BadRequest(
            f"Invalid value: '{choice}'. Supported values are: 'none', 'auto' and 'required'.",
            "tool_choice",
        )


def _call_id(name: str, arguments: str, index: int) -> str:
    digest = hashlib.sha256(f"{name}\0{arguments}\0{index}".encode()).hexdigest()
    return f"call_{digest[:24]}"


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
                "id": _call_id(function["name"], arguments, index),
                "type": "function",
                "function": {"name": function["name"], "arguments": arguments},
            }
        )
    return calls


def _reply_text(state: ChatState, body: Mapping[str, Any]) -> tuple[str, str]:
    """The reply (scripted, echoed or formatted) and its finish reason."""
    messages = body["messages"]
    last_user = next(
        (_text(m.get("content")) for m in reversed(messages) if m.get("role") == "user"), ""
    )
    reply = state.replies.get(last_user)
    if reply is None:
        last = messages[-1]
        reply = _text(last.get("content")) if last.get("role") == "tool" else last_user
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_object":
        reply = _dumps({"reply": reply})
    elif response_format.get("type") == "json_schema":
        spec = response_format.get("json_schema") or {}
        reply = _dumps(fill(spec.get("schema") or {"type": "object"}, reply))
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    if limit is not None and _tokens(reply) > limit:
        return reply[: limit * 4], "length"
    return reply, "stop"


def _completion(state: ChatState, body: Mapping[str, Any]) -> dict[str, Any]:
    """The whole answer (choices and usage) before it is sent whole or streamed."""
    messages = body["messages"]
    last_user = next(
        (_text(m.get("content")) for m in reversed(messages) if m.get("role") == "user"), ""
    )
    n = body.get("n") or 1
    calls = _tool_calls(body, last_user)
    if calls:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": None,
            "refusal": None,
            "tool_calls": calls,
        }
        finish = "tool_calls"
        output = "".join(c["function"]["name"] + c["function"]["arguments"] for c in calls)
    else:
        reply, finish = _reply_text(state, body)
        message = {"role": "assistant", "content": reply, "refusal": None}
        output = reply
    prompt_tokens = _MESSAGES_OVERHEAD + sum(
        _MESSAGE_OVERHEAD + _tokens(_text(m.get("content"))) for m in messages
    )
    completion_tokens = _tokens(output) * n
    return {
        "id": f"chatcmpl-{os.urandom(12).hex()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body["model"],
        "choices": [
            {"index": i, "message": message, "logprobs": None, "finish_reason": finish}
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


def _pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def chunks(
    answer: Mapping[str, Any], *, size: int, include_usage: bool
) -> Iterator[dict[str, Any]]:
    """The chunks that stream ``answer`` (a whole chat completion), as OpenAI sends them."""
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

    def chunk(index: int, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        choice = {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}
        return {**base, "choices": [choice]}

    for choice in answer["choices"]:
        index, message = choice["index"], choice["message"]
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
        else:
            yield chunk(index, {"role": "assistant", "content": "", "refusal": None})
            for piece in _pieces(message["content"], size):
                yield chunk(index, {"content": piece})
        yield chunk(index, {}, choice["finish_reason"])
    if include_usage:
        yield {**base, "choices": [], "usage": answer["usage"]}


def _chat_handler(state: ChatState) -> Any:
    async def create(request: web.Request) -> web.StreamResponse:
        try:
            body = await _json_object(request)
            _model(body)
            _check_chat(body)
        except _BadRequest as exc:
            return _bad_request(exc.message, exc.param, exc.code)
        answer = _completion(state, body)
        if not body.get("stream"):
            return web.Response(body=_dumps(answer).encode(), content_type="application/json")
        options = body.get("stream_options") or {}
        with state._lock:
            size, line_end = state.chunk_size, state.line_end
        frames = [
            frame(c, line_end=line_end)
            for c in chunks(answer, size=size, include_usage=bool(options.get("include_usage")))
        ]
        frames.append(frame("[DONE]", line_end=line_end))
        return await send_events(request, frames)

    return create


# -- embeddings -------------------------------------------------------------------------------


def _inputs(body: Mapping[str, Any]) -> list[str | list[int]]:
    value = body.get("input")
    if value is None:
        raise _BadRequest(
            "Missing required parameter: 'input'.", "input", "missing_required_parameter"
        )
    if isinstance(value, str):
        items: list[Any] = [value]
    elif isinstance(value, list) and value and all(isinstance(v, int) for v in value):
        items = [value]
    elif isinstance(value, list) and value:
        items = value
    else:
        raise _BadRequest("'$.input' is invalid. Please check the API reference.", "input")
    for item in items:
        if isinstance(item, str) and item:
            continue
        if isinstance(item, list) and item and all(isinstance(v, int) for v in item):
            continue
        raise _BadRequest("'$.input' is invalid. Please check the API reference.", "input")
    return items


def _native_dimensions(model: str) -> int:
    return 3072 if model in _LARGE_MODELS else 1536


def vector(model: str, item: str | list[int], dimensions: int | None = None) -> list[float]:
    """The fake's embedding of ``item``: a unit vector of float32 values from a hash."""
    seed = hashlib.sha256(f"{model}\0{_dumps(item)}".encode()).digest()
    rng = random.Random(int.from_bytes(seed[:8], "little"))
    values = [rng.uniform(-1.0, 1.0) for _ in range(_native_dimensions(model))]
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


def _embeddings_handler() -> Any:
    async def create(request: web.Request) -> web.StreamResponse:
        try:
            body = await _json_object(request)
            model = _model(body)
            items = _inputs(body)
            encoding = body.get("encoding_format", "float")
            if encoding not in ("float", "base64"):
                raise _BadRequest(
                    f"Invalid value: '{encoding}'. Supported values are: 'float' and 'base64'.",
                    "encoding_format",
                )
            dimensions = _int_param(body, "dimensions", 1, _native_dimensions(model))
            if dimensions is not None and model in _NO_DIMENSIONS:
                raise _BadRequest(
                    "This model does not support specifying dimensions.", "dimensions"
                )
        except _BadRequest as exc:
            return _bad_request(exc.message, exc.param, exc.code)
        data = []
        for index, item in enumerate(items):
            values = vector(model, item, dimensions)
            embedding: list[float] | str = encode(values) if encoding == "base64" else values
            data.append({"object": "embedding", "index": index, "embedding": embedding})
        tokens = sum(_tokens(i) if isinstance(i, str) else len(i) for i in items)
        answer = {
            "object": "list",
            "data": data,
            "model": model,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }
        return web.Response(body=_dumps(answer).encode(), content_type="application/json")

    return create


def add_chat_routes(app: web.Application, state: ChatState | None = None) -> None:
    """Register ``POST /v1/chat/completions`` and ``POST /v1/embeddings`` serving ``state``.

    The replies are also kept in ``app[CHAT_REPLIES_KEY]`` (the same dict as
    ``state.replies``).
    """
    state = state if state is not None else ChatState()
    app[CHAT_REPLIES_KEY] = state.replies
    app.router.add_post("/v1/chat/completions", _chat_handler(state))
    app.router.add_post("/v1/embeddings", _embeddings_handler())
