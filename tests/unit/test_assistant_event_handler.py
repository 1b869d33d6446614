"""The Assistants event handler on scripted streams, and the delta merge under it.

FakeOpenAI writes one message per run and no images or code; these scripts show what it does
not: two messages, a text block then an image block, code interpreter calls with outputs,
several tool calls in one step.
"""

from __future__ import annotations

import json
from typing import Any, Final

import pytest
from yarl import URL

from aio_openai import AsyncAssistantEventHandler, AsyncStream, Request, Response
from aio_openai._transport import client_timeout
from aio_openai.lib.streaming import AsyncAssistantStreamManager
from aio_openai.lib.streaming._deltas import accumulate_delta
from aio_openai.resources.beta.threads.runs import RUN_EVENTS
from aio_openai.types.beta.threads import ImageFileContentBlock, TextContentBlock
from aio_openai.types.beta.threads.runs import CodeInterpreterToolCall, ToolCallsStepDetails

RUN: Final = {"id": "run_1", "object": "thread.run", "thread_id": "thread_1", "status": "queued"}


def frames(*events: tuple[str, Any]) -> bytes:
    body = b"".join(
        f"event: {name}\ndata: {json.dumps(data)}\n\n".encode() for name, data in events
    )
    return body + b"event: done\ndata: [DONE]\n\n"


def message(id: str, status: str = "in_progress", content: list[Any] | None = None) -> Any:
    return {"id": id, "object": "thread.message", "status": status, "content": content or []}


def text(id: str, index: int, value: str) -> tuple[str, Any]:
    piece = {"index": index, "type": "text", "text": {"value": value}}
    return ("thread.message.delta", {"id": id, "delta": {"content": [piece]}})


def step(id: str, status: str, calls: list[Any] | None = None) -> Any:
    details = {"type": "tool_calls", "tool_calls": calls or []}
    return {"id": id, "object": "thread.run.step", "status": status, "step_details": details}


def step_delta(id: str, *calls: Any) -> tuple[str, Any]:
    details = {"type": "tool_calls", "tool_calls": list(calls)}
    return ("thread.run.step.delta", {"id": id, "delta": {"step_details": details}})


class Log(AsyncAssistantEventHandler):
    def __init__(self) -> None:
        super().__init__()
        self.log: list[tuple[Any, ...]] = []

    async def on_text_created(self, text: Any) -> None:
        self.log.append(("text_created", text.value))

    async def on_text_done(self, text: Any) -> None:
        self.log.append(("text_done", text.value))

    async def on_image_file_done(self, image_file: Any) -> None:
        self.log.append(("image_file_done", image_file.file_id))

    async def on_message_done(self, message: Any) -> None:
        self.log.append(("message_done", message.id))

    async def on_tool_call_created(self, tool_call: Any) -> None:
        self.log.append(("tool_call_created", tool_call.id, tool_call.code_interpreter.input))

    async def on_tool_call_delta(self, delta: Any, snapshot: Any) -> None:
        self.log.append(("tool_call_delta", snapshot.id, snapshot.code_interpreter.input))

    async def on_tool_call_done(self, tool_call: Any) -> None:
        self.log.append(("tool_call_done", tool_call.id, tool_call.code_interpreter.input))

    async def on_run_step_done(self, run_step: Any) -> None:
        self.log.append(("run_step_done", run_step.id))

    async def on_end(self) -> None:
        self.log.append(("end",))


async def handled(body: bytes, handler: Log | None = None) -> Log:
    """``body`` read to its end by ``handler`` (a Log), as a stream helper's ``async with``
    does it."""
    request = Request(
        method="POST", url=URL("http://t/v1/threads/runs"), headers={}, timeout=client_timeout(1)
    )

    async def opener() -> AsyncStream[Any]:
        response = Response(status=200, content=body, request=request)
        return AsyncStream(response, RUN_EVENTS.parse, final_events=RUN_EVENTS.final_events)

    async with AsyncAssistantStreamManager(opener, event_handler=handler or Log()) as reader:
        await reader.until_done()
    return reader


def code(index: int, **fields: Any) -> dict[str, Any]:
    """A piece of the code interpreter call at ``index``: its ``id``, ``input``, ``outputs``."""
    call_id = fields.pop("id", None)
    piece: dict[str, Any] = {"index": index, "type": "code_interpreter", "code_interpreter": fields}
    return piece if call_id is None else {**piece, "id": call_id}


async def test_blocks_and_messages_are_each_done_once() -> None:
    image = {"index": 1, "type": "image_file", "image_file": {"file_id": "file-img"}}
    first_done = message(
        "msg_1",
        "completed",
        [
            {"type": "text", "text": {"value": "See:", "annotations": []}},
            {"type": "image_file", "image_file": {"file_id": "file-img"}},
        ],
    )
    second_done = message(
        "msg_2", "completed", [{"type": "text", "text": {"value": "Bye", "annotations": []}}]
    )
    handler = await handled(
        frames(
            ("thread.run.created", RUN),
            ("thread.message.created", message("msg_1")),
            text("msg_1", 0, "Se"),
            text("msg_1", 0, "e:"),
            ("thread.message.delta", {"id": "msg_1", "delta": {"content": [image]}}),
            ("thread.message.completed", first_done),
            ("thread.message.created", message("msg_2")),
            text("msg_2", 0, "Bye"),
            ("thread.message.completed", second_done),
            ("thread.run.completed", {**RUN, "status": "completed"}),
        )
    )
    assert handler.log == [
        ("text_created", "Se"),
        ("text_done", "See:"),  # the image block began
        ("image_file_done", "file-img"),
        ("message_done", "msg_1"),
        ("text_created", "Bye"),  # the second message's first block: nothing of the first
        ("text_done", "Bye"),
        ("message_done", "msg_2"),
        ("end",),
    ]
    messages = await handler.get_final_messages()
    assert [m.id for m in messages] == ["msg_1", "msg_2"]
    assert isinstance(messages[0].content[1], ImageFileContentBlock)
    assert isinstance(messages[1].content[0], TextContentBlock)


