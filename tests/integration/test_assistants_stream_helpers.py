"""The Assistants stream helpers end to end: ``runs.stream``, ``create_and_stream``,
``submit_tool_outputs_stream`` and ``threads.create_and_run_stream`` against FakeOpenAI, in
both API versions: the handler's callbacks and their order (the official SDK's handler,
run on the same server, gives the same), snapshots, the bot loop, leaving early, errors.

One FakeOpenAI, in a thread of its own, serves the module: every task of a test's loop is
the client's.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any, Final

import pytest
from deprecations import ASSISTANTS_API_DEPRECATED

from aio_openai import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AsyncAssistantEventHandler,
    AsyncOpenAI,
    NotFoundError,
)
from aio_openai.lib.streaming import AsyncAssistantStreamManager
from aio_openai.testing import FakeOpenAI
from aio_openai.types.beta import ThreadMessageDelta
from aio_openai.types.beta.threads import Message, Run, TextContentBlock
from aio_openai.types.beta.threads.runs import FunctionToolCall, RunStep, ToolCallsStepDetails

KEY: Final = "sk-stream-helpers-0123456789"
TEXT: Final = "Hello there!"  # three deltas of 4 characters
RUNS: Final = "POST /v1/threads/{thread_id}/runs"
WEATHER: Final = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
TIME: Final = {"type": "function", "function": {"name": "get_time"}}

pytestmark = ASSISTANTS_API_DEPRECATED


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI().running_in_thread() as fake:
        fake.state.assistants.chunk_size = 4
        yield fake


@pytest.fixture(params=["v1", "v2"])
async def client(
    request: pytest.FixtureRequest, server: FakeOpenAI, clean_env: None
) -> AsyncIterator[AsyncOpenAI]:
    c = AsyncOpenAI(api_key=KEY, base_url=server.url, assistants_version=request.param)
    try:
        yield c
    finally:
        await c.aclose()


def recorder(base: type[Any]) -> type[Any]:
    """A handler class on ``base`` (ours or the SDK's) logging every callback."""

    class Recorder(base):  # type: ignore[misc,valid-type]
        def __init__(self) -> None:
            super().__init__()
            self.log: list[tuple[Any, ...]] = []

        async def on_event(self, event: Any) -> None:
            self.log.append(("event", event.event))

        async def on_run_step_created(self, run_step: Any) -> None:
            self.log.append(("run_step_created", run_step.type, run_step.status))

        async def on_run_step_delta(self, delta: Any, snapshot: Any) -> None:
            self.log.append(("run_step_delta", [call_text(c) for c in calls_of(snapshot)]))

        async def on_run_step_done(self, run_step: Any) -> None:
            self.log.append(("run_step_done", run_step.type, run_step.status))

        async def on_tool_call_created(self, tool_call: Any) -> None:
            self.log.append(("tool_call_created", call_text(tool_call)))

        async def on_tool_call_delta(self, delta: Any, snapshot: Any) -> None:
            piece = delta.function.arguments if delta.type == "function" else None
            self.log.append(("tool_call_delta", piece, call_text(snapshot)))

        async def on_tool_call_done(self, tool_call: Any) -> None:
            self.log.append(("tool_call_done", call_text(tool_call)))

        async def on_message_created(self, message: Any) -> None:
            self.log.append(("message_created", message.status, len(message.content)))

        async def on_message_delta(self, delta: Any, snapshot: Any) -> None:
            self.log.append(("message_delta", snapshot.content[0].text.value))

        async def on_message_done(self, message: Any) -> None:
            self.log.append(("message_done", message.status))

        async def on_text_created(self, text: Any) -> None:
            self.log.append(("text_created", text.value))

        async def on_text_delta(self, delta: Any, snapshot: Any) -> None:
            self.log.append(("text_delta", delta.value, snapshot.value))

        async def on_text_done(self, text: Any) -> None:
            self.log.append(("text_done", text.value, len(text.annotations)))

        async def on_image_file_done(self, image_file: Any) -> None:
            self.log.append(("image_file_done", image_file.file_id))

        async def on_end(self) -> None:
            self.log.append(("end",))

        async def on_timeout(self) -> None:
            self.log.append(("timeout",))

        async def on_exception(self, exception: Exception) -> None:
            self.log.append(("exception", type(exception).__name__))

    return Recorder


Recorder = recorder(AsyncAssistantEventHandler)


def calls_of(step: Any) -> list[Any]:
    details = step.step_details
    return list(details.tool_calls) if details.type == "tool_calls" else []


def call_text(call: Any) -> str:
    """A tool call in a few words: its type, and a function's name and arguments so far."""
    if call.type == "function":
        return f"{call.function.name}({call.function.arguments})"
    return str(call.type)


def text_log(text: str, size: int = 4) -> list[tuple[Any, ...]]:
    """The callbacks of a message step writing ``text`` in deltas of ``size``."""
    log: list[tuple[Any, ...]] = [
        ("event", "thread.run.step.created"),
        ("run_step_created", "message_creation", "in_progress"),
        ("event", "thread.run.step.in_progress"),
        ("event", "thread.message.created"),
        ("message_created", "in_progress", 0),
        ("event", "thread.message.in_progress"),
    ]
    for end in range(size, len(text) + size, size):
        log.append(("event", "thread.message.delta"))
        if end == size:
            log.append(("text_created", text[:size]))
        log.append(("text_delta", text[end - size : end], text[:end]))
        log.append(("message_delta", text[:end]))
    return [
        *log,
        ("event", "thread.message.completed"),
        ("text_done", text, 0),
        ("message_done", "completed"),
        ("event", "thread.run.step.completed"),
        ("run_step_done", "message_creation", "completed"),
    ]


RUN_START: Final = [
    ("event", "thread.run.created"),
    ("event", "thread.run.queued"),
    ("event", "thread.run.in_progress"),
]


async def new_thread(client: AsyncOpenAI, *tools: Any, text: str = TEXT) -> tuple[str, str]:
    assistant = await client.beta.assistants.create(model="gpt-4o", tools=list(tools))
    thread = await client.beta.threads.create(messages=[{"role": "user", "content": text}])
    return assistant.id, thread.id


def in_use(client: AsyncOpenAI) -> int:
    """Connections of the client's pool handed out and not given back."""
    connector = client._pool.session().connector
    assert connector is not None
    return len(connector._acquired)


# -- a text answer ------------------------------------------------------------------------------


async def test_a_text_answer_goes_through_the_callbacks_in_order(client: AsyncOpenAI) -> None:
    assistant_id, thread_id = await new_thread(client)
    async with client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, event_handler=Recorder()
    ) as stream:
        assert isinstance(stream, Recorder)
        run = await stream.get_final_run()
    assert stream.log == [
        *RUN_START,
        *text_log(TEXT),
        ("event", "thread.run.completed"),
        ("end",),
    ]
    assert isinstance(run, Run) and run.status == "completed" and run.thread_id == thread_id
    assert stream.current_run == run
    assert await client.beta.threads.runs.retrieve(run.id, thread_id=thread_id) == run


