"""The fake Responses model: a response for a checked body and the history it continues.

Its context is the new ``input`` after the history: after ``function_call_output`` input
items, it answers in text with their outputs; else, with function ``tools`` (and
``tool_choice`` not ``"none"``), it calls them (the named one, else every function, the first
only with ``parallel_tool_calls=False``), with arguments made from each function's JSON schema
and the last user text and ``call_id`` derived from them; else its reply is scripted
(``replies[last user text]``) or an echo of the last user text, made JSON fitting the schema
of a ``json_schema`` text format (a scripted reply that is JSON goes as it is); a last user
text found in ``refusals`` is refused. ``max_output_tokens`` cuts a reply short
(``incomplete``). ``usage`` counts the context and the output at characters / 4.

A compaction (:func:`compact`) keeps the user messages of a context and replaces the rest by
one ``compaction`` item whose ``encrypted_content`` carries the fake model's summary of it (a
quarter of its text); given back as input, that item counts as its summary.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping
from typing import Any

import attrs

from aio_openai.testing._arguments import fill, json_reply
from aio_openai.testing._checks import APIError
from aio_openai.testing._fake_model import DEFAULT_REPLY, call_id, tokens
from aio_openai.testing._responses.items import (
    COMPACTION_PREFIX,
    item_text,
    message_item,
    new_id,
    stored_item,
)

__all__ = ["Turn", "compact", "context", "conversation_id", "input_tokens", "respond", "unfinished"]


@attrs.frozen
class Turn:
    """A response made by :func:`respond`: its final record and the new input items."""

    final: dict[str, Any]
    new: list[dict[str, Any]]


def conversation_id(body: Mapping[str, Any]) -> str | None:
    """The id of a checked body's ``conversation`` (a string or ``{"id": ...}``), if any."""
    conversation = body.get("conversation")
    if isinstance(conversation, dict):
        return str(conversation["id"])
    return conversation if isinstance(conversation, str) else None


def _render_tool(tool: Mapping[str, Any]) -> dict[str, Any]:
    if tool.get("type") != "function":
        return dict(tool)
    return {
        "type": "function",
        "name": tool["name"],
        "description": tool.get("description"),
        "parameters": tool.get("parameters"),
        "strict": True if tool.get("strict") is None else tool["strict"],
    }


def unfinished(final: Mapping[str, Any], status: str) -> dict[str, Any]:
    """A response as it is before it is done: no output, no usage yet."""
    record = {**final, "status": status, "completed_at": None, "incomplete_details": None}
    record["output"] = []
    record.pop("usage", None)
    return record


def _output(
    body: Mapping[str, Any],
    context: list[dict[str, Any]],
    new: list[dict[str, Any]],
    replies: Mapping[str, str],
    refusals: Mapping[str, str],
) -> tuple[list[dict[str, Any]], str | None]:
    """The output items for a context, and the incomplete reason if cut short."""
    last_user = next(
        (
            item_text(i)
            for i in reversed(context)
            if i.get("type") == "message" and i.get("role") == "user"
        ),
        "",
    )
    outputs = [i for i in new if i.get("type") == "function_call_output"]
    tools = [t for t in body.get("tools") or () if t.get("type") == "function"]
    choice = body.get("tool_choice")
    refusal = refusals.get(last_user)
    if refusal is not None and not outputs:
        message = message_item("assistant", [{"type": "refusal", "refusal": refusal}])
        return [message], None
    if outputs:
        reply = " ".join(item_text(i) for i in outputs)
    elif tools and choice != "none":
        if isinstance(choice, dict) and choice.get("type") == "function":
            tools = [t for t in tools if t["name"] == choice.get("name")] or tools[:1]
        elif body.get("parallel_tool_calls") is False:
            tools = tools[:1]
        calls = []
        for index, tool in enumerate(tools):
            parameters = tool.get("parameters")
            arguments = json.dumps(
                fill(parameters, last_user) if parameters else {},
                separators=(",", ":"),
                ensure_ascii=False,
            )
            calls.append(
                {
                    "id": new_id("fc_"),
                    "type": "function_call",
                    "status": "completed",
                    "call_id": call_id(tool["name"], arguments, index),
                    "name": tool["name"],
                    "arguments": arguments,
                }
            )
        return calls, None
    else:
        reply = replies.get(last_user, last_user or DEFAULT_REPLY)
    form = (body.get("text") or {}).get("format") or {}
    if form.get("type") == "json_schema":
        reply = json_reply(form.get("schema"), reply, scripted=last_user in replies)
    elif form.get("type") == "json_object":
        reply = json.dumps({"reply": reply}, separators=(",", ":"), ensure_ascii=False)
    reason = None
    limit = body.get("max_output_tokens")
    if limit is not None and tokens(reply) > limit:
        reply, reason = reply[: limit * 4], "max_output_tokens"
    message = message_item("assistant", reply)
    if reason is not None:
        message["status"] = "incomplete"
    return [message], reason


