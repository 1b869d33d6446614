"""The v1 and v2 shapes of the fake Assistants API's objects, rendered from the records.

Records are stored once (:mod:`.records`); each answer is rendered in the version its request
asked for: v1 objects carry ``file_ids`` and the ``retrieval`` tool, v2 objects
``tool_resources``/``attachments`` and ``file_search``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "render_assistant",
    "render_message",
    "render_run",
    "render_step",
    "render_thread",
    "render_tool_call",
]


def _tool_for(tool: Mapping[str, Any], version: str) -> dict[str, Any]:
    kind = tool.get("type")
    if version == "v1" and kind == "file_search":
        return {"type": "retrieval"}
    if version == "v2" and kind == "retrieval":
        return {"type": "file_search"}
    return dict(tool)


def _resources_file_ids(resources: Any) -> list[str]:
    if isinstance(resources, dict):
        code = resources.get("code_interpreter")
        if isinstance(code, dict) and isinstance(code.get("file_ids"), list):
            return list(code["file_ids"])
    return []


def _resources_for(record: Mapping[str, Any]) -> dict[str, Any]:
    resources = record.get("tool_resources")
    if resources is not None:
        return dict(resources)
    file_ids = record.get("file_ids") or []
    return {"code_interpreter": {"file_ids": list(file_ids)}} if file_ids else {}


def render_assistant(record: Mapping[str, Any], version: str) -> dict[str, Any]:
    """An assistant as ``version`` shows it."""
    out = {k: v for k, v in record.items() if k not in ("file_ids", "tool_resources")}
    out["tools"] = [_tool_for(t, version) for t in record["tools"]]
    if version == "v1":
        out.pop("reasoning_effort", None)
        out["file_ids"] = list(
            record.get("file_ids") or _resources_file_ids(record["tool_resources"])
        )
    else:
        out["tool_resources"] = _resources_for(record)
    return out


def render_thread(record: Mapping[str, Any], version: str) -> dict[str, Any]:
    """A thread as ``version`` shows it."""
    out = {k: v for k, v in record.items() if k != "tool_resources"}
    if version == "v2":
        out["tool_resources"] = _resources_for(record)
    return out


def render_message(record: Mapping[str, Any], version: str) -> dict[str, Any]:
    """A message as ``version`` shows it."""
    out = {k: v for k, v in record.items() if k not in ("file_ids", "attachments")}
    if version == "v1":
        file_ids = record.get("file_ids") or [
            a["file_id"]
            for a in record.get("attachments") or ()
            if isinstance(a, dict) and isinstance(a.get("file_id"), str)
        ]
        out["file_ids"] = list(file_ids)
    else:
        attachments = record.get("attachments")
        if attachments is None:
            attachments = [
                {"file_id": f, "tools": [{"type": "file_search"}]}
                for f in record.get("file_ids") or ()
            ]
        out["attachments"] = attachments
    return out


def render_run(record: Mapping[str, Any], version: str) -> dict[str, Any]:
    """A run as ``version`` shows it."""
    out = {k: v for k, v in record.items() if k not in ("file_ids", "parallel_tool_calls")}
    out["tools"] = [_tool_for(t, version) for t in record["tools"]]
    if version == "v1":
        out.pop("reasoning_effort", None)
        out["file_ids"] = list(record.get("file_ids") or ())
    else:
        out["parallel_tool_calls"] = record["parallel_tool_calls"]
    return out


def render_tool_call(call: Mapping[str, Any], version: str) -> dict[str, Any]:
    """A tool call of a step as ``version`` shows it: v1 calls a file search ``retrieval``."""
    if version == "v1" and call.get("type") == "file_search":
        return {"id": call["id"], "type": "retrieval", "retrieval": {}}
    return dict(call)


def render_step(record: Mapping[str, Any], version: str) -> dict[str, Any]:
    """A run step as ``version`` shows it (they differ in the name of a file search call)."""
    out = dict(record)
    details = record["step_details"]
    if details["type"] == "tool_calls":
        calls = [render_tool_call(call, version) for call in details["tool_calls"]]
        out["step_details"] = {**details, "tool_calls": calls}
    return out