async def test_the_sdks_own_handler_calls_back_in_the_same_order(
    server: FakeOpenAI, client: AsyncOpenAI
) -> None:
    import openai

    if client.assistants_version != "v2":
        pytest.skip("the SDK's stream helpers speak assistants=v2")
    sdk_recorder = recorder(openai.AsyncAssistantEventHandler)
    sdk = openai.AsyncOpenAI(api_key=KEY, base_url=server.url)
    try:
        for tools in ([], [WEATHER, TIME]):  # a text answer; two tool calls
            assistant = await client.beta.assistants.create(model="gpt-4o", tools=tools)
            ours, theirs = Recorder(), sdk_recorder()
            thread = await client.beta.threads.create(
                messages=[{"role": "user", "content": "Paris"}]
            )
            async with client.beta.threads.runs.stream(
                thread_id=thread.id, assistant_id=assistant.id, event_handler=ours
            ) as stream:
                await stream.until_done()
            thread = await client.beta.threads.create(
                messages=[{"role": "user", "content": "Paris"}]
            )
            manager = sdk.beta.threads.runs.stream(  # warns as ours: pytestmark lets both by
                thread_id=thread.id, assistant_id=assistant.id, event_handler=theirs
            )
            async with manager as sdk_stream:
                await sdk_stream.until_done()
            assert ours.log == theirs.log
            assert ours.log[-1] == ("end",) and len(ours.log) > 20
    finally:
        await sdk.close()