async def test_code_interpreter_calls_accumulate_their_input_and_outputs() -> None:
    log_output = {"index": 0, "type": "logs", "logs": "4\n"}
    handler = await handled(
        frames(
            ("thread.run.created", RUN),
            ("thread.run.step.created", step("step_1", "in_progress")),
            step_delta("step_1", code(0, id="call_a", input="", outputs=[])),
            step_delta("step_1", code(0, input="2+")),
            step_delta("step_1", code(0, input="2")),
            step_delta("step_1", code(0, outputs=[log_output]), code(1, id="call_b", input="x")),
            ("thread.run.step.completed", step("step_1", "completed")),
            ("thread.run.completed", {**RUN, "status": "completed"}),
        )
    )
    assert handler.log == [
        ("tool_call_created", "call_a", ""),
        ("tool_call_delta", "call_a", "2+"),
        ("tool_call_delta", "call_a", "2+2"),
        ("tool_call_delta", "call_a", "2+2"),  # its output came
        ("tool_call_done", "call_a", "2+2"),
        ("tool_call_created", "call_b", "x"),
        ("tool_call_done", "call_b", "x"),  # once: the run's end does not repeat it
        ("run_step_done", "step_1"),
        ("end",),
    ]
    [step_done] = await handler.get_final_run_steps()
    assert step_done.status == "completed"  # the step as the server sent it done


async def test_the_snapshot_of_a_step_in_progress_holds_what_came() -> None:
    seen: list[Any] = []

    class Snapshots(Log):
        async def on_tool_call_done(self, tool_call: Any) -> None:
            seen.append(self.current_run_step_snapshot)

    body = frames(
        ("thread.run.created", RUN),
        ("thread.run.step.created", step("step_1", "in_progress")),
        step_delta("step_1", code(0, id="call_a", input="1"), code(0, input="+1")),
        ("thread.run.requires_action", {**RUN, "status": "requires_action"}),
    )
    handler = await handled(body, Snapshots())
    run = await handler.get_final_run()
    assert run.status == "requires_action"
    [snapshot] = seen  # one delta holding two pieces of one call: merged, then done once
    assert isinstance(snapshot.step_details, ToolCallsStepDetails)
    [call] = snapshot.step_details.tool_calls
    assert isinstance(call, CodeInterpreterToolCall) and call.code_interpreter.input == "1+1"


# -- the merge ----------------------------------------------------------------------------------


def test_text_is_appended_and_indexed_entries_merge_in_place() -> None:
    snapshot: dict[str, Any] = {"type": "text", "text": {"value": "Hi", "annotations": []}}
    accumulate_delta(
        snapshot,
        {
            "index": 0,
            "type": "text",
            "text": {
                "value": " there",
                "annotations": [{"index": 0, "type": "file_citation", "text": "[1"}],
            },
        },
    )
    accumulate_delta(
        snapshot,
        {"index": 0, "text": {"value": "!", "annotations": [{"index": 0, "text": "]"}]}},
    )
    assert snapshot == {
        "index": 0,
        "type": "text",
        "text": {
            "value": "Hi there!",
            "annotations": [{"index": 0, "type": "file_citation", "text": "[1]"}],
        },
    }


def test_nones_change_nothing_and_index_type_and_booleans_are_replaced() -> None:
    snapshot: dict[str, Any] = {"index": 0, "type": "a", "n": 2, "flag": True, "tags": ["x"]}
    delta = {"index": 1, "type": "b", "n": 3, "flag": False, "tags": ["y"], "gone": None}
    assert accumulate_delta(snapshot, delta) == {
        "index": 1,
        "type": "b",
        "n": 5,
        "flag": False,
        "tags": ["x", "y"],
    }
    fresh = accumulate_delta({}, {"outer": {"keep": 1, "drop": None}})
    assert fresh == {"outer": {"keep": 1}}


def test_pieces_of_one_new_entry_in_one_delta_are_merged() -> None:
    calls = [{"index": 0, "id": "c", "args": "{"}, {"index": 0, "args": "}"}]
    assert accumulate_delta({}, {"calls": calls}) == {
        "calls": [{"index": 0, "id": "c", "args": "{}"}]
    }


@pytest.mark.parametrize(
    ("entry", "error"),
    [("text", TypeError), ({"no": "index"}, ValueError), ({"index": "0"}, TypeError)],
)
def test_an_indexed_entry_that_cannot_be_placed_is_refused(
    entry: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        accumulate_delta({"calls": [{"index": 0}]}, {"calls": [entry]})
