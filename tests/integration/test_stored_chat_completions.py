"""Stored chat completions end to end: ``store=True``, then retrieve, update, list (with its
filters and cursor), ``messages.list`` and delete, the real client against FakeOpenAI."""

from __future__ import annotations

from typing import Any, Final

import pytest

from aio_openai import APIResponse, AsyncCursorPage, AsyncOpenAI, BadRequestError, NotFoundError
from aio_openai.testing import FakeOpenAI
from aio_openai.types.chat import ChatCompletion
from aio_openai.types.chat.chat_completion_deleted import ChatCompletionDeleted
from aio_openai.types.chat.chat_completion_store_message import ChatCompletionStoreMessage

MODEL: Final = "gpt-4o-mini"


def ask(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


async def test_a_stored_completion_is_retrieved_as_it_was_answered(client: AsyncOpenAI) -> None:
    made = await client.chat.completions.create(
        model=MODEL, messages=ask("Hello"), store=True, metadata={"case": "one"}
    )
    got = await client.chat.completions.retrieve(made.id)
    assert isinstance(got, ChatCompletion)
    assert (got.id, got.model, got.choices[0].message.content) == (made.id, MODEL, "Hello")
    assert got.metadata == {"case": "one"}
    assert got.usage == made.usage


async def test_only_completions_made_with_store_are_kept(client: AsyncOpenAI) -> None:
    plain = await client.chat.completions.create(model=MODEL, messages=ask("a"))
    unstored = await client.chat.completions.create(model=MODEL, messages=ask("b"), store=False)
    for made in (plain, unstored):
        with pytest.raises(NotFoundError, match=made.id):
            await client.chat.completions.retrieve(made.id)
    assert (await client.chat.completions.list()).data == []


async def test_a_streamed_completion_is_stored_whole(client: AsyncOpenAI) -> None:
    stream = await client.chat.completions.create(
        model=MODEL, messages=ask("Streamed and kept."), store=True, stream=True
    )
    async with stream:
        chunks = [chunk async for chunk in stream]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    got = await client.chat.completions.retrieve(chunks[0].id)
    assert got.choices[0].message.content == text == "Streamed and kept."


async def test_update_replaces_the_metadata_and_none_clears_it(client: AsyncOpenAI) -> None:
    made = await client.chat.completions.create(
        model=MODEL, messages=ask("x"), store=True, metadata={"a": "1", "b": "2"}
    )
    updated = await client.chat.completions.update(made.id, metadata={"c": "3"})
    assert updated.metadata == {"c": "3"}
    assert (await client.chat.completions.retrieve(made.id)).metadata == {"c": "3"}
    assert (await client.chat.completions.update(made.id, metadata=None)).metadata == {}
    with pytest.raises(NotFoundError):
        await client.chat.completions.update("chatcmpl-nope", metadata={})
    with pytest.raises(TypeError, match="metadata"):
        await client.chat.completions.update(made.id)  # type: ignore[call-arg]
    with pytest.raises(BadRequestError) as info:
        await client.chat.completions.update(made.id, metadata={"n": 1})  # type: ignore[dict-item]
    assert info.value.param == "metadata.n"


async def test_the_list_pages_oldest_first_and_filters(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    made = []
    for n in range(5):
        made.append(
            await client.chat.completions.create(
                model=MODEL if n % 2 else "gpt-4o",
                messages=ask(f"turn {n}"),
                store=True,
                metadata={"turn": str(n), "team": "red" if n < 3 else "blue"},
            )
        )
    ids = [m.id for m in made]
    first = await client.chat.completions.list(limit=2)
    assert isinstance(first, AsyncCursorPage)
    assert [c.id for c in first.data] == ids[:2] and first.has_more
    assert [c.id async for c in client.chat.completions.list(limit=2)] == ids
    newest = await client.chat.completions.list(order="desc", limit=1)
    assert [c.id for c in newest.data] == ids[-1:]
    by_model = await client.chat.completions.list(model=MODEL)
    assert [c.id for c in by_model.data] == [ids[1], ids[3]]
    red_two = await client.chat.completions.list(metadata={"team": "red", "turn": "2"})
    assert [c.id for c in red_two.data] == [ids[2]]
    assert fake.requests[-1].query == {"metadata[team]": "red", "metadata[turn]": "2"}
    assert (await client.chat.completions.list(metadata={"team": "green"})).data == []


async def test_the_messages_of_a_stored_completion(client: AsyncOpenAI) -> None:
    messages: list[dict[str, Any]] = [
        {"role": "developer", "content": "Be brief."},
        {"role": "user", "name": "ada", "content": [{"type": "text", "text": "Hi "},
                                                    {"type": "text", "text": "there"}]},
        {"role": "assistant", "content": "Hello."},
        {"role": "user", "content": "Again?"},
    ]  # fmt: skip
    made = await client.chat.completions.create(model=MODEL, messages=messages, store=True)
    listed = [m async for m in client.chat.completions.messages.list(made.id, limit=3)]
    assert all(isinstance(m, ChatCompletionStoreMessage) for m in listed)
    assert [m.id for m in listed] == [f"{made.id}-{i}" for i in range(4)]
    assert [(m.role, m.content) for m in listed] == [
        ("developer", "Be brief."),
        ("user", "Hi there"),
        ("assistant", "Hello."),
        ("user", "Again?"),
    ]
    parts = listed[1].content_parts
    assert parts is not None and [p.text for p in parts] == ["Hi ", "there"]  # type: ignore[union-attr]
    assert listed[0].content_parts is None
    newest = await client.chat.completions.messages.list(made.id, order="desc", limit=1)
    assert [m.content for m in newest.data] == ["Again?"] and newest.has_more
    with pytest.raises(NotFoundError):
        await client.chat.completions.messages.list("chatcmpl-nope")


async def test_delete_forgets_the_completion_and_its_messages(client: AsyncOpenAI) -> None:
    made = await client.chat.completions.create(model=MODEL, messages=ask("bye"), store=True)
    deleted = await client.chat.completions.delete(made.id)
    assert isinstance(deleted, ChatCompletionDeleted)
    assert (deleted.id, deleted.deleted, deleted.object) == (
        made.id,
        True,
        "chat.completion.deleted",
    )
    with pytest.raises(NotFoundError):
        await client.chat.completions.retrieve(made.id)
    with pytest.raises(NotFoundError):
        await client.chat.completions.messages.list(made.id)
    with pytest.raises(NotFoundError):
        await client.chat.completions.delete(made.id)


async def test_the_raw_answers_and_the_ids_in_the_path(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    made = await client.chat.completions.create(model=MODEL, messages=ask("raw"), store=True)
    raw = await client.chat.completions.with_raw_response.retrieve(made.id)
    assert isinstance(raw, APIResponse) and raw.status_code == 200
    assert raw.parse().id == made.id
    page = await client.chat.completions.messages.with_raw_response.list(made.id)
    assert page.parse().data[0].content == "raw"
    with pytest.raises(NotFoundError):
        await client.chat.completions.retrieve("a/b")  # quoted: not another path
    assert fake.requests[-1].raw_path == "/v1/chat/completions/a%2Fb"


async def test_the_fake_state_shows_and_clears_what_is_stored(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    made = await client.chat.completions.create(model=MODEL, messages=ask("kept"), store=True)
    assert list(fake.state.chat.stored) == [made.id]
    fake.state.chat.clear()
    assert fake.state.chat.stored == {}
    with pytest.raises(NotFoundError):
        await client.chat.completions.retrieve(made.id)


@pytest.mark.parametrize("method", ["retrieve", "update", "delete", "messages.list"])
async def test_an_empty_id_is_refused_before_anything_is_sent(
    client: AsyncOpenAI, fake: FakeOpenAI, method: str
) -> None:
    before = len(fake.requests)
    call: Any = client.chat.completions
    for name in method.split("."):
        call = getattr(call, name)
    kwargs = {"metadata": {}} if method == "update" else {}
    with pytest.raises(ValueError, match="completion_id"):
        await call("", **kwargs)
    assert len(fake.requests) == before
