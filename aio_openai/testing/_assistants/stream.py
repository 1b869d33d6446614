"""The server-sent events of a streamed run, as OpenAI sends them.

A streamed run is carried through at once (:meth:`.state.AssistantsState.settle_run`); its
events are told from what it became (:class:`SettledRun`): (``thread.created``,)
``thread.run.created``, ``thread.run.queued``, ``thread.run.in_progress``, then per step
``thread.run.step.created``, ``thread.run.step.in_progress``, for a message
``thread.message.created``, ``thread.message.in_progress``, ``thread.message.delta``
(``chunk_size`` characters each), ``thread.message.completed``, for tool calls
``thread.run.step.delta``; ``thread.run.step.completed`` (unless the step still waits);
the run's final event (``thread.run.completed``, ``thread.run.requires_action``...) and
``done``. A run going on after its tool outputs starts with the tool step's
``thread.run.step.completed`` and shows only the steps after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aio_openai.testing._assistants.records import RUN_EXPIRES_AFTER, message_text
from aio_openai.testing._assistants.render import (
    render_message,
    render_run,
    render_step,
    render_thread,
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
            calls = [
                {"index": k, **call} for k, call in enumerate(step["step_details"]["tool_calls"])
            ]
            step_delta = {"step_details": {"type": "tool_calls", "tool_calls": calls}}
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
    text = message_text(message)
    for start in range(0, len(text), chunk_size):
        piece = {"value": text[start : start + chunk_size], "annotations": []}
        delta = {"content": [{"index": 0, "type": "text", "text": piece}]}
        events.append(
            (
                "thread.message.delta",
                {"id": message["id"], "object": "thread.message.delta", "delta": delta},
            )
        )
    events.append(("thread.message.completed", render_message(message, version)))
    return events
