"""Items of the fake Responses and Conversations APIs: messages, function calls, outputs.

Input items are stored with an id (``msg_``, ``fc_``, ``fco_``, ``rs_``, ``cmp_``, else
``item_``, and 48 random hex digits) and a status; a message's string content becomes one
``input_text`` (or, from the assistant, ``output_text``) part. A ``compaction`` item's text is
the summary its ``encrypted_content`` seals (the fake's own compactions; others have none).
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from collections.abc import Mapping
from typing import Any, Final

__all__ = ["COMPACTION_PREFIX", "item_text", "message_item", "new_id", "stored_item"]

#: How the fake's compaction items' ``encrypted_content`` starts (its summary follows, sealed).
COMPACTION_PREFIX: Final = "fake-compaction:"

_ITEM_PREFIXES: Final = {
    "message": "msg_",
    "function_call": "fc_",
    "function_call_output": "fco_",
    "reasoning": "rs_",
    "compaction": "cmp_",
}


def new_id(prefix: str) -> str:
    """A fresh id: ``prefix`` and 48 random hex digits."""
    return prefix + secrets.token_hex(24)


def _part_text(part: Any) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, Mapping):
        for key in ("text", "refusal"):
            value = part.get(key)
            if isinstance(value, str):
                return value
    return ""


def _summary(sealed: Any) -> str:
    """The summary a compaction of the fake seals ("" for any other content)."""
    if not isinstance(sealed, str) or not sealed.startswith(COMPACTION_PREFIX):
        return ""
    try:
        opened = json.loads(base64.urlsafe_b64decode(sealed[len(COMPACTION_PREFIX) :]))
    except (binascii.Error, ValueError):
        return ""
    summary = opened.get("summary") if isinstance(opened, dict) else None
    return summary if isinstance(summary, str) else ""


def item_text(item: Mapping[str, Any]) -> str:
    """The text an item carries (a message's parts, a call's arguments, an output, a
    compaction's summary)."""
    kind = item.get("type")
    if kind == "compaction":
        return _summary(item.get("encrypted_content"))
    if kind == "function_call":
        return str(item.get("name", "")) + str(item.get("arguments", ""))
    if kind == "function_call_output":
        output = item.get("output")
        return output if isinstance(output, str) else "".join(map(_part_text, output or ()))
    content = item.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(_part_text(p) for p in content)
    return ""


def message_item(role: str, content: Any) -> dict[str, Any]:
    """A stored message: a string content becomes one ``input_text`` (or ``output_text``)."""
    if isinstance(content, str):
        kind = "output_text" if role == "assistant" else "input_text"
        part: dict[str, Any] = {"type": kind, "text": content}
        if kind == "output_text":
            part.update(annotations=[], logprobs=[])
        content = [part]
    return {
        "id": new_id("msg_"),
        "type": "message",
        "status": "completed",
        "role": role,
        "content": list(content),
    }


def stored_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """An input item as it is stored: with an id and a status."""
    kind = item.get("type")
    if kind in (None, "message") and "role" in item:
        stored = message_item(item["role"], item.get("content", ""))
        if item.get("id"):
            stored["id"] = item["id"]
        return stored
    stored = dict(item)
    stored.setdefault("id", new_id(_ITEM_PREFIXES.get(str(kind), "item_")))
    if kind in ("function_call", "function_call_output"):
        stored.setdefault("status", "completed")
    return stored