# -- snapshots ----------------------------------------------------------------------------------


async def test_snapshots_accumulate_to_what_the_server_stores(client: AsyncOpenAI) -> None:
    # a file search run: its search step, then a reply citing the file (an annotated delta)
    search = {"type": "file_search" if client.assistants_version == "v2" else "retrieval"}
    assistant = await client.beta.assistants.create(model="gpt-4o", tools=[search])
    files: dict[str, Any] = (
        {"attachments": [{"file_id": "file-abc", "tools": [{"type": "file_search"}]}]}
        if client.assistants_version == "v2"
        else {"file_ids": ["file-abc"]}
    )
    thread = await client.beta.threads.create(messages=[{"role": "user", "content": TEXT, **files}])
    seen: list[tuple[Message | None, Message]] = []

    class Snapshots(Recorder):  # type: ignore[misc,valid-type]
        async def on_message_delta(self, delta: Any, snapshot: Message) -> None:
            await super().on_message_delta(delta, snapshot)
            seen.append((self.current_message_snapshot, snapshot))

    async with client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=Snapshots()
    ) as stream:
        events = [event async for event in stream]
    assert stream.current_event is None  # only set while an event goes through the callbacks
    assert all(current is snapshot for current, snapshot in seen)
    accumulated = seen[-1][1]  # the message as the deltas built it, before it was completed
    stored = await client.beta.threads.messages.retrieve(accumulated.id, thread_id=thread.id)
    assert accumulated.content == stored.content
    block = stored.content[0]
    assert isinstance(block, TextContentBlock) and block.text.value.startswith(TEXT)
    [citation] = block.text.annotations
    assert citation.type == "file_citation" and citation.file_citation is not None
    assert citation.file_citation.file_id == "file-abc"
    assert ("text_done", block.text.value, 1) in stream.log
    # the search step's call, created and done once; the steps as the server sent them done
    search_type = search["type"]
    assert stream.log[: len(RUN_START) + 9] == [
        *RUN_START,
        ("event", "thread.run.step.created"),
        ("run_step_created", "tool_calls", "in_progress"),
        ("event", "thread.run.step.in_progress"),
        ("event", "thread.run.step.delta"),
        ("tool_call_created", search_type),
        ("run_step_delta", [search_type]),
        ("event", "thread.run.step.completed"),
        ("tool_call_done", search_type),
        ("run_step_done", "tool_calls", "completed"),
    ]
    assert stream.log.count(("tool_call_done", search_type)) == 1  # not again at the end
    steps = await stream.get_final_run_steps()
    listed = await client.beta.threads.runs.steps.list(
        stream.current_run.id, thread_id=thread.id, order="asc"
    )
    assert steps == listed.data
    assert [(s.type, s.status) for s in steps] == [
        ("tool_calls", "completed"),
        ("message_creation", "completed"),
    ]
    assert await stream.get_final_messages() == [stored]
    assert [e.event for e in events][-1] == "thread.run.completed"
    assert stream.current_message_snapshot == stored


async def test_the_tool_call_snapshots_build_the_arguments(client: AsyncOpenAI) -> None:
    assistant_id, thread_id = await new_thread(client, WEATHER, TIME, text="Paris")
    steps: list[RunStep | None] = []

    class Steps(Recorder):  # type: ignore[misc,valid-type]
        async def on_run_step_delta(self, delta: Any, snapshot: RunStep) -> None:
            await super().on_run_step_delta(delta, snapshot)
            steps.append(self.current_run_step_snapshot)

    async with client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, event_handler=Steps()
    ) as stream:
        run = await stream.get_final_run()
    assert run.status == "requires_action" and run.required_action is not None
    wanted = run.required_action.submit_tool_outputs.tool_calls
    last = steps[-1]
    assert last is not None and isinstance(last.step_details, ToolCallsStepDetails)
    calls = last.step_details.tool_calls
    assert all(isinstance(call, FunctionToolCall) for call in calls)
    assert [(c.id, c.function.name, c.function.arguments) for c in calls] == [  # type: ignore[union-attr]
        (w.id, w.function.name, w.function.arguments) for w in wanted
    ]
    arguments = json.loads(wanted[0].function.arguments)
    assert arguments["city"]
    tool_log = [entry for entry in stream.log if entry[0].startswith("tool_call")]
    expected: list[tuple[Any, ...]] = []
    for call in wanted:
        name, arguments = call.function.name, call.function.arguments
        if expected:
            expected.append(("tool_call_done", expected[-1][-1]))
        expected.append(("tool_call_created", f"{name}()"))
        for end in range(4, len(arguments) + 4, 4):
            expected.append(
                ("tool_call_delta", arguments[end - 4 : end], f"{name}({arguments[:end]})")
            )
    expected.append(("tool_call_done", expected[-1][-1]))
    assert tool_log == expected
    assert expected[-1] == ("tool_call_done", "get_time({})")
    assert stream.current_run_step_snapshot == last  # the step waits for its outputs
    with pytest.raises(RuntimeError, match="No messages found"):
        await stream.get_final_messages()


# -- the bot loop -------------------------------------------------------------------------------


async def test_tool_outputs_stream_the_same_run_from_inside_a_handler(
    server: FakeOpenAI, client: AsyncOpenAI
) -> None:
    server.state.assistants.replies["Paris"] = "Sunny in Paris."
    assistant_id, thread_id = await new_thread(client, WEATHER, text="Paris")

    class Bot(Recorder):  # type: ignore[misc,valid-type]
        async def on_event(self, event: Any) -> None:
            await super().on_event(event)
            if event.event == "thread.run.requires_action":
                run = event.data
                outputs = [
                    {"tool_call_id": call.id, "output": f"sunny: {call.function.arguments}"}
                    for call in run.required_action.submit_tool_outputs.tool_calls
                ]
                self.rest = Recorder()
                async with client.beta.threads.runs.submit_tool_outputs_stream(
                    thread_id=run.thread_id,
                    run_id=run.id,
                    tool_outputs=outputs,
                    event_handler=self.rest,
                ) as rest:
                    self.text = "".join([text async for text in rest.text_deltas])
                    self.final = await rest.get_final_run()

    async with client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, event_handler=Bot()
    ) as bot:
        await bot.until_done()
    assert bot.text == "Sunny in Paris."
    waiting = bot.current_run
    assert waiting is not None and waiting.status == "requires_action"
    assert bot.final.id == waiting.id and bot.final.status == "completed"
    assert waiting.required_action is not None
    [call] = waiting.required_action.submit_tool_outputs.tool_calls
    assert bot.log[-3:] == [
        ("event", "thread.run.requires_action"),  # the rest of the run was streamed in here
        ("tool_call_done", f"get_weather({call.function.arguments})"),
        ("end",),
    ]
    submitted = server.requests[-1]
    assert submitted.path.endswith(f"/runs/{waiting.id}/submit_tool_outputs")
    assert submitted.json["stream"] is True
    assert submitted.json["tool_outputs"][0]["output"].startswith("sunny: {")
    assert bot.rest.log == [
        ("event", "thread.run.step.completed"),
        ("run_step_done", "tool_calls", "completed"),
        ("event", "thread.run.queued"),
        ("event", "thread.run.in_progress"),
        *text_log("Sunny in Paris."),
        ("event", "thread.run.completed"),
        ("end",),
    ]


# -- the other helpers --------------------------------------------------------------------------


async def test_create_and_run_stream_starts_with_the_new_thread(client: AsyncOpenAI) -> None:
    assistant = await client.beta.assistants.create(model="gpt-4o")
    async with client.beta.threads.create_and_run_stream(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": TEXT}]}
    ) as stream:
        assert type(stream) is AsyncAssistantEventHandler
        first = await anext(stream)
        text = "".join([piece async for piece in stream.text_deltas])
        run = await stream.get_final_run()
    assert first.event == "thread.created"
    assert text == TEXT and run.thread_id == first.data.id and run.status == "completed"


