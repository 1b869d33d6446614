"""The server-sent events of a streamed run, as OpenAI sends them.

A streamed run is carried through at once (:meth:`.state.AssistantsState.settle_run`); its
events are told from what it became (:class:`SettledRun`): (``thread.created``,)
``thread.run.created``, ``thread.run.queued``, ``thread.run.in_progress``, then per step
``thread.run.step.created``, ``thread.run.step.in_progress``, for a message
``thread.message.created``, ``thread.message.in_progress``, ``thread.message.delta``
(``chunk_size`` characters each; a cited passage in one delta with its annotation),
``thread.message.completed``, for tool calls ``thread.run.step.delta`` (a call as it starts,
its arguments empty, then its arguments ``chunk_size`` characters at a time);
``thread.run.step.completed`` (unless the step still waits); the run's final event
(``thread.run.completed``, ``thread.run.requires_action``...) and ``done``. A run going on
after its tool outputs starts with the tool step's ``thread.run.step.completed`` and shows
only the steps after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aio_openai.testing._assistants.records import RUN_EXPIRES_AFTER
from aio_openai.testing._assistants.render import (
    render_message,
    render_run,
    render_step,
    render_thread,
    render_tool_call,
)
from aio_openai.testing._assistants.runs import SettledRun
from aio_openai.testing._sse import frame

__all__ = ["run_frames"]


def run_frames(settled: SettledRun, version: str, chunk_size: int) -> list[bytes]:
    """The frames of a settled run's events, in ``version``'s shapes, ending with ``done``."""
    final = settled.run
    after_step = settled.after_step
    events: list[tuple[str, Any]] = []
    if settled.thread is not None:
        events.append(("thread.created", render_thread(settled.thread, version)))
    queued = {
        **final,
        "status": "queued",
        "started_at": None,
        "completed_at": None,
        "required_action": None,
        "usage": None,
        "expires_at": final["created_at"] + RUN_EXPIRES_AFTER,
    }
    steps = settled.steps
    if after_step is None:
        events.append(("thread.run.created", render_run(queued, version)))
    else:
        events.append(("thread.run.step.completed", render_step(after_step, version)))
        queued["started_at"] = final["started_at"]
        steps = steps[[s["id"] for s in steps].index(after_step["id"]) + 1 :]
    events.append(("thread.run.queued", render_run(queued, version)))
    started = {**queued, "status": "in_progress", "started_at": final["started_at"]}
    events.append(("thread.run.in_progress", render_run(started, version)))
    for step in steps:
        early = {**step, "status": "in_progress", "completed_at": None, "usage": None}
        if step["type"] == "tool_calls":
            early["step_details"] = {"type": "tool_calls", "tool_calls": []}
        events.append(("thread.run.step.created", render_step(early, version)))
        events.append(("thread.run.step.in_progress", render_step(early, version)))
        if step["type"] == "message_creation":
            message_id = step["step_details"]["message_creation"]["message_id"]
            events.extend(_message_events(settled.messages[message_id], version, chunk_size))
        else:
            calls = step["step_details"]["tool_calls"]
            for piece in _tool_call_pieces(calls, version, chunk_size):
                step_delta = {"step_details": {"type": "tool_calls", "tool_calls": [piece]}}
                events.append(
                    (
                        "thread.run.step.delta",
                        {"id": step["id"], "object": "thread.run.step.delta", "delta": step_delta},
                    )
                )
        if step["status"] != "in_progress":
            events.append((f"thread.run.step.{step['status']}", render_step(step, version)))
    events.append((f"thread.run.{final['status']}", render_run(final, version)))
    frames = [frame(data, event=name) for name, data in events]
    frames.append(frame("[DONE]", event="done"))
    return frames


def _message_events(
    message: Mapping[str, Any], version: str, chunk_size: int
) -> list[tuple[str, Any]]:
    """The events of a message the run writes: created, in progress, deltas, completed."""
    writing = {**message, "status": "in_progress", "content": [], "completed_at": None}
    events: list[tuple[str, Any]] = [
        ("thread.message.created", render_message(writing, version)),
        ("thread.message.in_progress", render_message(writing, version)),
    ]
    texts = [block["text"] for block in message["content"] if block.get("type") == "text"]
    for index, text in enumerate(texts):
        for piece in _text_pieces(text["value"], text["annotations"], chunk_size):
            delta = {"content": [{"index": index, "type": "text", "text": piece}]}
            events.append(
                (
                    "thread.message.delta",
                    {"id": message["id"], "object": "thread.message.delta", "delta": delta},
                )
            )
    events.append(("thread.message.completed", render_message(message, version)))
    return events


def _chunks(text: str, start: int, end: int, size: int) -> list[str]:
    """``text[start:end]`` in pieces of ``size`` characters."""
    return [text[at : min(at + size, end)] for at in range(start, end, size)]


def _text_pieces(
    value: str, annotations: list[dict[str, Any]], chunk_size: int
) -> list[dict[str, Any]]:
    """The text deltas of a text block: ``chunk_size`` characters each, and each annotated
    passage in a delta of its own carrying its annotation (``index``: its place in the block's
    annotations), as OpenAI sends a citation."""
    pieces: list[dict[str, Any]] = []
    done = 0
    for index, note in enumerate(annotations):
        start, end = note["start_index"], note["end_index"]
        pieces.extend(_plain(value, done, start, chunk_size))
        pieces.append({"value": value[start:end], "annotations": [{"index": index, **note}]})
        done = end
    pieces.extend(_plain(value, done, len(value), chunk_size))
    return pieces


def _plain(value: str, start: int, end: int, chunk_size: int) -> list[dict[str, Any]]:
    """Text deltas without annotations, of ``value[start:end]``."""
    return [{"value": v, "annotations": []} for v in _chunks(value, start, end, chunk_size)]


def _tool_call_pieces(
    calls: list[dict[str, Any]], version: str, chunk_size: int
) -> list[dict[str, Any]]:
    """The tool call deltas of a step: a function call as it starts (its name, its arguments
    empty), then its arguments ``chunk_size`` characters at a time; other calls whole."""
    pieces: list[dict[str, Any]] = []
    for index, call in enumerate(calls):
        if call["type"] != "function":
            pieces.append({"index": index, **render_tool_call(call, version)})
            continue
        function = call["function"]
        arguments = function["arguments"]
        start = {"name": function["name"], "arguments": "", "output": function.get("output")}
        pieces.append({"index": index, "id": call["id"], "type": "function", "function": start})
        pieces.extend(
            {"index": index, "type": "function", "function": {"arguments": part}}
            for part in _chunks(arguments, 0, len(arguments), chunk_size)
        )
    return pieces
