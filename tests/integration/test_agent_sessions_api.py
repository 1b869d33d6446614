"""client.beta.agents.sessions against FakeOpenAI's stateful sessions; the fake's answers and
events structured by the official SDK's own models (the API is not in OpenAI's spec)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pydantic
import pytest
from openai.types.beta.agent_session import AgentSession as SDKAgentSession
from openai.types.beta.agent_session_event import AgentSessionEvent as SDKEvent
from openai.types.beta.agent_session_item import AgentSessionItem as SDKItem
from openai.types.beta.agents.sessions.session_artifact import SessionArtifact as SDKArtifact
from openai.types.beta.agents.sessions.session_trace import SessionTrace as SDKTrace
from openai.types.beta.agents.sessions.turn import Turn as SDKTurn
from openai.types.beta.subagent import Subagent as SDKSubagent

from aio_openai import APIConnectionError, AsyncOpenAI, BadRequestError, NotFoundError, OpenAIError
from aio_openai.lib.beta.agents import (
    AgentOutputParseError,
    AgentTurnResultError,
    AsyncAgentSessionEventStream,
)
from aio_openai.testing import FakeOpenAI

AGENT = {"model": "gpt-5", "instructions": "Be brief."}
NONE_ENV: Any = {"type": "none"}


async def _session(client: AsyncOpenAI, **extra: Any) -> Any:
    return await client.beta.agents.sessions.create(
        **{"environment": NONE_ENV, "agent": AGENT, **extra}
    )


async def test_sessions_are_stored_updated_listed_and_deleted(client: AsyncOpenAI) -> None:
    sessions = client.beta.agents.sessions
    agent_id = (await client.beta.agents.create(model="gpt-4o")).id
    made = await sessions.create(environment=NONE_ENV, agent_id=agent_id, metadata={"team": "a"})
    assert made.status == "idle" and made.agent.id == agent_id
    other = await _session(client)
    assert (await sessions.retrieve(made.id)).metadata == {"team": "a"}
    updated = await sessions.update(made.id, metadata={"team": "b"}, review="auto_review")
    assert updated.metadata == {"team": "b"} and updated.review == "auto_review"
    assert [s.id async for s in sessions.list(order="asc")] == [made.id, other.id]
    assert [s.id async for s in sessions.list(agent_id=agent_id)] == [made.id]
    assert [s.id async for s in sessions.list(metadata={"team": "b"})] == [made.id]
    gone = await sessions.delete(made.id)
    assert gone.deleted and gone.id == made.id
    with pytest.raises(NotFoundError) as caught:
        await sessions.retrieve(made.id)
    assert caught.value.param == "session_id"


async def test_bad_input_is_refused_with_the_parameter_named(client: AsyncOpenAI) -> None:
    sessions = client.beta.agents.sessions
    with pytest.raises(BadRequestError) as caught:
        await sessions.create(environment={"type": "moon"}, agent=AGENT)  # type: ignore[typeddict-item]
    assert caught.value.param == "type"
    with pytest.raises(BadRequestError) as caught:
        await sessions.create(environment=NONE_ENV)
    assert caught.value.param == "agent.model"
    session = await _session(client)
    with pytest.raises(BadRequestError) as caught:
        await sessions.events.create(session.id, events=[])
    assert caught.value.param == "events"
    with pytest.raises(NotFoundError):
        await sessions.events.create("sess_nope", events=[{"type": "agent.session.input.cancel"}])


async def test_an_input_runs_a_turn_leaving_items_traces_artifacts_subagents(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.state.agent_sessions.reply = "Here it is."
    sessions = client.beta.agents.sessions
    session = await _session(client)
    message = {
        "role": "user",
        "content": [{"type": "input_text", "text": "write a file, ask a subagent"}],
    }
    await sessions.events.create(
        session.id,
        events=[{"type": "agent.session.input.message", "input": [message]}],  # type: ignore[list-item]
        idempotency_key="key-1",
    )
    sent = fake.requests[-1]
    assert sent.headers["Idempotency-Key"] == "key-1" and sent.headers["OpenAI-Beta"] == "agents=v1"
    turns = [t async for t in sessions.turns.list(session.id)]
    assert len(turns) == 1 and turns[0].status == "completed" and turns[0].usage is not None
    assert (await sessions.turns.retrieve(turns[0].id, session_id=session.id)).id == turns[0].id
    items = [i async for i in sessions.items.list(session.id, order="asc")]
    assert [i.role for i in items] == ["user", "assistant"]  # type: ignore[union-attr]
    page = await sessions.turns.items.list(turns[0].id, session_id=session.id)
    assert [i.id for i in page.data] == [i.id for i in items[::-1]]
    traces = [t async for t in sessions.traces.list(session.id)]
    assert len(traces) == 1 and traces[0].otlp
    artifact = (await sessions.artifacts.list(session.id)).data[0]
    assert artifact.path == "answer.md" and artifact.turn_id == turns[0].id
    assert (await sessions.artifacts.retrieve(artifact.id, session_id=session.id)).size_bytes == 11
    content = await sessions.artifacts.content(artifact.id, session_id=session.id)
    assert content.content == b"Here it is."
    assert (await sessions.artifacts.delete(artifact.id, session_id=session.id)).deleted
    with pytest.raises(NotFoundError):
        await sessions.artifacts.retrieve(artifact.id, session_id=session.id)
    subagent = (await sessions.subagents.list(session.id)).data[0]
    ids = {"session_id": session.id}
    assert (await sessions.subagents.retrieve(subagent.id, **ids)).status == "closed"
    sub_turn = (await sessions.subagents.turns.list(subagent.id, **ids)).data[0]
    assert sub_turn.subagent_id == subagent.id
    got = await sessions.subagents.turns.retrieve(sub_turn.id, subagent_id=subagent.id, **ids)
    assert got.id == sub_turn.id
    sub_items = await sessions.subagents.items.list(subagent.id, **ids)
    turn_items = await sessions.subagents.turns.items.list(
        sub_turn.id, subagent_id=subagent.id, **ids
    )
    assert [i.id for i in sub_items.data] == [i.id for i in turn_items.data] != []


async def test_the_stream_helper_runs_one_turn_and_reads_its_result(
    client: AsyncOpenAI, fake: FakeOpenAI, tmp_path: Path
) -> None:
    fake.state.agent_sessions.reply = "Saved it."
    sessions = client.beta.agents.sessions
    session = await _session(client)
    async with sessions.stream(session.id, input="save a file") as stream:
        kinds = []
        async for event in stream:
            kinds.append(event.type)
    assert kinds[0] == "agent.session.idle" and kinds[-1] == "agent.session.idle"
    assert "agent.session.turn.output_text.delta" in kinds
    assert "agent.session.turn.completed" in kinds
    async with sessions.stream(session.id, input="another file please") as stream:
        result = await stream.get_final_result()
    assert result.output_text == "Saved it." and result.session_id == session.id
    files = sessions.artifacts.for_result(result)
    assert (await files.content("answer.md")).content == b"Saved it."
    saved = await files.download("answer.md", tmp_path / "a.md")
    assert saved.turn_id == result.turn_id and (tmp_path / "a.md").read_bytes() == b"Saved it."
    with pytest.raises(ValueError, match="No artifact"):
        await files.content("other.md")
    with pytest.raises(ValueError, match="empty"):
        sessions.stream(session.id, input="")
    with pytest.raises(ValueError, match="stream=True"):
        await sessions.create(environment=NONE_ENV, agent=AGENT, tool_handlers={"f": dict})


async def test_a_subscriber_sees_a_turn_sent_after_it_subscribed(client: AsyncOpenAI) -> None:
    sessions = client.beta.agents.sessions
    session = await _session(client)
    stream = await sessions.events.stream(session.id)
    first = await stream.__anext__()
    assert first.type == "agent.session.idle"
    await sessions.events.create(
        session.id,
        events=[{"type": "agent.session.input.message", "input": "hello"}],  # type: ignore[list-item]
    )
    rest = [event.type async for event in stream]
    assert rest[0] == "agent.session.turn.created" and rest[-1] == "agent.session.idle"


async def test_create_streams_the_first_turn(client: AsyncOpenAI) -> None:
    stream = await client.beta.agents.sessions.create(
        environment=NONE_ENV, agent=AGENT, input="hi", stream=True
    )
    assert type(stream).__name__ == "AsyncAgentSessionEventStream"
    kinds = [event.type async for event in stream]
    assert kinds[0] == "agent.session.created" and kinds[-1] == "agent.session.idle"
    assert "agent.session.turn.item.done" in kinds


async def test_the_fake_speaks_the_sdk_wire_format(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    sessions = client.beta.agents.sessions.with_raw_response
    raw = await sessions.create(environment=NONE_ENV, agent=AGENT)
    session = SDKAgentSession.model_validate(raw.json())
    _, events = fake.state.agent_sessions.create(
        {"environment": NONE_ENV, "agent": AGENT, "input": "a file, a subagent"}
    )
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(SDKEvent)
    assert {type(adapter.validate_python(e)).__name__ for e in events} >= {
        "AgentSessionCreatedEvent",
        "AgentSessionTurnOutputTextDeltaEvent",
        "AgentSessionTurnItemDoneEvent",
        "AgentSessionTurnCompletedEvent",
        "AgentSessionIdleEvent",
    }
    sid = events[0]["session"]["id"]

    async def data(page: Any) -> list[Any]:
        return list((await page).json()["data"])

    items = pydantic.TypeAdapter(list[SDKItem]).validate_python(
        await data(sessions.items.list(sid))
    )
    assert len(items) == 2
    turn = SDKTurn.model_validate((await data(sessions.turns.list(sid)))[0])
    SDKTrace.model_validate((await data(sessions.traces.list(sid)))[0])
    SDKArtifact.model_validate((await data(sessions.artifacts.list(sid)))[0])
    SDKSubagent.model_validate((await data(sessions.subagents.list(sid)))[0])
    assert turn.session_id == sid and session.status == "idle"


LOOKUP: Any = {
    "type": "function",
    "name": "lookup",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
}


async def _check_answered(client: AsyncOpenAI, session_id: str) -> None:
    """The session's items are those of a turn whose lookup call was answered."""
    items = [i async for i in client.beta.agents.sessions.items.list(session_id, order="asc")]
    kinds = ["message", "function_call", "function_call_output", "message"]
    assert [i.type for i in items] == kinds
    assert items[2].output == '{"temp":21}'  # type: ignore[union-attr]