async def test_create_and_stream_is_stream_by_its_older_name(
    server: FakeOpenAI, client: AsyncOpenAI
) -> None:
    assistant_id, thread_id = await new_thread(client)
    bodies = []
    for helper in (client.beta.threads.runs.stream, client.beta.threads.runs.create_and_stream):
        async with helper(
            thread_id=thread_id,
            assistant_id=assistant_id,
            instructions="Be brief.",
            extra_headers={"X-Trace": "t1"},
        ) as stream:
            assert isinstance(await stream.get_final_run(), Run)
        request = server.requests[-1]
        assert request.headers["X-Trace"] == "t1"
        assert request.headers["OpenAI-Beta"] == f"assistants={client.assistants_version}"
        bodies.append(request.json)
    assert (
        bodies[0]
        == bodies[1]
        == {
            "assistant_id": assistant_id,
            "instructions": "Be brief.",
            "stream": True,
        }
    )


async def test_events_and_text_deltas_share_one_reading(client: AsyncOpenAI) -> None:
    assistant_id, thread_id = await new_thread(client)
    async with client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id
    ) as stream:
        head = [await anext(stream) for _ in range(8)]  # up to the first message delta
        rest = "".join([piece async for piece in stream.text_deltas])
        assert [e async for e in stream] == []  # read to its end
        await stream.until_done()
    assert isinstance(head[-1], ThreadMessageDelta)
    assert rest == TEXT[4:]


# -- leaving early, errors ----------------------------------------------------------------------


async def test_leaving_early_closes_the_connection_and_leaves_no_task(
    server: FakeOpenAI, client: AsyncOpenAI
) -> None:
    assistant_id, thread_id = await new_thread(client)
    server.faults.push(RUNS, kind="stream_stall")  # the rest held back: the body is not all in
    before = asyncio.all_tasks()
    try:
        async with client.beta.threads.runs.stream(
            thread_id=thread_id, assistant_id=assistant_id, event_handler=Recorder()
        ) as stream:
            async for _event in stream:
                break
            open_now = client._pool.connections
            assert in_use(client) == 1
        assert in_use(client) == 0
        assert client._pool.connections == open_now - 1  # closed, not kept half read
        assert asyncio.all_tasks() == before
        assert stream.log == [("event", "thread.run.created")]
        with pytest.raises(StopAsyncIteration):
            await anext(stream)
    finally:
        server.faults.release()
    # the client goes on working
    run = await client.beta.threads.runs.retrieve(stream.current_run.id, thread_id=thread_id)
    assert run.status == "completed"  # the fake carried the run through before streaming it


async def test_an_error_event_raises_a_typed_error(server: FakeOpenAI, client: AsyncOpenAI) -> None:
    assistant_id, thread_id = await new_thread(client)
    server.faults.push(RUNS, kind="stream_error")
    async with client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, event_handler=Recorder()
    ) as stream:
        with pytest.raises(APIError) as info:
            await stream.until_done()
        assert in_use(client) == 0
    assert info.value.type == "server_error" and not isinstance(info.value, APIConnectionError)
    assert stream.log[-3:] == [("event", "thread.run.created"), ("exception", "APIError"), ("end",)]
    with pytest.raises(StopAsyncIteration):  # it ended: on_end is not called twice
        await anext(stream)
    assert stream.log.count(("end",)) == 1


async def test_a_cut_stream_never_ends_silently(server: FakeOpenAI, client: AsyncOpenAI) -> None:
    assistant_id, thread_id = await new_thread(client)
    server.faults.push(RUNS, kind="stream_cut")  # after the first event
    async with client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, event_handler=Recorder()
    ) as stream:
        with pytest.raises(APIConnectionError):
            await stream.until_done()
    assert stream.log == [
        ("event", "thread.run.created"),
        ("exception", "APIConnectionError"),
        ("end",),
    ]
    assert in_use(client) == 0


async def test_include_goes_in_the_query_as_for_create(
    server: FakeOpenAI, client: AsyncOpenAI
) -> None:
    assistant_id, thread_id = await new_thread(client)
    include = "step_details.tool_calls[*].file_search.results[*].content"
    async with client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, include=[include]
    ) as stream:
        await stream.until_done()
    request = server.requests[-1]
    assert request.query.getall("include[]") == [include]
    assert "include" not in request.json


