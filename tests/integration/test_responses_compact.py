"""``responses.compact`` and ``responses.input_tokens.count`` end to end, the real client
against FakeOpenAI: a compaction keeps the user messages and seals the rest in one
``compaction`` item that later turns take as input (and count as its shorter summary); the
count is what ``create`` reports as ``usage.input_tokens`` for the same request."""

from __future__ import annotations

from typing import Any, Final

import pytest

from aio_openai import AsyncOpenAI, BadRequestError, NotFoundError
from aio_openai.testing import FakeOpenAI
from aio_openai.types.responses import (
    CompactedResponse,
    InputTokenCountResponse,
    ResponseCompactionItem,
)

MODEL: Final = "gpt-4o"
LONG: Final = "A long answer about the weather in every city of Europe. " * 20


@pytest.fixture
def scripted(fake: FakeOpenAI) -> FakeOpenAI:
    fake.state.responses.replies["Tell me everything."] = LONG
    return fake


async def test_compact_keeps_the_user_messages_and_seals_the_rest(
    client: AsyncOpenAI, scripted: FakeOpenAI
) -> None:
    first = await client.responses.create(model=MODEL, input="Tell me everything.")
    compacted = await client.responses.compact(
        model=MODEL, previous_response_id=first.id, input="And now?"
    )
    assert isinstance(compacted, CompactedResponse)
    assert compacted.object == "response.compaction" and compacted.id.startswith("resp_")
    *kept, sealed = compacted.output
    # typed as the SDK types them: output items (an input_text part is no output part)
    assert [(item.type, getattr(item, "role", None)) for item in kept] == [("message", "user")] * 2
    assert [item.content[0].text for item in kept] == [  # type: ignore[union-attr]
        "Tell me everything.",
        "And now?",
    ]
    assert isinstance(sealed, ResponseCompactionItem) and sealed.encrypted_content
    assert LONG not in sealed.encrypted_content  # sealed, not the text itself
    usage = compacted.usage
    assert usage.input_tokens > usage.output_tokens > 0
    assert usage.total_tokens == usage.input_tokens + usage.output_tokens


async def test_the_compacted_output_is_a_shorter_context_for_the_next_turn(
    client: AsyncOpenAI, scripted: FakeOpenAI
) -> None:
    first = await client.responses.create(model=MODEL, input="Tell me everything.")
    chained = await client.responses.create(
        model=MODEL, previous_response_id=first.id, input="Thanks."
    )
    compacted = await client.responses.compact(model=MODEL, previous_response_id=first.id)
    resumed = await client.responses.create(
        model=MODEL, input=[*compacted.output, {"role": "user", "content": "Thanks."}]
    )
    assert resumed.output_text == "Thanks."
    assert chained.usage is not None and resumed.usage is not None
    assert resumed.usage.input_tokens < chained.usage.input_tokens
    # the summary still counts: more than the user messages alone
    users = [
        {"role": "user", "content": "Tell me everything."},
        {"role": "user", "content": "Thanks."},
    ]
    bare = await client.responses.input_tokens.count(model=MODEL, input=users)
    assert resumed.usage.input_tokens > bare.input_tokens
    items = [item async for item in client.responses.input_items.list(resumed.id, order="asc")]
    assert [item.type for item in items] == ["message", "compaction", "message"]


async def test_compact_takes_the_input_alone_and_refuses_what_openai_refuses(
    client: AsyncOpenAI,
) -> None:
    items: list[Any] = [
        {"role": "user", "content": "Plan a trip."},
        {"role": "assistant", "content": "Lisbon, then Porto."},
        {"type": "function_call", "call_id": "c1", "name": "book", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "c1", "output": "booked"},
    ]
    compacted = await client.responses.compact(model=MODEL, input=items, instructions="Short.")
    assert [item.type for item in compacted.output] == ["message", "compaction"]
    counted = await client.responses.input_tokens.count(input=items, instructions="Short.")
    assert compacted.usage.input_tokens == counted.input_tokens
    with pytest.raises(NotFoundError) as missing:
        await client.responses.compact(model=MODEL, previous_response_id="resp_nope")
    assert missing.value.param == "previous_response_id"
    with pytest.raises(BadRequestError) as info:
        await client.responses.compact(model=MODEL)
    assert info.value.param == "input"
    with pytest.raises(TypeError, match="'model'"):
        await client.responses.compact(input="x")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"input": "How many tokens is this?"}, id="text"),
        pytest.param(
            {
                "input": [{"role": "user", "content": "Two"}, {"role": "user", "content": "parts"}],
                "instructions": "Answer in French.",
            },
            id="items-and-instructions",
        ),
    ],
)
async def test_the_count_is_what_create_reports(
    client: AsyncOpenAI, fake: FakeOpenAI, body: dict[str, Any]
) -> None:
    counted = await client.responses.input_tokens.count(model=MODEL, **body)
    assert isinstance(counted, InputTokenCountResponse)
    assert counted.object == "response.input_tokens"
    made = await client.responses.create(model=MODEL, **body)
    assert made.usage is not None and counted.input_tokens == made.usage.input_tokens
    assert fake.requests[-2].path == "/v1/responses/input_tokens"


async def test_the_count_includes_the_history_it_continues(client: AsyncOpenAI) -> None:
    first = await client.responses.create(model=MODEL, input="My name is Ada.")
    chained = await client.responses.input_tokens.count(
        previous_response_id=first.id, input="Who am I?"
    )
    alone = await client.responses.input_tokens.count(input="Who am I?")
    assert chained.input_tokens > alone.input_tokens
    made = await client.responses.create(
        model=MODEL, previous_response_id=first.id, input="Who am I?"
    )
    assert made.usage is not None and made.usage.input_tokens == chained.input_tokens
    conversation = await client.conversations.create(
        items=[{"role": "user", "content": "Remember: blue."}]
    )
    in_conversation = await client.responses.input_tokens.count(
        conversation=conversation.id, input="Which colour?"
    )
    answered = await client.responses.create(
        model=MODEL, conversation=conversation.id, input="Which colour?"
    )
    assert answered.usage is not None
    assert in_conversation.input_tokens == answered.usage.input_tokens
    with pytest.raises(NotFoundError):
        await client.responses.input_tokens.count(conversation="conv_nope", input="x")
    with pytest.raises(BadRequestError) as info:
        await client.responses.input_tokens.count(input="x", extra_body={"stream": True})
    assert info.value.param == "stream"
