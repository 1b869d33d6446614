"""The records the fake Assistants API stores: assistants, threads, messages, runs, steps.

Each constructor makes a record in OpenAI's v2 shape from a checked body (the v1 shape is
rendered from it, see :mod:`.render`); ids have OpenAI's prefixes and 24 random letters and
digits.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any, Final

from aio_openai.testing._fake_model import tokens
from aio_openai.testing._shapes import new_id

__all__ = [
    "RUN_EXPIRES_AFTER",
    "message_text",
    "new_assistant",
    "new_id",
    "new_message",
    "new_run",
    "new_step",
    "new_thread",
    "run_usage",
]

#: Seconds from a run's creation to its ``expires_at``.
RUN_EXPIRES_AFTER: Final = 600


def new_assistant(body: Mapping[str, Any]) -> dict[str, Any]:
    """An assistant from a checked create body."""
    record: dict[str, Any] = {
        "id": new_id("asst_"),
        "object": "assistant",
        "created_at": int(time.time()),
        "name": body.get("name"),
        "description": body.get("description"),
        "model": body["model"],
        "instructions": body.get("instructions"),
        "tools": list(body.get("tools") or []),
        "metadata": body.get("metadata") or {},
        "top_p": 1.0 if body.get("top_p") is None else body["top_p"],
        "temperature": 1.0 if body.get("temperature") is None else body["temperature"],
        "response_format": body.get("response_format") or "auto",
        "tool_resources": body.get("tool_resources"),
        "file_ids": list(body.get("file_ids") or []),
    }
    if body.get("reasoning_effort") is not None:
        record["reasoning_effort"] = body["reasoning_effort"]
    return record


def new_thread(body: Mapping[str, Any]) -> dict[str, Any]:
    """A thread (without its messages) from a checked create body."""
    return {
        "id": new_id("thread_"),
        "object": "thread",
        "created_at": int(time.time()),
        "metadata": body.get("metadata") or {},
        "tool_resources": body.get("tool_resources"),
    }


def _text_block(text: str) -> dict[str, Any]:
    return {"type": "text", "text": {"value": text, "annotations": []}}


def _content_blocks(content: Any) -> list[dict[str, Any]]:
    if isinstance(content, str):
        return [_text_block(content)]
    blocks = []
    for part in content:
        if part.get("type") == "text":
            blocks.append(_text_block(str(part.get("text", ""))))
        else:
            blocks.append(dict(part))
    return blocks


def new_message(
    thread_id: str, body: Mapping[str, Any], *, run: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A message of a thread from a checked body; ``run``: the run that wrote it."""
    now = int(time.time())
    return {
        "id": new_id("msg_"),
        "object": "thread.message",
        "created_at": now,
        "thread_id": thread_id,
        "status": "completed",
        "incomplete_details": None,
        "completed_at": now if run is not None else None,
        "incomplete_at": None,
        "role": body["role"],
        "content": _content_blocks(body["content"]),
        "assistant_id": None if run is None else run["assistant_id"],
        "run_id": None if run is None else run["id"],
        "attachments": body.get("attachments"),
        "file_ids": list(body.get("file_ids") or []),
        "metadata": body.get("metadata") or {},
    }


def message_text(message: Mapping[str, Any]) -> str:
    """The text of a message's text blocks."""
    return "".join(
        block["text"]["value"] for block in message["content"] if block.get("type") == "text"
    )


def new_run(
    thread_id: str, assistant: Mapping[str, Any], body: Mapping[str, Any]
) -> dict[str, Any]:
    """A ``queued`` run of ``assistant`` on a thread, from a checked body."""
    now = int(time.time())
    instructions = body.get("instructions")
    if instructions is None:
        instructions = assistant.get("instructions") or ""
    if body.get("additional_instructions"):
        instructions = f"{instructions}\n{body['additional_instructions']}".strip()

    def pick(key: str, default: Any) -> Any:
        value = body.get(key)
        if value is None:
            value = assistant.get(key)
        return default if value is None else value

    tools = body.get("tools")
    record: dict[str, Any] = {
        "id": new_id("run_"),
        "object": "thread.run",
        "created_at": now,
        "assistant_id": assistant["id"],
        "thread_id": thread_id,
        "status": "queued",
        "started_at": None,
        "expires_at": now + RUN_EXPIRES_AFTER,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "required_action": None,
        "last_error": None,
        "model": body.get("model") or assistant["model"],
        "instructions": instructions,
        "tools": list(assistant["tools"] if tools is None else tools),
        "file_ids": list(assistant.get("file_ids") or []),
        "metadata": body.get("metadata") or {},
        "incomplete_details": None,
        "usage": None,
        "temperature": pick("temperature", 1.0),
        "top_p": pick("top_p", 1.0),
        "max_prompt_tokens": body.get("max_prompt_tokens"),
        "max_completion_tokens": body.get("max_completion_tokens"),
        "truncation_strategy": body.get("truncation_strategy")
        or {"type": "auto", "last_messages": None},
        "response_format": pick("response_format", "auto"),
        "tool_choice": body.get("tool_choice") or "auto",
        "parallel_tool_calls": body.get("parallel_tool_calls", True) is not False,
    }
    if body.get("reasoning_effort") is not None:
        record["reasoning_effort"] = body["reasoning_effort"]
    return record


def new_step(
    run: Mapping[str, Any],
    details: dict[str, Any],
    *,
    status: str,
    completed_at: int | None = None,
    usage: dict[str, int] | None = None,
) -> dict[str, Any]:
    """A step of ``run`` with its ``step_details``."""
    return {
        "id": new_id("step_"),
        "object": "thread.run.step",
        "created_at": int(time.time()),
        "run_id": run["id"],
        "assistant_id": run["assistant_id"],
        "thread_id": run["thread_id"],
        "type": details["type"],
        "status": status,
        "cancelled_at": None,
        "completed_at": completed_at,
        "expired_at": None,
        "failed_at": None,
        "last_error": None,
        "step_details": details,
        "usage": usage,
        "metadata": {},
    }


def run_usage(
    instructions: str, messages: Iterable[Mapping[str, Any]], output: str
) -> dict[str, int]:
    """A run's usage: the instructions and the thread's messages in, ``output`` out."""
    prompt = instructions + "".join(message_text(m) for m in messages)
    prompt_tokens, completion_tokens = tokens(prompt), tokens(output)
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }
