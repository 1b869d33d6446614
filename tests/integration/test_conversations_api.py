"""The Conversations API against FakeOpenAI, and responses that read and extend a conversation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Final

import pytest

from aio_openai import AsyncConversationCursorPage, AsyncOpenAI, BadRequestError, NotFoundError
from aio_openai.testing import FakeOpenAI
from aio_openai.types.conversations import (
    Conversation,
    ConversationDeletedResource,
    ConversationItemList,
    EasyInputMessage,
    Message,
)
from aio_openai.types.responses import (
    FunctionTool,
    ResponseFunctionToolCall,
    ResponseInputText,
    ResponseOutputText,
)

KEY: Final = "sk-conversations-0123456789"
LOOKUP: Final = FunctionTool(
    name="lookup_order",
    parameters={
        "type": "object",
        "properties": {"order_id": {"type": "string"}},
        "required": ["order_id"],
        "additionalProperties": False,
    },
    strict=True,
)


@pytest.fixture
async def api(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    client = AsyncOpenAI(api_key=KEY, base_url=fake.url, max_retries=0)
    try:
        yield client
    finally:
        await client.aclose()


async def test_create_retrieve_update_delete(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    conversation = await api.conversations.create(
        items=[{"role": "developer", "content": "Be kind."}], metadata={"user": "u1"}
    )
    assert isinstance(conversation, Conversation)
    assert conversation.id.startswith("conv_") and conversation.object == "conversation"
    assert conversation.metadata == {"user": "u1"}
    assert fake.requests[-1].json == {
        "items": [{"role": "developer", "content": "Be kind."}],
        "metadata": {"user": "u1"},
    }
    got = await api.conversations.retrieve(conversation.id)
    assert got == conversation
    updated = await api.conversations.update(conversation.id, metadata={"user": "u2"})
    assert updated.metadata == {"user": "u2"}
    assert (await api.conversations.retrieve(conversation.id)).metadata == {"user": "u2"}
    deleted = await api.conversations.delete(conversation.id)
    assert isinstance(deleted, ConversationDeletedResource)
    assert (deleted.id, deleted.deleted, deleted.object) == (
        conversation.id,
        True,
        "conversation.deleted",
    )
    with pytest.raises(NotFoundError, match=f"Conversation with id '{conversation.id}'"):
        await api.conversations.retrieve(conversation.id)


async def test_an_empty_conversation(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    conversation = await api.conversations.create()
    assert fake.requests[-1].json == {}
    page = await api.conversations.items.list(conversation.id)
    assert page.data == [] and not page.has_more


async def test_items_create_retrieve_list_delete(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    conversation = await api.conversations.create()
    added = await api.conversations.items.create(
        conversation.id,
        items=[
            EasyInputMessage(role="user", content="Hello!"),
            {"type": "message", "role": "assistant", "content": "Hi, how can I help?"},
        ],
    )
    assert isinstance(added, ConversationItemList)
    user, assistant = added.data
    assert isinstance(user, Message) and isinstance(assistant, Message)
    assert user.content == [ResponseInputText(text="Hello!")]
    assert isinstance(assistant.content[0], ResponseOutputText)
    assert added.first_id == user.id and added.last_id == assistant.id
    one = await api.conversations.items.retrieve(assistant.id, conversation_id=conversation.id)
    assert one == assistant
    newest_first = await api.conversations.items.list(conversation.id)
    assert [i.id for i in newest_first.data] == [assistant.id, user.id]
    after = await api.conversations.items.list(conversation.id, after=assistant.id, limit=5)
    assert [i.id for i in after.data] == [user.id]
    back = await api.conversations.items.delete(user.id, conversation_id=conversation.id)
    assert isinstance(back, Conversation) and back.id == conversation.id
    with pytest.raises(NotFoundError, match=f"Item with id '{user.id}' not found"):
        await api.conversations.items.retrieve(user.id, conversation_id=conversation.id)
    page = await api.conversations.items.list(conversation.id, order="asc", include=["x.y"])
    assert [i.id for i in page.data] == [assistant.id]
    assert fake.requests[-1].query.getall("include[]") == ["x.y"]


async def test_items_are_walked_lazily(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    conversation = await api.conversations.create(
        items=[{"role": "user", "content": f"m{n}"} for n in range(5)]
    )
    fake.requests.clear()
    texts = []
    async for item in api.conversations.items.list(conversation.id, order="asc", limit=2):
        assert isinstance(item, Message)
        part = item.content[0]
        assert isinstance(part, ResponseInputText)
        texts.append(part.text)
    assert texts == ["m0", "m1", "m2", "m3", "m4"]
    assert len(fake.requests) == 3
    # the pages are the SDK's AsyncConversationCursorPage, led on by their last_id
    page = await api.conversations.items.list(conversation.id, order="asc", limit=2)
    assert isinstance(page, AsyncConversationCursorPage) and page.last_id == page.data[-1].id
    assert page.next_cursor() == page.last_id and page.has_next_page()
    second = await page.get_next_page()
    assert fake.requests[-1].query["after"] == page.last_id
    assert [getattr(item.content[0], "text", None) for item in second.data] == ["m2", "m3"]


async def test_responses_read_and_extend_the_conversation(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    conversation = await api.conversations.create(
        items=[{"role": "user", "content": "My order is A-17."}]
    )
    asked = await api.responses.create(
        model="gpt-4o", conversation=conversation.id, input="Where is it?", tools=[LOOKUP]
    )
    assert asked.conversation is not None and asked.conversation.id == conversation.id
    (call,) = asked.function_calls
    answered = await api.responses.create(
        model="gpt-4o",
        conversation={"id": conversation.id},
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": "Shipped."}],
    )
    assert answered.output_text == "Shipped."
    assert asked.usage is not None and answered.usage is not None
    assert answered.usage.input_tokens > asked.usage.input_tokens  # the history grew
    items = [item async for item in api.conversations.items.list(conversation.id, order="asc")]
    assert [item.type for item in items] == [
        "message",
        "message",
        "function_call",
        "function_call_output",
        "message",
    ]
    assert isinstance(items[2], ResponseFunctionToolCall) and items[2].call_id == call.call_id
    last = items[-1]
    assert isinstance(last, Message) and last.role == "assistant"
    # a response without new input continues the conversation as it stands
    await api.conversations.items.create(
        conversation.id, items=[{"role": "user", "content": "Thanks!"}]
    )
    again = await api.responses.create(model="gpt-4o", conversation=conversation.id)
    assert again.output_text == "Thanks!"


async def test_errors(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    with pytest.raises(NotFoundError) as info:
        await api.responses.create(model="gpt-4o", input="x", conversation="conv_nope")
    assert info.value.param == "conversation"
    for call in (
        api.conversations.retrieve("conv_nope"),
        api.conversations.update("conv_nope", metadata={}),
        api.conversations.delete("conv_nope"),
        api.conversations.items.create("conv_nope", items=[]),
        api.conversations.items.list("conv_nope"),
    ):
        with pytest.raises(NotFoundError, match=r"Conversation with id 'conv_nope' not found\."):
            await call
    conversation = await api.conversations.create()
    too_many: list[Any] = [{"role": "user", "content": "x"}] * 21
    cases: list[tuple[Any, str]] = [
        (api.conversations.create(items=too_many), "items"),
        (api.conversations.items.create(conversation.id, items=too_many), "items"),
        (api.conversations.create(items=[{"role": "user"}]), "items[0].content"),
        (api.conversations.create(metadata={"k": 1}), "metadata.k"),  # type: ignore[dict-item]
        (api.conversations.update(conversation.id, metadata=None, extra_body={"x": 1}), "x"),
    ]
    for call, param in cases:
        with pytest.raises(BadRequestError) as bad:
            await call
        assert bad.value.param == param
    with pytest.raises(NotFoundError):
        await api.conversations.items.delete("msg_nope", conversation_id=conversation.id)


async def test_bad_ids_fail_before_sending(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    with pytest.raises(ValueError, match="conversation_id"):
        await api.conversations.retrieve("")
    with pytest.raises(ValueError, match="item_id"):
        await api.conversations.items.retrieve("..", conversation_id="conv_1")
    assert fake.requests == []