async def test_tool_handlers_answer_the_turns_function_calls(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.state.agent_sessions.reply = "It is mild."
    sessions = client.beta.agents.sessions
    session = await _session(client, agent={**AGENT, "tools": [LOOKUP]})
    seen: list[dict[str, Any]] = []

    async def lookup(arguments: dict[str, Any]) -> dict[str, Any]:
        seen.append(arguments)
        return {"temp": 21}

    stream = sessions.stream(
        session.id, input="Weather in Lisbon?", tool_handlers={"lookup": lookup}
    )
    async with stream:
        result = await stream.get_final_result()
    assert seen == [{"city": "Lisbon"}] and result.output_text == "It is mild."
    await _check_answered(client, session.id)
    assert (await sessions.retrieve(session.id)).status == "idle"


async def test_a_failing_handler_sends_a_failure_without_its_text(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    sessions = client.beta.agents.sessions
    session = await _session(client, agent={**AGENT, "tools": [LOOKUP]})
    failures: list[Any] = []

    def lookup(arguments: dict[str, Any]) -> str:
        raise RuntimeError("secret-token-123")

    async with sessions.stream(
        session.id,
        input="Weather in Lisbon?",
        tool_handlers={"lookup": lookup},
        on_tool_error=failures.append,
    ) as stream:
        kinds = [event.type async for event in stream]
    assert "agent.session.requires_action" in kinds and kinds[-1] == "agent.session.idle"
    (failure,) = failures
    assert (failure.stage, failure.tool_name, str(failure.error)) == (
        "execution",
        "lookup",
        "secret-token-123",
    )
    sent = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/events")]
    assert sent[-1].json["events"][0]["success"] is False
    assert "secret-token-123" not in json.dumps(sent[-1].json)
    output = [i async for i in sessions.items.list(session.id)][1]
    assert (output.type, output.status) == ("function_call_output", "failed")  # type: ignore[union-attr]


async def test_a_tool_result_for_no_pending_call_is_refused(client: AsyncOpenAI) -> None:
    session = await _session(client)
    result: Any = {
        "type": "agent.session.input.tool_result",
        "turn_id": "turn_1",
        "call_id": "call_nope",
        "success": True,
        "output": "x",
    }
    with pytest.raises(BadRequestError) as caught:
        await client.beta.agents.sessions.events.create(session.id, events=[result])
    assert caught.value.param == "events[0].call_id"


class City(pydantic.BaseModel):
    name: str
    population: int


async def test_output_type_asks_for_a_schema_and_parses_the_answer(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    sessions = client.beta.agents.sessions
    session = await sessions.create(environment=NONE_ENV, agent=AGENT, output_type=City)
    sent_format = fake.requests[-1].json["agent"]["text"]["format"]
    assert sent_format["type"] == "json_schema"
    assert sent_format["schema"]["required"] == ["name", "population"]
    async with sessions.stream(session.id, input="Lisbon has 545000 people", output_type=City) as s:
        result = await s.get_final_result()
    assert result.output_parsed == City(name="Lisbon", population=545000)
    plain = await _session(client)
    with pytest.raises(AgentOutputParseError) as caught:
        async with sessions.stream(plain.id, input="hi", output_type=City) as s:
            await s.get_final_result()
    assert caught.value.result.output_text == fake.state.agent_sessions.reply
    with pytest.raises(ValueError, match="not both"):
        await sessions.create(
            environment=NONE_ENV,
            agent={**AGENT, "text": {"format": {"type": "text"}}},
            output_type=City,
        )


async def test_function_call_events_are_the_sdks(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    state = fake.state.agent_sessions
    record, _ = state.create({"environment": NONE_ENV, "agent": {**AGENT, "tools": [LOOKUP]}})
    waiting = state.submit(
        record["id"], [{"type": "agent.session.input.message", "input": "Weather in Lisbon?"}]
    )
    added = [e["item"] for e in waiting if e["type"] == "agent.session.turn.item.added"]
    (call,) = [item for item in added if item["type"] == "function_call"]
    result = {"type": "agent.session.input.tool_result", "call_id": call["call_id"], "output": "21"}
    done = state.submit(record["id"], [{**result, "turn_id": call["turn_id"], "success": True}])
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(SDKEvent)
    kinds = {type(adapter.validate_python(e)).__name__ for e in waiting + done}
    assert {"AgentSessionRequiresActionEvent", "AgentSessionTurnItemAddedEvent"} <= kinds
    SDKAgentSession.model_validate(next(e["session"] for e in waiting if "session" in e))


async def test_a_saved_agent_runs_its_sessions(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    agents, sessions = client.beta.agents, client.beta.agents.sessions
    saved = await agents.create(
        model="gpt-4o", instructions="Be terse.", name="Weatherman", tools=[LOOKUP]
    )
    raw = await sessions.with_raw_response.create(environment=NONE_ENV, agent_id=saved.id)
    session = raw.parse()
    SDKAgentSession.model_validate(raw.json())
    assert (session.agent.id, session.agent.model, session.agent.instructions) == (
        saved.id,
        "gpt-4o",
        "Be terse.",
    )
    assert session.agent.name == "Weatherman"
    assert [tool.name for tool in session.agent.tools] == ["lookup"]  # type: ignore[union-attr]
    # its tools are the turn's: the fake model calls the agent's function
    waiting = fake.state.agent_sessions.submit(
        session.id, [{"type": "agent.session.input.message", "input": "Weather in Oslo?"}]
    )
    assert "agent.session.requires_action" in [e["type"] for e in waiting]
    # the inline agent's given fields win over the saved agent's, for this session
    other = await sessions.create(
        environment=NONE_ENV, agent_id=saved.id, agent={"instructions": "Be kind."}
    )
    assert (other.agent.model, other.agent.instructions) == ("gpt-4o", "Be kind.")
    assert (await agents.retrieve(saved.id)).instructions == "Be terse."
    for stream in (False, True):
        with pytest.raises(NotFoundError) as caught:
            await sessions.create(
                environment=NONE_ENV, agent_id="agent_nope", input="hi", stream=stream
            )
        assert caught.value.param == "agent_id" and "agent_nope" in caught.value.message


async def test_create_stream_answers_function_calls_with_tool_handlers(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.state.agent_sessions.reply = "It is mild."
    sessions = client.beta.agents.sessions
    seen: list[dict[str, Any]] = []

    async def lookup(arguments: dict[str, Any]) -> dict[str, Any]:
        seen.append(arguments)
        return {"temp": 21}

    stream = await sessions.create(
        environment=NONE_ENV,
        agent={**AGENT, "tools": [LOOKUP]},
        input="Weather in Lisbon?",
        stream=True,
        tool_handlers={"lookup": lookup},
        idempotency_key="create-key",
    )
    assert isinstance(stream, AsyncAgentSessionEventStream)
    result = await stream.get_final_result()
    assert seen == [{"city": "Lisbon"}] and result.output_text == "It is mild."
    assert result.turn.status == "completed" and stream.closed
    await _check_answered(client, result.session_id)
    (sent,) = [r for r in fake.requests if r.path.endswith("/events")]
    assert sent.headers["Idempotency-Key"] not in ("", "create-key")
    # read event by event, the calls are answered as they come
    stream = await sessions.create(
        environment=NONE_ENV,
        agent={**AGENT, "tools": [LOOKUP]},
        input="Weather in Porto?",
        stream=True,
        tool_handlers={"lookup": lookup},
    )
    kinds = [event.type async for event in stream]
    assert kinds[0] == "agent.session.created" and kinds[-1] == "agent.session.idle"
    assert "agent.session.requires_action" in kinds and "agent.session.turn.completed" in kinds
    assert seen[-1] == {"city": "Porto"}


async def test_create_stream_collects_the_first_turns_result(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    sessions = client.beta.agents.sessions
    stream = await sessions.create(
        environment=NONE_ENV,
        agent=AGENT,
        input="Lisbon has 545000 people",
        stream=True,
        output_type=City,
    )
    first = await stream.__anext__()  # read some, then collect the rest
    assert first.type == "agent.session.created"
    result = await stream.with_result_collection().get_final_result()
    assert result.output_parsed == City(name="Lisbon", population=545000)
    assert result.session_id == first.session.id  # type: ignore[union-attr]
    assert await stream.get_final_result() is result  # made once


async def test_a_turn_without_a_result_raises_agent_turn_result_error(
    client: AsyncOpenAI,
) -> None:
    sessions = client.beta.agents.sessions
    assert issubclass(AgentTurnResultError, OpenAIError)
    # a function call no handler answers: the session waits for an action
    stream = await sessions.create(
        environment=NONE_ENV, agent={**AGENT, "tools": [LOOKUP]}, input="Weather?", stream=True
    )
    with pytest.raises(AgentTurnResultError) as caught:
        await stream.get_final_result()
    error = caught.value
    assert error.reason == "requires_action" and error.turn is not None
    assert [a.name for a in error.required_actions] == ["lookup"]
    assert error.session_id is not None and error.turn_id == error.turn.id and stream.closed
    # sessions.stream: the same, where it waited for the session before
    session = await _session(client, agent={**AGENT, "tools": [LOOKUP]})
    with pytest.raises(AgentTurnResultError) as caught:
        async with sessions.stream(session.id, input="Weather?") as turn:
            await turn.get_final_result()
    assert caught.value.reason == "requires_action" and caught.value.session_id == session.id
    # no input, no turn
    stream = await sessions.create(environment=NONE_ENV, agent=AGENT, stream=True)
    with pytest.raises(AgentTurnResultError) as caught:
        await stream.get_final_result()
    assert caught.value.reason == "incomplete" and caught.value.turn is None


async def test_a_cut_stream_gives_observation_failed_from_its_error(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.faults.push("POST /v1/agents/sessions", kind="stream_cut", after=600)
    stream = await client.beta.agents.sessions.create(
        environment=NONE_ENV, agent=AGENT, input="hi", stream=True
    )
    with pytest.raises(AgentTurnResultError) as caught:
        await stream.get_final_result()
    assert caught.value.reason == "observation_failed" and stream.closed
    assert isinstance(caught.value.__cause__, APIConnectionError)
    assert fake.faults.injected["stream_cut"] == 1