async def test_a_stalled_stream_times_out(server: FakeOpenAI, client: AsyncOpenAI) -> None:
    assistant_id, thread_id = await new_thread(client)
    server.faults.push(RUNS, kind="stream_stall")
    try:
        async with client.beta.threads.runs.stream(
            thread_id=thread_id,
            assistant_id=assistant_id,
            event_handler=Recorder(),
            stream_idle_timeout=0.05,
        ) as stream:
            with pytest.raises(APITimeoutError):
                await stream.get_final_run()
    finally:
        server.faults.release()
    assert stream.log[-4:] == [
        ("event", "thread.run.created"),
        ("timeout",),
        ("exception", "APITimeoutError"),
        ("end",),
    ]
    assert in_use(client) == 0


async def test_a_callbacks_error_is_raised_and_closes_the_stream(client: AsyncOpenAI) -> None:
    assistant_id, thread_id = await new_thread(client)

    class Broken(Recorder):  # type: ignore[misc,valid-type]
        async def on_text_created(self, text: Any) -> None:
            raise LookupError("no such voice")

    with pytest.raises(LookupError, match="no such voice"):
        async with client.beta.threads.runs.stream(
            thread_id=thread_id, assistant_id=assistant_id, event_handler=Broken()
        ) as stream:
            await stream.until_done()
    assert stream.log[-2:] == [("exception", "LookupError"), ("end",)]
    assert in_use(client) == 0


async def test_the_requests_errors_are_raised_by_async_with(client: AsyncOpenAI) -> None:
    _, thread_id = await new_thread(client)
    handler = Recorder()
    manager = client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id="asst_nope", event_handler=handler
    )
    with pytest.raises(NotFoundError, match="asst_nope"):
        async with manager:
            raise AssertionError("not reached")
    assert handler.log == []
    with pytest.raises(RuntimeError, match="once"):
        async with manager:
            raise AssertionError("not reached")


async def test_bad_arguments_raise_at_the_call_before_anything_is_sent(
    server: FakeOpenAI, client: AsyncOpenAI
) -> None:
    runs = client.beta.threads.runs
    sent = len(server.requests)
    with pytest.raises(ValueError, match="thread_id"):
        runs.stream(thread_id="", assistant_id="asst_1")
    with pytest.raises(ValueError, match="run_id"):
        runs.submit_tool_outputs_stream(thread_id="thread_1", run_id="", tool_outputs=[])
    with pytest.raises(TypeError, match="unexpected keyword argument 'stream'"):
        runs.stream(thread_id="thread_1", assistant_id="asst_1", stream=True)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'assistant_id'"):
        runs.stream(thread_id="thread_1")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="instance of AsyncAssistantEventHandler"):
        runs.stream(thread_id="t", assistant_id="a", event_handler=Recorder)  # type: ignore[call-overload]
    assert len(server.requests) == sent


async def test_a_handler_reads_one_stream(server: FakeOpenAI, client: AsyncOpenAI) -> None:
    assistant_id, thread_id = await new_thread(client)
    handler = Recorder()
    with pytest.raises(RuntimeError, match="not been started"):
        await anext(handler)
    async with client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, event_handler=handler
    ) as stream:
        await stream.until_done()
    sent = len(server.requests)
    with pytest.raises(RuntimeError, match="new event handler"):
        async with client.beta.threads.create_and_run_stream(
            assistant_id=assistant_id, event_handler=handler
        ):
            raise AssertionError("not reached")
    assert len(server.requests) == sent  # refused before a run was started for nothing


def test_the_helpers_have_the_sdks_signatures() -> None:
    import inspect

    from aio_openai.resources.beta.threads import Threads
    from aio_openai.resources.beta.threads.runs import Runs

    for method, required in [
        (Runs.stream, {"thread_id", "assistant_id"}),
        (Runs.create_and_stream, {"thread_id", "assistant_id"}),
        (Runs.submit_tool_outputs_stream, {"thread_id", "run_id", "tool_outputs"}),
        (Threads.create_and_run_stream, {"assistant_id"}),
    ]:
        parameters = inspect.signature(method).parameters
        assert {n for n, p in parameters.items() if p.default is p.empty} - {"self"} == required
        assert parameters["event_handler"].default is None
        assert "timeout" in parameters and "extra_headers" in parameters
    assert "include" in inspect.signature(Runs.stream).parameters
    assert AsyncAssistantStreamManager.__name__ == "AsyncAssistantStreamManager"