def context(
    body: Mapping[str, Any], history: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The new input items of a checked body (as stored) and the whole context they make
    after ``history``; 400 for a duplicate item id."""
    raw = body.get("input")
    if raw is None:
        raw = []
    elif isinstance(raw, str):
        raw = [{"role": "user", "content": raw}]
    new = [stored_item(item) for item in raw]
    seen = {i["id"] for i in history}
    for item in new:
        if item["id"] in seen:
            raise APIError(400, f"Duplicate item found with id {item['id']}.", param="input")
        seen.add(item["id"])
    return new, [*history, *new]


def input_tokens(body: Mapping[str, Any], items: list[dict[str, Any]]) -> int:
    """The input tokens of a context: its instructions and items."""
    return tokens((body.get("instructions") or "") + "".join(item_text(i) for i in items))


def _usage(input_count: int, output_count: int) -> dict[str, Any]:
    return {
        "input_tokens": input_count,
        "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
        "output_tokens": output_count,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": input_count + output_count,
    }


def compact(body: Mapping[str, Any], history: list[dict[str, Any]]) -> dict[str, Any]:
    """The compacted response of a checked body continuing ``history``: the user messages,
    then one ``compaction`` item holding the summary of every other item."""
    _, items = context(body, history)
    kept = [i for i in items if i.get("type") == "message" and i.get("role") == "user"]
    rest = "".join(item_text(i) for i in items if i not in kept)
    summary = rest[: (len(rest) + 3) // 4]
    sealed = base64.urlsafe_b64encode(json.dumps({"summary": summary}).encode()).decode()
    compaction = {
        "id": new_id("cmp_"),
        "type": "compaction",
        "encrypted_content": COMPACTION_PREFIX + sealed,
    }
    return {
        "id": new_id("resp_"),
        "object": "response.compaction",
        "created_at": int(time.time()),
        "output": [*kept, compaction],
        "usage": _usage(input_tokens(body, items), tokens(summary)),
    }


def respond(
    body: Mapping[str, Any],
    history: list[dict[str, Any]],
    replies: Mapping[str, str],
    refusals: Mapping[str, str] | None = None,
) -> Turn:
    """The response to a checked body continuing ``history``; 400 for a duplicate item id."""
    new, items = context(body, history)
    output, reason = _output(body, items, new, replies, refusals or {})
    instructions = body.get("instructions")
    input_count = input_tokens(body, items)
    output_count = tokens("".join(item_text(i) for i in output))
    now = int(time.time())
    conversation = conversation_id(body)
    final: dict[str, Any] = {
        "id": new_id("resp_"),
        "object": "response",
        "created_at": now,
        "status": "incomplete" if reason else "completed",
        "background": bool(body.get("background")),
        "completed_at": None if reason else now,
        "conversation": None if conversation is None else {"id": conversation},
        "error": None,
        "incomplete_details": None if reason is None else {"reason": reason},
        "instructions": instructions,
        "max_output_tokens": body.get("max_output_tokens"),
        "max_tool_calls": body.get("max_tool_calls"),
        "metadata": body.get("metadata") or {},
        "model": body["model"],
        "output": output,
        "parallel_tool_calls": body.get("parallel_tool_calls") is not False,
        "previous_response_id": body.get("previous_response_id"),
        "reasoning": {"effort": None, "summary": None},
        "service_tier": "default",
        "store": body.get("store") is not False,
        "temperature": 1.0 if body.get("temperature") is None else body["temperature"],
        "text": body.get("text") or {"format": {"type": "text"}},
        "tool_choice": body.get("tool_choice") or "auto",
        "tools": [_render_tool(t) for t in body.get("tools") or ()],
        "top_p": 1.0 if body.get("top_p") is None else body["top_p"],
        "truncation": body.get("truncation") or "disabled",
        "usage": _usage(input_count, output_count),
    }
    for key in ("user", "prompt_cache_key", "prompt_cache_retention", "safety_identifier"):
        if body.get(key) is not None:
            final[key] = body[key]
    return Turn(final, new)
