"""What the fake Realtime model answers to ``response.create``, as the events the service sends.

The model reads the conversation (or the response's own ``input``): after a
``function_call_output`` item it answers in words with the outputs; else, with function tools
(the response's, else the session's) and ``tool_choice`` not ``"none"``, it calls them (the
named one, else each), with arguments made from each function's JSON schema and the last user
text (:func:`._arguments.fill`) and a ``call_id`` derived from them; else its reply is
scripted (``replies[last user text]``) or an echo of the last user text.

The events, in the order the service sends them: ``response.created``; per output item
``response.output_item.added``; for a message ``response.content_part.added``, then as text
``response.output_text.delta`` (``chunk_size`` characters each) and
``response.output_text.done``, or as audio ``response.output_audio_transcript.delta`` and
``response.output_audio.delta`` (base64 of the PCM samples of the fake's WAV, 100 ms each),
``response.output_audio.done`` and ``response.output_audio_transcript.done``; then
``response.content_part.done``; for a function call ``response.function_call_arguments.delta``
and ``.done``; ``response.output_item.done``; and ``response.done`` with every item and the
usage. The beta protocol (``OpenAI-Beta: realtime=v1``) has the same events under its own
names (``response.text.delta``, ``response.audio.delta``, ...) and content types.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping
from typing import Any, Final

import attrs

from aio_openai.testing._arguments import fill
from aio_openai.testing._audio.wav import RATE, pcm
from aio_openai.testing._fake_model import DEFAULT_REPLY, call_id, tokens
from aio_openai.testing._ws import new_event_id

__all__ = ["Reply", "ResponseRequest", "item_text", "new_id", "respond"]

#: Bytes of PCM per audio delta: 100 ms of 16-bit mono at RATE.
_AUDIO_CHUNK: Final = RATE // 10 * 2

#: The beta protocol's names of the GA events that differ.
_BETA_NAMES: Final = {
    "response.output_text.delta": "response.text.delta",
    "response.output_text.done": "response.text.done",
    "response.output_audio.delta": "response.audio.delta",
    "response.output_audio.done": "response.audio.done",
    "response.output_audio_transcript.delta": "response.audio_transcript.delta",
    "response.output_audio_transcript.done": "response.audio_transcript.done",
}


def new_id(prefix: str) -> str:
    """A fresh id: ``prefix`` and 22 hex digits."""
    return prefix + os.urandom(11).hex()


def item_text(item: Mapping[str, Any]) -> str:
    """The words of a conversation item (text parts, audio transcripts, a call's output)."""
    if item.get("type") == "function_call_output":
        output = item.get("output")
        return output if isinstance(output, str) else json.dumps(output)
    parts = []
    for part in item.get("content") or ():
        if isinstance(part, Mapping):
            text = part.get("text") if part.get("text") is not None else part.get("transcript")
            if isinstance(text, str):
                parts.append(text)
    return " ".join(parts)


@attrs.frozen(kw_only=True)
class ResponseRequest:
    """A checked ``response.create``: what the response is made from."""

    context: list[dict[str, Any]]
    modalities: list[str]
    tools: list[dict[str, Any]]
    tool_choice: Any
    conversation_id: str | None
    settings: Mapping[str, Any]  # the session's, with the response's own over them
    metadata: Any = None
    beta: bool = False


@attrs.frozen
class Reply:
    """The events of one response and the items it adds to the conversation."""

    events: list[dict[str, Any]]
    items: list[dict[str, Any]]


def _new_since_last_turn(context: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items after the model's last output (its message or function call)."""
    for index in range(len(context) - 1, -1, -1):
        item = context[index]
        if item.get("type") == "function_call" or item.get("role") == "assistant":
            return context[index + 1 :]
    return context


def _decide(
    request: ResponseRequest, replies: Mapping[str, str]
) -> tuple[str, list[tuple[str, str]]]:
    """The reply text, or the function calls ``(name, arguments)`` (with an empty text)."""
    context = request.context
    last_user = next(
        (item_text(i) for i in reversed(context) if i.get("role") == "user"),
        "",
    )
    outputs = [i for i in _new_since_last_turn(context) if i.get("type") == "function_call_output"]
    if outputs:
        return " ".join(item_text(i) for i in outputs), []
    functions = [t for t in request.tools if t.get("type") == "function"]
    choice = request.tool_choice
    if functions and choice != "none":
        if isinstance(choice, Mapping) and choice.get("type") == "function":
            functions = [t for t in functions if t.get("name") == choice.get("name")] or functions[
                :1
            ]
        calls = []
        for tool in functions:
            parameters = tool.get("parameters")
            value = fill(parameters, last_user) if parameters else {}
            calls.append((str(tool.get("name")), json.dumps(value, separators=(",", ":"))))
        return "", calls
    return replies.get(last_user, last_user or DEFAULT_REPLY), []


class _Events:
    """The events of one response, with their ids, under the protocol's names."""

    def __init__(self, response_id: str, beta: bool) -> None:
        self.response_id = response_id
        self.beta = beta
        self.events: list[dict[str, Any]] = []

    def emit(self, kind: str, **data: Any) -> None:
        name = _BETA_NAMES.get(kind, kind) if self.beta else kind
        self.events.append({"type": name, "event_id": new_event_id(), **data})

    def at(self, item: Mapping[str, Any], index: int, **data: Any) -> dict[str, Any]:
        """The fields locating an event in the response's ``index``-th item."""
        return {
            "response_id": self.response_id,
            "item_id": item["id"],
            "output_index": index,
            **data,
        }


def _message(events: _Events, index: int, text: str, audio: bool, chunk: int) -> dict[str, Any]:
    """The events of a message item; returns the item, done."""
    beta = events.beta
    if audio:
        kind = "audio" if beta else "output_audio"
        done_part: dict[str, Any] = {"type": kind, "transcript": text}
    else:
        kind = "text" if beta else "output_text"
        done_part = {"type": kind, "text": text}
    item: dict[str, Any] = {
        "id": new_id("item_"),
        "object": "realtime.item",
        "type": "message",
        "status": "in_progress",
        "role": "assistant",
        "content": [],
    }
    events.emit(
        "response.output_item.added",
        response_id=events.response_id,
        output_index=index,
        item=dict(item),
    )
    part = {"type": "audio", "transcript": ""} if audio else {"type": "text", "text": ""}
    events.emit("response.content_part.added", **events.at(item, index, content_index=0), part=part)
    pieces = [text[i : i + chunk] for i in range(0, len(text), chunk)]
    if audio:
        for piece in pieces:
            events.emit(
                "response.output_audio_transcript.delta",
                **events.at(item, index, content_index=0),
                delta=piece,
            )
        samples = pcm(text)  # the fake's speech (the Audio API's), as raw PCM
        for start in range(0, len(samples), _AUDIO_CHUNK):
            delta = base64.b64encode(samples[start : start + _AUDIO_CHUNK]).decode("ascii")
            events.emit(
                "response.output_audio.delta",
                **events.at(item, index, content_index=0),
                delta=delta,
            )
        events.emit("response.output_audio.done", **events.at(item, index, content_index=0))
        events.emit(
            "response.output_audio_transcript.done",
            **events.at(item, index, content_index=0),
            transcript=text,
        )
    else:
        for piece in pieces:
            events.emit(
                "response.output_text.delta", **events.at(item, index, content_index=0), delta=piece
            )
        events.emit(
            "response.output_text.done", **events.at(item, index, content_index=0), text=text
        )
    part = {"type": "audio", "transcript": text} if audio else {"type": "text", "text": text}
    events.emit("response.content_part.done", **events.at(item, index, content_index=0), part=part)
    done = {**item, "status": "completed", "content": [done_part]}
    events.emit(
        "response.output_item.done", response_id=events.response_id, output_index=index, item=done
    )
    return done


def _call(events: _Events, index: int, name: str, arguments: str, chunk: int) -> dict[str, Any]:
    """The events of a function call item; returns the item, done."""
    call = call_id(name, arguments, index)
    item: dict[str, Any] = {
        "id": new_id("item_"),
        "object": "realtime.item",
        "type": "function_call",
        "status": "in_progress",
        "name": name,
        "call_id": call,
        "arguments": "",
    }
    events.emit(
        "response.output_item.added",
        response_id=events.response_id,
        output_index=index,
        item=dict(item),
    )
    for start in range(0, len(arguments), chunk):
        events.emit(
            "response.function_call_arguments.delta",
            **events.at(item, index, call_id=call),
            delta=arguments[start : start + chunk],
        )
    events.emit(
        "response.function_call_arguments.done",
        **events.at(item, index, call_id=call, name=name),
        arguments=arguments,
    )
    done = {**item, "status": "completed", "arguments": arguments}
    events.emit(
        "response.output_item.done", response_id=events.response_id, output_index=index, item=done
    )
    return done


def _response(
    request: ResponseRequest,
    response_id: str,
    status: str,
    output: list[dict[str, Any]],
    usage: dict[str, Any] | None,
) -> dict[str, Any]:
    """The response object at ``status``."""
    settings = request.settings
    response: dict[str, Any] = {
        "object": "realtime.response",
        "id": response_id,
        "status": status,
        "status_details": None,
        "output": output,
        "conversation_id": request.conversation_id,
        "max_output_tokens": settings.get("max_output_tokens", "inf"),
        "usage": usage,
        "metadata": request.metadata,
    }
    if request.beta:
        response.update(
            modalities=request.modalities,
            voice=settings.get("voice"),
            output_audio_format=settings.get("output_audio_format"),
        )
    else:
        audio = settings.get("audio")
        output_audio = audio.get("output") if isinstance(audio, Mapping) else None
        response.update(output_modalities=request.modalities, audio={"output": output_audio or {}})
    return response


def _usage(request: ResponseRequest, output: list[dict[str, Any]], audio: bool) -> dict[str, Any]:
    said = "".join(item_text(i) for i in request.context)
    input_tokens = tokens(str(request.settings.get("instructions") or "") + said)
    written = "".join(item_text(i) or i.get("arguments", "") for i in output)
    output_tokens = tokens(written)
    audio_tokens = output_tokens if audio else 0
    return {
        "total_tokens": input_tokens + output_tokens + audio_tokens,
        "input_tokens": input_tokens,
        "output_tokens": output_tokens + audio_tokens,
        "input_token_details": {
            "text_tokens": input_tokens,
            "audio_tokens": 0,
            "image_tokens": 0,
            "cached_tokens": 0,
            "cached_tokens_details": {"text_tokens": 0, "audio_tokens": 0, "image_tokens": 0},
        },
        "output_token_details": {"text_tokens": output_tokens, "audio_tokens": audio_tokens},
    }


def respond(request: ResponseRequest, replies: Mapping[str, str], chunk_size: int) -> Reply:
    """The events of the response to ``request`` and the items it outputs."""
    response_id = new_id("resp_")
    events = _Events(response_id, request.beta)
    events.emit(
        "response.created", response=_response(request, response_id, "in_progress", [], None)
    )
    text, calls = _decide(request, replies)
    audio = "audio" in request.modalities
    output: list[dict[str, Any]] = []
    if calls:
        for name, arguments in calls:
            output.append(_call(events, len(output), name, arguments, chunk_size))
    else:
        output.append(_message(events, 0, text, audio and not calls, chunk_size))
    usage = _usage(request, output, audio and not calls)
    events.emit(
        "response.done", response=_response(request, response_id, "completed", output, usage)
    )
    return Reply(events.events, output)
