"""The Assistants API end to end: the real client against the real, stateful FakeOpenAI.

Runs are paced by polls (``configure(polls=1)``: each status is shown by one retrieve), so no
test depends on timing; time pacing is tested with an injected clock.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any, Final

import aiohttp
import pytest
from deprecations import ASSISTANTS_API_DEPRECATED

from aio_openai import (
    NOT_GIVEN,
    APIResponse,
    AsyncCursorPage,
    AsyncOpenAI,
    BadRequestError,
    NotFoundError,
)
from aio_openai.testing import FakeOpenAI, RecordedRequest
from aio_openai.testing._assistants import POLL_AFTER_HEADER, RunPacing
from aio_openai.types.beta import (
    Assistant,
    CodeInterpreterTool,
    FileSearchTool,
    FunctionDefinition,
    FunctionTool,
    RetrievalTool,
    ToolResources,
    ToolResourcesFileSearch,
)
from aio_openai.types.beta.threads import (
    Message,
    RequiredActionFunctionToolCall,
    Run,
    TextContentBlock,
)
from aio_openai.types.beta.threads.runs import (
    FunctionToolCall,
    MessageCreationStepDetails,
    ToolCallsStepDetails,
)

pytestmark = ASSISTANTS_API_DEPRECATED

KEY: Final = "sk-assistants-0123456789"
WEATHER: Final = FunctionTool(
    function=FunctionDefinition(name="get_weather", parameters={"type": "object", "properties": {}})
)


@pytest.fixture
def paced(fake: FakeOpenAI) -> FakeOpenAI:
    """The fake, with runs moving one status per retrieve."""
    fake.state.assistants.configure(polls=1, poll_after_ms=0)
    return fake


@pytest.fixture
async def v1(paced: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    client = AsyncOpenAI(api_key=KEY, base_url=paced.url, assistants_version="v1")
    try:
        yield client
    finally:
        await client.aclose()


def last(fake: FakeOpenAI) -> RecordedRequest:
    return fake.requests[-1]


def text_of(message: Message) -> str:
    block = message.content[0]
    assert isinstance(block, TextContentBlock)
    return block.text.value


async def new_thread(client: AsyncOpenAI, text: str = "What is 2 + 2?") -> str:
    thread = await client.beta.threads.create(messages=[{"role": "user", "content": text}])
    return thread.id


# -- the OpenAI-Beta header ---------------------------------------------------------------------


async def test_every_beta_call_sends_assistants_v2_by_default(
    paced: FakeOpenAI, client: AsyncOpenAI
) -> None:
    assert client.assistants_version == "v2"
    assistant = await client.beta.assistants.create(model="gpt-4")
    await client.beta.assistants.list()
    thread_id = await new_thread(client)
    run = await client.beta.threads.runs.create_and_poll(
        thread_id=thread_id, assistant_id=assistant.id
    )
    await client.beta.threads.runs.steps.list(run.id, thread_id=thread_id)
    await client.beta.threads.messages.list(thread_id)
    beta_requests = [r for r in paced.requests if not r.path.startswith("/v1/models")]
    assert len(beta_requests) >= 7
    assert {r.headers.get("OpenAI-Beta") for r in beta_requests} == {"assistants=v2"}
    await client.models.list()
    assert "OpenAI-Beta" not in last(paced).headers


async def test_v1_client_sends_assistants_v1_as_the_seed(
    paced: FakeOpenAI, v1: AsyncOpenAI
) -> None:
    assistant = await v1.beta.assistants.create(
        name="Math Tutor",
        instructions="You are a personal math tutor.",
        tools=[{"type": "retrieval"}],
        model="gpt-4",
    )
    assert last(paced).headers["OpenAI-Beta"] == "assistants=v1"
    assert assistant.tools == [RetrievalTool()]
    assert assistant.file_ids == [] and assistant.tool_resources is None
    deleted = await v1.beta.assistants.delete(assistant.id)
    assert (deleted.id, deleted.deleted, deleted.object) == (
        assistant.id,
        True,
        "assistant.deleted",
    )
    assert last(paced).headers["OpenAI-Beta"] == "assistants=v1"


async def test_assistants_version_survives_with_options_and_extra_headers_win(
    paced: FakeOpenAI, v1: AsyncOpenAI
) -> None:
    copy = v1.with_options(timeout=30)
    assert copy.assistants_version == "v1"
    await copy.beta.assistants.list()
    assert last(paced).headers["OpenAI-Beta"] == "assistants=v1"
    v2 = v1.with_options(assistants_version="v2")
    await v2.beta.assistants.list()
    assert last(paced).headers["OpenAI-Beta"] == "assistants=v2"
    await v1.beta.assistants.list(extra_headers={"OpenAI-Beta": "assistants=v2"})
    assert last(paced).headers.getall("OpenAI-Beta") == ["assistants=v2"]


async def test_endpoint_header_replaces_a_client_default_of_any_case(
    paced: FakeOpenAI, clean_env: None
) -> None:
    async with AsyncOpenAI(
        api_key=KEY, base_url=paced.url, default_headers={"openai-beta": "assistants=v1"}
    ) as client:
        await client.beta.assistants.list()
    assert last(paced).headers.getall("OpenAI-Beta") == ["assistants=v2"]


def test_bad_assistants_version_is_refused(clean_env: None) -> None:
    with pytest.raises(ValueError, match="assistants_version"):
        AsyncOpenAI(api_key=KEY, assistants_version="2")


# -- assistants ---------------------------------------------------------------------------------


async def test_assistant_crud(paced: FakeOpenAI, client: AsyncOpenAI) -> None:
    created = await client.beta.assistants.create(
        model="gpt-4",
        name="Math Tutor",
        instructions="Help.",
        tools=[FileSearchTool(), WEATHER],
        tool_resources=ToolResources(file_search=ToolResourcesFileSearch(vector_store_ids=["vs"])),
        metadata={"team": "a"},
    )
    assert re.fullmatch(r"asst_[A-Za-z0-9]{24}", created.id)
    assert created._request_id == last(paced).request_id
    assert created.tool_resources is not None and created.tool_resources.file_search is not None
    assert created.tool_resources.file_search.vector_store_ids == ["vs"]
    assert created.file_ids is None
    got = await client.beta.assistants.retrieve(created.id)
    assert got == created
    updated = await client.beta.assistants.update(
        created.id, name="Algebra Tutor", description=None
    )
    assert last(paced).json == {"name": "Algebra Tutor", "description": None}
    assert (updated.name, updated.instructions, updated.description) == (
        "Algebra Tutor",
        "Help.",
        None,
    )
    assert updated.tools == created.tools
    deleted = await client.beta.assistants.delete(created.id)
    assert deleted.deleted is True
    with pytest.raises(NotFoundError) as info:
        await client.beta.assistants.retrieve(created.id)
    assert info.value.status_code == 404
    assert info.value.message == f"Error code: 404 - No assistant found with id '{created.id}'."
    assert info.value.param is None
    assert info.value.type == "invalid_request_error"


async def test_body_leaves_out_not_given_and_sends_none_as_null(
    paced: FakeOpenAI, client: AsyncOpenAI
) -> None:
    await client.beta.assistants.create(
        model="gpt-4", name=None, instructions=NOT_GIVEN, temperature=0.5
    )
    assert last(paced).json == {"model": "gpt-4", "name": None, "temperature": 0.5}


async def test_tools_as_attrs_objects_or_dicts_send_the_same_body(
    paced: FakeOpenAI, client: AsyncOpenAI
) -> None:
    await client.beta.assistants.create(
        model="gpt-4", tools=[CodeInterpreterTool(), WEATHER, FileSearchTool()]
    )
    from_attrs = last(paced).json
    await client.beta.assistants.create(
        model="gpt-4",
        tools=(
            t
            for t in [
                {"type": "code_interpreter"},
                {
                    "type": "function",
                    "function": {
                        "name": "get_weather",
                        "parameters": {"type": "object", "properties": {}},
                    },
                },
                {"type": "file_search"},
            ]
        ),
    )
    assert last(paced).json == from_attrs


async def test_path_ids_are_quoted_and_checked(paced: FakeOpenAI, client: AsyncOpenAI) -> None:
    with pytest.raises(NotFoundError):
        await client.beta.assistants.retrieve("asst_a/../b?x=1")
    assert last(paced).raw_path == "/v1/assistants/asst_a%2F..%2Fb%3Fx%3D1"
    with pytest.raises(ValueError, match="assistant_id"):
        await client.beta.assistants.retrieve("")
    with pytest.raises(ValueError, match="thread_id"):
        await client.beta.threads.runs.retrieve("run_1", thread_id="")


async def test_with_raw_response_gives_status_headers_and_parse(
    paced: FakeOpenAI, client: AsyncOpenAI
) -> None:
    raw = await client.beta.assistants.with_raw_response.create(model="gpt-4")
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200
    assert raw.request_id == last(paced).request_id
    assert isinstance(raw.parse(), Assistant)
    page = await client.beta.threads.with_raw_response.runs.list(await new_thread(client))
    assert isinstance(page, APIResponse)
    assert isinstance(page.parse(), AsyncCursorPage)


# -- lists --------------------------------------------------------------------------------------


async def test_lists_are_cursor_pages(paced: FakeOpenAI, client: AsyncOpenAI) -> None:
    ids = [(await client.beta.assistants.create(model="gpt-4", name=str(i))).id for i in range(5)]
    page = await client.beta.assistants.list(limit=2)
    assert isinstance(page, AsyncCursorPage)
    assert [a.id for a in page.data] == ids[::-1][:2]
    assert (page.first_id, page.last_id, page.has_more) == (ids[4], ids[3], True)
    assert last(paced).raw_path == "/v1/assistants?limit=2"
    asc = await client.beta.assistants.list(limit=3, order="asc", after=ids[0])
    assert [a.id for a in asc.data] == ids[1:4]
    assert asc.has_more is True
    before = await client.beta.assistants.list(order="asc", before=ids[3], limit=2)
    assert [a.id for a in before.data] == ids[1:3]
    assert before.has_more is True
    tail = await client.beta.assistants.list(order="asc", after=ids[3])
    assert [a.id for a in tail.data] == [ids[4]] and tail.has_more is False
    nxt = await page.get_next_page()
    assert [a.id for a in nxt.data] == ids[::-1][2:4]


async def test_async_for_walks_every_page_lazily(paced: FakeOpenAI, client: AsyncOpenAI) -> None:
    ids = [(await client.beta.assistants.create(model="gpt-4")).id for _ in range(5)]
    paced.requests.clear()
    seen = [a.id async for a in client.beta.assistants.list(limit=2, order="asc")]
    assert seen == ids
    assert [dict(r.query) for r in paced.requests] == [
        {"limit": "2", "order": "asc"},
        {"limit": "2", "order": "asc", "after": ids[1]},
        {"limit": "2", "order": "asc", "after": ids[3]},
    ]
    paced.requests.clear()
    async for _ in client.beta.assistants.list(limit=2):
        break
    assert len(paced.requests) == 1


@pytest.mark.parametrize(
    ("query", "param", "message"),
    [
        ("limit=0", "limit", "Expected a value >= 1, but got 0 instead."),
        ("limit=101", "limit", "Expected a value <= 100, but got 101 instead."),
        ("limit=x", "limit", "expected an integer, but got a string instead."),
        ("order=up", "order", "Invalid value: 'up'. Supported values are: 'asc' and 'desc'."),
    ],
)
async def test_bad_list_queries_are_400s_naming_the_param(
    paced: FakeOpenAI, client: AsyncOpenAI, query: str, param: str, message: str
) -> None:
    name, _, value = query.partition("=")
    with pytest.raises(BadRequestError) as info:
        await client.beta.assistants.list(extra_query={name: value})
    assert info.value.param == param
    assert message in info.value.message


# -- threads and messages -----------------------------------------------------------------------


async def test_thread_crud(paced: FakeOpenAI, client: AsyncOpenAI) -> None:
    thread = await client.beta.threads.create(
        messages=[{"role": "user", "content": "hello"}], metadata={"user": "u1"}
    )
    assert re.fullmatch(r"thread_[A-Za-z0-9]{24}", thread.id)
    assert thread.metadata == {"user": "u1"}
    assert thread.tool_resources == ToolResources()
    assert await client.beta.threads.retrieve(thread.id) == thread
    updated = await client.beta.threads.update(thread.id, metadata={"user": "u2"})
    assert updated.metadata == {"user": "u2"}
    deleted = await client.beta.threads.delete(thread.id)
    assert (deleted.id, deleted.deleted, deleted.object) == (thread.id, True, "thread.deleted")
    with pytest.raises(NotFoundError, match=f"No thread found with id '{thread.id}'"):
        await client.beta.threads.messages.list(thread.id)


async def test_message_crud(paced: FakeOpenAI, client: AsyncOpenAI) -> None:
    thread_id = await new_thread(client, "first")
    messages = client.beta.threads.messages
    created = await messages.create(
        thread_id,
        role="user",
        content=[{"type": "text", "text": "second"}],
        attachments=[{"file_id": "file-1", "tools": [{"type": "code_interpreter"}]}],
        metadata={"k": "v"},
    )
    assert re.fullmatch(r"msg_[A-Za-z0-9]{24}", created.id)
    assert (created.thread_id, created.role, text_of(created)) == (thread_id, "user", "second")
    assert created.attachments is not None and created.attachments[0].file_id == "file-1"
    assert await messages.retrieve(created.id, thread_id=thread_id) == created
    updated = await messages.update(created.id, thread_id=thread_id, metadata={"k": "w"})
    assert updated.metadata == {"k": "w"}
    page = await messages.list(thread_id, order="asc")
    assert [text_of(m) for m in page.data] == ["first", "second"]
    deleted = await messages.delete(created.id, thread_id=thread_id)
    assert (deleted.id, deleted.deleted, deleted.object) == (
        created.id,
        True,
        "thread.message.deleted",
    )
    with pytest.raises(NotFoundError, match=f"No message found with id '{created.id}'"):
        await messages.retrieve(created.id, thread_id=thread_id)


async def test_v1_messages_carry_file_ids(paced: FakeOpenAI, v1: AsyncOpenAI) -> None:
    thread = await v1.beta.threads.create()
    assert thread.tool_resources is None
    message = await v1.beta.threads.messages.create(
        thread.id, role="user", content="see file", file_ids=["file-1"]
    )
    assert message.file_ids == ["file-1"] and message.attachments is None
    raw = await v1.beta.threads.messages.with_raw_response.retrieve(message.id, thread_id=thread.id)
    assert "attachments" not in raw.json() and raw.json()["file_ids"] == ["file-1"]


@pytest.mark.parametrize(
    ("version", "arguments", "param", "message"),
    [
        ("v2", {"role": "system", "content": "x"}, "role", "Invalid value: 'system'."),
        ("v2", {"role": "user"}, "content", "Missing required parameter: 'content'."),
        ("v2", {"content": "x"}, "role", "Missing required parameter: 'role'."),
        ("v2", {"role": "user", "content": ""}, "content", "empty string"),
        ("v2", {"role": "user", "content": "x", "file_ids": []}, None, "Unrecognized"),
        ("v1", {"role": "user", "content": [{"type": "text", "text": "x"}]}, "content", "string"),
        ("v1", {"role": "user", "content": "x", "attachments": []}, None, "Unrecognized"),
        ("v2", {"role": "user", "content": "x", "metadata": {"a": 1}}, "metadata.a", "a string"),
    ],
)
async def test_bad_message_bodies_are_400s(
    paced: FakeOpenAI, version: str, arguments: dict[str, Any], param: str | None, message: str
) -> None:
    async with aiohttp.ClientSession() as session:
        headers = {"Authorization": f"Bearer {KEY}", "OpenAI-Beta": f"assistants={version}"}
        async with session.post(f"{paced.url}/threads", headers=headers, json={}) as resp:
            thread = await resp.json()
        url = f"{paced.url}/threads/{thread['id']}/messages"
        async with session.post(url, headers=headers, json=arguments) as resp:
            assert resp.status == 400
            error = (await resp.json())["error"]
    assert error["param"] == param
    assert message in error["message"]
    assert error["type"] == "invalid_request_error"


# -- runs ---------------------------------------------------------------------------------------


async def test_a_run_goes_queued_in_progress_completed(
    paced: FakeOpenAI, client: AsyncOpenAI
) -> None:
    assistant = await client.beta.assistants.create(model="gpt-4", instructions="Be brief.")
    thread_id = await new_thread(client, "ping")
    runs = client.beta.threads.runs
    run = await runs.create(thread_id, assistant_id=assistant.id)
    assert re.fullmatch(r"run_[A-Za-z0-9]{24}", run.id)
    assert (run.status, run.model, run.instructions, run.usage) == (
        "queued",
        "gpt-4",
        "Be brief.",
        None,
    )
    assert run.expires_at is not None and run.started_at is None
    statuses = [(await runs.retrieve(run.id, thread_id=thread_id)).status for _ in range(3)]
    assert statuses == ["in_progress", "completed", "completed"]
    done = await runs.retrieve(run.id, thread_id=thread_id)
    assert done.completed_at is not None and done.started_at is not None
    assert done.expires_at is None
    assert done.usage is not None and done.usage.total_tokens > 0
    assert done.usage.total_tokens == done.usage.prompt_tokens + done.usage.completion_tokens
    replies = await client.beta.threads.messages.list(thread_id, run_id=run.id)
    assert [(m.role, text_of(m), m.assistant_id) for m in replies.data] == [
        ("assistant", "ping", assistant.id)
    ]
    steps = await runs.steps.list(run.id, thread_id=thread_id)
    assert len(steps.data) == 1
    step = steps.data[0]
    assert re.fullmatch(r"step_[A-Za-z0-9]{24}", step.id)
    assert isinstance(step.step_details, MessageCreationStepDetails)
    assert step.step_details.message_creation.message_id == replies.data[0].id
    assert step.usage is not None and step.usage.total_tokens == done.usage.total_tokens
    assert await runs.steps.retrieve(step.id, thread_id=thread_id, run_id=run.id) == step
    with pytest.raises(NotFoundError, match="No run step found with id 'step_nope'"):
        await runs.steps.retrieve("step_nope", thread_id=thread_id, run_id=run.id)


async def test_scripted_replies(paced: FakeOpenAI, client: AsyncOpenAI) -> None:
    paced.state.assistants.replies["What is 2 + 2?"] = "4"
    paced.state.assistants.configure(polls=0)
    assistant = await client.beta.assistants.create(model="gpt-4")
    run = await client.beta.threads.create_and_run(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "What is 2 + 2?"}]},
    )
    assert run.status == "completed"
    page = await client.beta.threads.messages.list(run.thread_id or "", limit=1)
    assert text_of(page.data[0]) == "4"


async def test_run_list_update_and_overrides(paced: FakeOpenAI, client: AsyncOpenAI) -> None:
    assistant = await client.beta.assistants.create(model="gpt-4", tools=[CodeInterpreterTool()])
    thread_id = await new_thread(client)
    runs = client.beta.threads.runs
    run = await runs.create(
        thread_id,
        assistant_id=assistant.id,
        model="gpt-4o",
        instructions="Override.",
        additional_instructions="More.",
        additional_messages=[{"role": "user", "content": "extra"}],
        metadata={"try": "1"},
        temperature=0.2,
        include=["step_details.tool_calls[*].file_search.results[*].content"],
    )
    assert last(paced).raw_path.endswith(
        "/runs?include%5B%5D=step_details.tool_calls%5B*%5D.file_search.results%5B*%5D.content"
    )
    assert (run.model, run.instructions, run.temperature, run.tools) == (
        "gpt-4o",
        "Override.\nMore.",
        0.2,
        [CodeInterpreterTool()],
    )
    assert run.parallel_tool_calls is True and run.tool_choice == "auto"
    texts = [text_of(m) for m in (await client.beta.threads.messages.list(thread_id)).data]
    assert texts == ["extra", "What is 2 + 2?"]
    updated = await runs.update(run.id, thread_id=thread_id, metadata={"try": "2"})
    assert updated.metadata == {"try": "2"} and updated.status == "queued"
    listed = await runs.list(thread_id)
    assert [r.id for r in listed.data] == [run.id]


async def test_function_tools_require_action_then_complete(
    paced: FakeOpenAI, client: AsyncOpenAI
) -> None:
    other = FunctionTool(function=FunctionDefinition(name="get_time"))
    assistant = await client.beta.assistants.create(model="gpt-4", tools=[WEATHER, other])
    thread_id = await new_thread(client, "Weather?")
    runs = client.beta.threads.runs
    run = await runs.create_and_poll(thread_id=thread_id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    assert run.required_action is not None
    calls = run.required_action.submit_tool_outputs.tool_calls
    assert [(type(c), c.function.name, c.function.arguments) for c in calls] == [
        (RequiredActionFunctionToolCall, "get_weather", "{}"),
        (RequiredActionFunctionToolCall, "get_time", "{}"),
    ]
    assert all(re.fullmatch(r"call_[A-Za-z0-9]{24}", c.id) for c in calls)
    # Still waiting: polling does not move it on.
    assert (await runs.retrieve(run.id, thread_id=thread_id)).status == "requires_action"
    with pytest.raises(BadRequestError, match="Expected tool outputs for call_ids") as info:
        await runs.submit_tool_outputs(
            run.id, thread_id=thread_id, tool_outputs=[{"tool_call_id": calls[0].id}]
        )
    assert info.value.param == "tool_outputs"
    outputs = [{"tool_call_id": c.id, "output": f"out-{i}"} for i, c in enumerate(calls)]
    resumed = await runs.submit_tool_outputs(run.id, thread_id=thread_id, tool_outputs=outputs)
    assert resumed.status == "queued" and resumed.required_action is None
    done = await runs.poll(run.id, thread_id)
    assert done.status == "completed"
    steps = await runs.steps.list(run.id, thread_id=thread_id, order="asc")
    assert [s.type for s in steps.data] == ["tool_calls", "message_creation"]
    details = steps.data[0].step_details
    assert isinstance(details, ToolCallsStepDetails)
    assert all(isinstance(c, FunctionToolCall) for c in details.tool_calls)
    assert [c.function.output for c in details.tool_calls if isinstance(c, FunctionToolCall)] == [
        "out-0",
        "out-1",
    ]
    assert steps.data[0].status == "completed"
    with pytest.raises(BadRequestError, match='Runs in status "completed"'):
        await runs.submit_tool_outputs(run.id, thread_id=thread_id, tool_outputs=outputs)


async def test_parallel_tool_calls_false_asks_for_one_call(
    paced: FakeOpenAI, client: AsyncOpenAI
) -> None:
    other = FunctionTool(function=FunctionDefinition(name="get_time"))
    assistant = await client.beta.assistants.create(model="gpt-4", tools=[WEATHER, other])
    run = await client.beta.threads.runs.create_and_poll(
        thread_id=await new_thread(client), assistant_id=assistant.id, parallel_tool_calls=False
    )
    assert run.required_action is not None
    assert len(run.required_action.submit_tool_outputs.tool_calls) == 1


async def test_cancel_goes_through_cancelling(paced: FakeOpenAI, client: AsyncOpenAI) -> None:
    assistant = await client.beta.assistants.create(model="gpt-4", tools=[WEATHER])
    thread_id = await new_thread(client)
    runs = client.beta.threads.runs
    run = await runs.create_and_poll(thread_id=thread_id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    cancelling = await runs.cancel(run.id, thread_id=thread_id)
    assert cancelling.status == "cancelling"
    cancelled = await runs.retrieve(run.id, thread_id=thread_id)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None
    assert cancelled.required_action is None
    steps = await runs.steps.list(run.id, thread_id=thread_id)
    assert [s.status for s in steps.data] == ["cancelled"]
    with pytest.raises(BadRequestError, match=r"Cannot cancel run with status 'cancelled'\."):
        await runs.cancel(run.id, thread_id=thread_id)


async def test_an_active_run_blocks_messages_and_runs(
    paced: FakeOpenAI, client: AsyncOpenAI
) -> None:
    assistant = await client.beta.assistants.create(model="gpt-4")
    thread_id = await new_thread(client)
    run = await client.beta.threads.runs.create(thread_id, assistant_id=assistant.id)
    with pytest.raises(BadRequestError, match=f"while a run {run.id} is active"):
        await client.beta.threads.messages.create(thread_id, role="user", content="more")
    with pytest.raises(BadRequestError, match=f"already has an active run {run.id}"):
        await client.beta.threads.runs.create(thread_id, assistant_id=assistant.id)
    await client.beta.threads.runs.poll(run.id, thread_id)
    await client.beta.threads.messages.create(thread_id, role="user", content="more")


async def test_unknown_ids_are_404s(paced: FakeOpenAI, client: AsyncOpenAI) -> None:
    thread_id = await new_thread(client)
    runs = client.beta.threads.runs
    with pytest.raises(NotFoundError, match="No assistant found with id 'asst_nope'"):
        await runs.create(thread_id, assistant_id="asst_nope")
    with pytest.raises(NotFoundError, match="No run found with id 'run_nope'"):
        await runs.retrieve("run_nope", thread_id=thread_id)
    with pytest.raises(NotFoundError, match="No thread found with id 'thread_nope'"):
        await runs.list("thread_nope")
    with pytest.raises(NotFoundError, match="No assistant found with id 'asst_nope'"):
        await client.beta.threads.create_and_run(assistant_id="asst_nope")


async def test_v1_run_shape(paced: FakeOpenAI, v1: AsyncOpenAI) -> None:
    assistant = await v1.beta.assistants.create(
        model="gpt-4", tools=[{"type": "retrieval"}], file_ids=["file-1"]
    )
    raw = await v1.beta.threads.with_raw_response.create_and_run(assistant_id=assistant.id)
    body = raw.json()
    assert body["file_ids"] == ["file-1"]
    assert body["tools"] == [{"type": "retrieval"}]
    assert "parallel_tool_calls" not in body
    assert raw.headers[POLL_AFTER_HEADER] == "0"
    run = raw.parse()
    assert isinstance(run, Run) and run.file_ids == ["file-1"]
    # The same run read in v2 shows the v2 names.
    v2 = v1.with_options(assistants_version="v2")
    again = await v2.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id or "")
    assert again.tools == [FileSearchTool()] and again.file_ids is None
    assert again.parallel_tool_calls is True


async def test_a_file_search_run_searches_the_attached_file_and_cites_it(
    paced: FakeOpenAI, v1: AsyncOpenAI
) -> None:
    assistant = await v1.beta.assistants.create(model="gpt-4", tools=[{"type": "retrieval"}])
    thread = await v1.beta.threads.create(
        messages=[{"role": "user", "content": "What does it say?", "file_ids": ["file-9"]}]
    )
    paced.state.assistants.configure(polls=0)
    run = await v1.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    [reply] = (await v1.beta.threads.messages.list(thread.id, run_id=run.id)).data
    block = reply.content[0]
    assert isinstance(block, TextContentBlock)
    assert block.text.value == "What does it say?【0:0†source】"
    [citation] = block.text.annotations
    assert citation.type == "file_citation" and citation.file_citation is not None
    assert citation.file_citation.file_id == "file-9"
    assert block.text.value[citation.start_index : citation.end_index] == citation.text
    steps = (await v1.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc")).data
    assert [s.type for s in steps] == ["tool_calls", "message_creation"]
    assert isinstance(steps[0].step_details, ToolCallsStepDetails)
    assert [c.type for c in steps[0].step_details.tool_calls] == ["retrieval"]  # v1's name
    v2 = v1.with_options(assistants_version="v2")
    again = await v2.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc")
    assert isinstance(again.data[0].step_details, ToolCallsStepDetails)
    assert [c.type for c in again.data[0].step_details.tool_calls] == ["file_search"]
    # without files to search, or without the tool, a run only answers
    plain = await v1.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = await v1.beta.threads.runs.create(plain.id, assistant_id=assistant.id)
    steps = (await v1.beta.threads.runs.steps.list(run.id, thread_id=plain.id)).data
    assert [s.type for s in steps] == ["message_creation"]


@pytest.mark.parametrize(
    ("version", "tool", "supported"),
    [
        ("v1", "file_search", "'code_interpreter', 'function', and 'retrieval'"),
        ("v2", "retrieval", "'code_interpreter', 'function', and 'file_search'"),
    ],
)
async def test_tools_of_the_other_version_are_refused(
    paced: FakeOpenAI, clean_env: None, version: str, tool: str, supported: str
) -> None:
    async with AsyncOpenAI(api_key=KEY, base_url=paced.url, assistants_version=version) as c:
        with pytest.raises(BadRequestError) as info:
            await c.beta.assistants.create(model="gpt-4", tools=[{"type": tool}])
    assert info.value.param == "tools[0].type"
    assert info.value.code == "invalid_value"
    assert supported in info.value.message


# -- FakeOpenAI's own behaviour -----------------------------------------------------------------


async def raw_post(
    fake: FakeOpenAI, path: str, body: Any, headers: dict[str, str] | None = None
) -> tuple[int, Any, Any]:
    send = {"Authorization": f"Bearer {KEY}", **(headers or {})}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{fake.url}{path}", data=body, headers=send) as resp,
    ):
        return resp.status, await resp.json(), resp.headers


V2: Final = {"OpenAI-Beta": "assistants=v2", "Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("body", "param", "message"),
    [
        ({}, "model", "Missing required parameter: 'model'."),
        ({"model": 4}, "model", "Invalid type for 'model': expected a string, but got an integer"),
        ({"model": "gpt-4", "temperature": 3}, "temperature", "Expected a value <= 2, but got 3"),
        ({"model": "gpt-4", "tools": [{"type": "function"}]}, "tools[0].function", "Missing"),
        (
            {"model": "gpt-4", "tools": [{"type": "function", "function": {}}]},
            "tools[0].function.name",
            "Missing",
        ),
        (
            {"model": "gpt-4", "surprise": 1},
            None,
            "Unrecognized request argument supplied: surprise",
        ),
    ],
)
async def test_fake_checks_assistant_bodies(
    paced: FakeOpenAI, body: dict[str, Any], param: str | None, message: str
) -> None:
    status, data, _ = await raw_post(paced, "/assistants", json.dumps(body), V2)
    assert status == 400
    assert data["error"]["param"] == param
    assert message in data["error"]["message"]


async def test_fake_needs_a_known_beta_header(paced: FakeOpenAI) -> None:
    body = json.dumps({"model": "gpt-4"})
    status, data, _ = await raw_post(paced, "/assistants", body)
    assert status == 400
    assert "You must provide the 'OpenAI-Beta' header" in data["error"]["message"]
    status, data, _ = await raw_post(paced, "/assistants", body, {"OpenAI-Beta": "assistants=v9"})
    assert status == 400 and data["error"]["code"] == "invalid_beta"
    status, _, _ = await raw_post(
        paced, "/assistants", body, {**V2, "OpenAI-Beta": "realtime=v1, assistants=v1"}
    )
    assert status == 200
    status, data, _ = await raw_post(paced, "/assistants", "{not json", V2)
    assert status == 400 and "could not parse the JSON body" in data["error"]["message"]
    status, data, _ = await raw_post(paced, "/assistants", "[1]", V2)
    assert status == 400


async def test_fake_can_stop_serving_v1(paced: FakeOpenAI, v1: AsyncOpenAI) -> None:
    paced.state.assistants.configure(versions=["v2"])
    with pytest.raises(BadRequestError, match="The v1 Assistants API has been deprecated"):
        await v1.beta.assistants.list()


async def test_fake_sends_poll_after_ms_on_runs(paced: FakeOpenAI, client: AsyncOpenAI) -> None:
    paced.state.assistants.configure(poll_after_ms=250)
    assistant = await client.beta.assistants.create(model="gpt-4")
    raw = await client.beta.threads.runs.with_raw_response.create(
        await new_thread(client), assistant_id=assistant.id
    )
    assert raw.headers[POLL_AFTER_HEADER] == "250"
    plain = await client.beta.assistants.with_raw_response.retrieve(assistant.id)
    assert POLL_AFTER_HEADER not in plain.headers


async def test_default_pacing_completes_a_run_within_about_a_second(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    now = [1000.0]
    state = fake.state.assistants
    assert state.pacing == RunPacing(polls=None, seconds=0.4, poll_after_ms=100)
    state.clock = lambda: now[0]
    assistant = await client.beta.assistants.create(model="gpt-4")
    thread_id = await new_thread(client)
    runs = client.beta.threads.runs
    run = await runs.create(thread_id, assistant_id=assistant.id)
    seen = []
    for at in (1000.0, 1000.39, 1000.4, 1000.79, 1000.8, 1005.0):
        now[0] = at
        seen.append((await runs.retrieve(run.id, thread_id=thread_id)).status)
    assert seen == ["queued", "queued", "in_progress", "in_progress", "completed", "completed"]


async def test_time_pacing_catches_up_on_any_read(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    now = [0.0]
    fake.state.assistants.clock = lambda: now[0]
    fake.state.assistants.configure(seconds=2.0)
    assistant = await client.beta.assistants.create(model="gpt-4")
    thread_id = await new_thread(client, "late")
    await client.beta.threads.runs.create(thread_id, assistant_id=assistant.id)
    now[0] = 3.9
    assert len((await client.beta.threads.messages.list(thread_id)).data) == 1
    now[0] = 4.0
    page = await client.beta.threads.messages.list(thread_id)
    assert [m.role for m in page.data] == ["assistant", "user"]


def test_pacing_is_checked() -> None:
    with pytest.raises(ValueError, match="polls"):
        RunPacing(polls=-1)
    with pytest.raises(ValueError, match="seconds"):
        RunPacing(seconds=-1)
    with pytest.raises(ValueError, match="poll_after_ms"):
        RunPacing(poll_after_ms=-1)


async def test_state_survives_a_restart_and_clears(paced: FakeOpenAI, client: AsyncOpenAI) -> None:
    assistant = await client.beta.assistants.create(model="gpt-4")
    await paced.stop()
    await paced.start()
    assert (await client.beta.assistants.retrieve(assistant.id)).id == assistant.id
    paced.state.assistants.clear()
    with pytest.raises(NotFoundError):
        await client.beta.assistants.retrieve(assistant.id)
