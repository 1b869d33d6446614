"""ChatKit (beta) and the beta Responses REST calls against FakeOpenAI."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support import FakeClock

from aio_openai import AsyncOpenAI, BadRequestError, NotFoundError
from aio_openai.testing import FakeOpenAI
from aio_openai.types.beta.beta_response import BetaResponse
from aio_openai.types.beta.chatkit.chatkit_thread_assistant_message_item import (
    ChatKitThreadAssistantMessageItem,
)
from aio_openai.types.beta.chatkit.chatkit_thread_user_message_item import (
    ChatKitThreadUserMessageItem,
)

WORKFLOW = {"id": "wf_support"}


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as server:
        server.state.chatkit.clock = FakeClock(2_000_000.0)
        yield server


# -- ChatKit -----------------------------------------------------------------------------------


async def test_a_session_expires_or_is_cancelled(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    sessions = client.beta.chatkit.sessions
    session = await sessions.create(
        user="ada",
        workflow={"id": "wf_support", "state_variables": {"tier": "gold"}},
        expires_after={"anchor": "created_at", "seconds": 300},
        rate_limits={"max_requests_per_1_minute": 30},
        chatkit_configuration={"history": {"enabled": False}},
    )
    assert fake.requests[-1].headers["OpenAI-Beta"] == "chatkit_beta=v1"
    assert session.status == "active" and session.client_secret.startswith("ek_")
    assert session.expires_at == 2_000_300 and session.max_requests_per_1_minute == 30
    assert session.workflow.state_variables == {"tier": "gold"}
    assert session.chatkit_configuration.history.enabled is False
    assert session.chatkit_configuration.automatic_thread_titling.enabled is True
    other = await sessions.create(user="ada", workflow=WORKFLOW)  # type: ignore[arg-type]
    fake.state.chatkit.clock.now += 300  # type: ignore[attr-defined]
    assert (await sessions.cancel(session.id)).status == "expired"  # it had expired first
    assert fake.state.chatkit.session(other.id)["status"] == "active"  # 10 minutes
    assert (await sessions.cancel(other.id)).status == "cancelled"
    with pytest.raises(NotFoundError):
        await sessions.cancel("cksess_nope")


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"user": "", "workflow": WORKFLOW}, "user"),
        ({"user": "ada", "workflow": {"id": ""}}, "workflow.id"),
        (
            {
                "user": "ada",
                "workflow": WORKFLOW,
                "expires_after": {"anchor": "created_at", "seconds": 601},
            },
            "expires_after.seconds",
        ),
    ],
)
async def test_a_bad_session_names_its_parameter(
    client: AsyncOpenAI, body: dict[str, object], param: str
) -> None:
    with pytest.raises(BadRequestError) as info:
        await client.beta.chatkit.sessions.create(**body)  # type: ignore[arg-type]
    assert info.value.param == param


async def test_threads_are_listed_read_and_deleted(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    threads = client.beta.chatkit.threads
    first = fake.state.chatkit.add_thread(
        "ada", ["Where is my order?", "On its way."], title="Order"
    )
    second = fake.state.chatkit.add_thread("ada", ["Hello"])
    fake.state.chatkit.add_thread("grace", ["Hi"])
    assert [t.id async for t in threads.list(user="ada", order="asc", limit=1)] == [first, second]
    page = await threads.list(limit=2)
    assert page.has_more and len(page.data) == 2 and page.last_id == page.data[-1].id
    thread = await threads.retrieve(first)
    assert (thread.title, thread.user, thread.status.type) == ("Order", "ada", "active")
    items = await threads.list_items(first, order="asc")
    user, assistant = items.data
    assert isinstance(user, ChatKitThreadUserMessageItem)
    assert isinstance(assistant, ChatKitThreadAssistantMessageItem)
    assert user.content[0].text == "Where is my order?"
    assert assistant.content[0].text == "On its way."
    assert (await threads.delete(first)).deleted is True
    with pytest.raises(NotFoundError) as info:
        await threads.retrieve(first)
    assert info.value.param == "thread_id"
    with pytest.raises(NotFoundError):
        await threads.list_items(first)
    assert [t.id async for t in threads.list(user="ada")] == [second]


# -- beta Responses ----------------------------------------------------------------------------


async def test_beta_responses_are_marked_and_typed(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    responses = client.beta.responses
    response = await responses.create(
        model="gpt-4o",
        input="Say hi",
        betas=["responses_multi_agent=v1"],
        multi_agent={"enabled": True},
        extra_headers={"X-Trace": "1"},
    )
    sent = fake.requests[-1]
    assert sent.query["beta"] == "true"
    assert sent.headers["openai-beta"] == "responses_multi_agent=v1"
    assert sent.headers["X-Trace"] == "1" and "betas" not in sent.json
    assert isinstance(response, BetaResponse)
    assert response.output[0].content[0].text == "Say hi"  # type: ignore[index]
    assert (await responses.retrieve(response.id)).id == response.id
    items = [item.type async for item in responses.input_items.list(response.id)]
    assert items == ["message"]
    assert (await responses.input_tokens.count(model="gpt-4o", input="Say hi")).input_tokens > 0
    await responses.delete(response.id, betas=["responses_multi_agent=v1"])
    assert fake.requests[-1].headers["openai-beta"] == "responses_multi_agent=v1"
    with pytest.raises(NotFoundError):
        await responses.retrieve(response.id)


async def test_the_callers_header_wins_over_betas(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    await client.beta.responses.create(
        model="gpt-4o",
        input="hi",
        betas=["responses_multi_agent=v1"],
        extra_headers={"openai-beta": "x=1"},
    )
    assert fake.requests[-1].headers.getall("openai-beta") == ["x=1"]


async def test_only_the_beta_api_takes_multi_agent(client: AsyncOpenAI) -> None:
    with pytest.raises(BadRequestError) as info:
        await client.responses.create(model="gpt-4o", input="hi", extra_body={"multi_agent": {}})
    assert info.value.param == "multi_agent"


async def test_a_beta_stream_and_a_background_response(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    stream = await client.beta.responses.create(model="gpt-4o", input="Say hi", stream=True)
    events = [event async for event in stream]
    assert events[0].type == "response.created" and events[-1].type == "response.completed"
    assert type(events[-1]).__name__ == "BetaResponseCompletedEvent"
    background = await client.beta.responses.create(model="gpt-4o", input="hi", background=True)
    replay = await client.beta.responses.retrieve(background.id, stream=True)
    assert [e.type async for e in replay][-1] == "response.completed"
    cancelled = await client.beta.responses.cancel(
        (await client.beta.responses.create(model="gpt-4o", input="x", background=True)).id
    )
    assert cancelled.status == "cancelled"
    compacted = await client.beta.responses.compact(model="gpt-4o", input="Say hi")
    assert compacted.output
