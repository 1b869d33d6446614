"""Vector stores end to end against FakeOpenAI: ``vector_stores`` create, retrieve, update,
list, delete, search; ``vector_stores.files`` and ``vector_stores.file_batches`` with their
poll and upload helpers (the SDK's per-method shapes: plain call, every parameter, raw
response, streaming response, empty ids)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from support import FakeClock

from aio_openai import (
    APIResponse,
    AsyncOpenAI,
    BadRequestError,
    NotFoundError,
    PollTimeoutError,
    RetryPolicy,
)
from aio_openai.testing import FakeOpenAI
from aio_openai.types import VectorStore, VectorStoreDeleted, VectorStoreSearchResponse
from aio_openai.types.vector_stores import (
    FileContentResponse,
    VectorStoreFile,
    VectorStoreFileBatch,
    VectorStoreFileDeleted,
)

DOCS = {
    "cats.txt": b"Cats purr and sleep in the sun. A cat hunts mice at night.",
    "dogs.txt": b"Dogs bark at the mail carrier. A dog fetches sticks in the park.",
    "rain.txt": b"Rain falls mainly on the plain in Spain during the spring.",
}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def vs(fake: FakeOpenAI, clock: FakeClock, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    """A client whose polls sleep on a fake clock (each wait recorded, none slept)."""
    client = AsyncOpenAI(
        api_key="sk-integration-0123456789",
        base_url=fake.url,
        max_retries=0,
        retry_policy=RetryPolicy(sleep=clock.sleep, clock=clock),
    )
    try:
        yield client
    finally:
        await client.aclose()


def add(fake: FakeOpenAI, name: str, data: bytes | None = None) -> str:
    stored = fake.state.files.add_file(
        DOCS[name] if data is None else data, purpose="assistants", filename=name
    )
    return str(stored["id"])


async def test_create_retrieve_update_list_delete(vs: AsyncOpenAI, fake: FakeOpenAI) -> None:
    store = await vs.vector_stores.create(name="kb")
    assert isinstance(store, VectorStore) and store.id.startswith("vs_")
    assert fake.requests[-1].json == {"name": "kb"}
    assert (store.status, store.usage_bytes, store.file_counts.total) == ("completed", 0, 0)
    got = await vs.vector_stores.retrieve(store.id)
    assert got.name == "kb"
    updated = await vs.vector_stores.update(store.id, name="kb2", metadata={"team": "a"})
    assert (updated.name, updated.metadata) == ("kb2", {"team": "a"})
    other = await vs.vector_stores.create()
    page = await vs.vector_stores.list(limit=1)
    assert [s.id for s in page.data] == [other.id] and page.has_more
    assert [s.id async for s in vs.vector_stores.list(order="asc")] == [store.id, other.id]
    assert [s.id for s in (await vs.vector_stores.list(before=other.id, order="asc")).data] == [
        store.id
    ]
    gone = await vs.vector_stores.delete(store.id)
    assert isinstance(gone, VectorStoreDeleted) and gone.deleted and gone.id == store.id
    with pytest.raises(NotFoundError, match=store.id):
        await vs.vector_stores.retrieve(store.id)


async def test_create_every_parameter_and_file_processing(
    vs: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    ids = [add(fake, "cats.txt"), add(fake, "dogs.txt")]
    params: dict[str, Any] = {
        "name": "pets",
        "description": "about pets",
        "file_ids": ids,
        "expires_after": {"anchor": "last_active_at", "days": 7},
        "chunking_strategy": {
            "type": "static",
            "static": {"max_chunk_size_tokens": 100, "chunk_overlap_tokens": 50},
        },
        "metadata": {"k": "v"},
    }
    store = await vs.vector_stores.create(**params)
    assert fake.requests[-1].json == params
    assert store.status == "in_progress" and store.file_counts.in_progress == 2
    assert store.expires_after is not None and store.expires_after.days == 7
    assert store.expires_at == store.last_active_at + 7 * 86400  # type: ignore[operator]
    assert store.model_extra["description"] == "about pets"
    done = await vs.vector_stores.retrieve(store.id)  # one look: still in progress
    assert done.status == "in_progress"
    done = await vs.vector_stores.retrieve(store.id)
    assert done.status == "completed" and done.file_counts.completed == 2
    assert done.usage_bytes == len(DOCS["cats.txt"]) + len(DOCS["dogs.txt"])
    file = await vs.vector_stores.files.retrieve(ids[0], vector_store_id=store.id)
    assert file.chunking_strategy is not None
    assert file.chunking_strategy.static.max_chunk_size_tokens == 100  # type: ignore[union-attr]
    with pytest.raises(BadRequestError, match="file-nope") as info:
        await vs.vector_stores.create(file_ids=["file-nope"])
    assert info.value.param == "file_ids[0]"
    with pytest.raises(BadRequestError) as info:
        await vs.vector_stores.create(
            chunking_strategy={
                "type": "static",
                "static": {"max_chunk_size_tokens": 100, "chunk_overlap_tokens": 60},
            }
        )
    assert info.value.param == "chunking_strategy.static.chunk_overlap_tokens"


async def test_expiry_policy(vs: AsyncOpenAI, fake: FakeOpenAI) -> None:
    now = [1_000_000.0]
    fake.state.vector_stores.configure(clock=lambda: now[0])
    store = await vs.vector_stores.create(expires_after={"anchor": "last_active_at", "days": 1})
    assert store.expires_at == 1_000_000 + 86400
    now[0] += 3600
    await vs.vector_stores.search(store.id, query="x")  # activity moves the expiry on
    assert (await vs.vector_stores.retrieve(store.id)).expires_at == 1_003_600 + 86400
    now[0] += 86400
    assert (await vs.vector_stores.retrieve(store.id)).status == "expired"
    with pytest.raises(BadRequestError, match="expired"):
        await vs.vector_stores.search(store.id, query="x")
    kept = await vs.vector_stores.update(store.id, expires_after=None)
    assert kept.expires_at is None and kept.status == "expired"


async def test_search_ranks_filters_and_limits(vs: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.vector_stores.configure(polls=0)
    store = await vs.vector_stores.create()
    for name, kind in (("cats.txt", "cat"), ("dogs.txt", "dog"), ("rain.txt", "weather")):
        await vs.vector_stores.files.create(
            store.id, file_id=add(fake, name), attributes={"kind": kind, "year": 2020}
        )
    page = await vs.vector_stores.search(store.id, query="a cat at night")
    assert [r.filename for r in page.data] == ["cats.txt", "dogs.txt"]
    assert isinstance(page.data[0], VectorStoreSearchResponse)
    assert page.data[0].score == 1.0 and page.data[1].score == 0.5
    assert page.data[0].attributes == {"kind": "cat", "year": 2020}
    assert "hunts mice" in page.data[0].content[0].text
    params: dict[str, Any] = {
        "query": ["dog", "rain park"],
        "filters": {
            "type": "or",
            "filters": [
                {"type": "eq", "key": "kind", "value": "dog"},
                {"type": "in", "key": "kind", "value": ["weather"]},
            ],
        },
        "max_num_results": 1,
        "ranking_options": {"ranker": "auto", "score_threshold": 0.2},
        "rewrite_query": False,
    }
    page = await vs.vector_stores.search(store.id, **params)
    assert fake.requests[-1].json == params
    assert [r.filename async for r in vs.vector_stores.search(store.id, **params)] == ["dogs.txt"]
    none = await vs.vector_stores.search(
        store.id, query="cat", filters={"type": "gt", "key": "year", "value": 2021}
    )
    assert none.data == []
    high = await vs.vector_stores.search(
        store.id, query="cat spain", ranking_options={"score_threshold": 0.9}
    )
    assert high.data == []
    with pytest.raises(BadRequestError) as info:
        await vs.vector_stores.search(store.id, query="x", max_num_results=51)
    assert info.value.param == "max_num_results"
    with pytest.raises(NotFoundError):
        await vs.vector_stores.search("vs_missing", query="x")


async def test_files_crud_content_and_status_filter(vs: AsyncOpenAI, fake: FakeOpenAI) -> None:
    store = await vs.vector_stores.create()
    first = await vs.vector_stores.files.create(
        store.id,
        file_id=add(fake, "cats.txt"),
        attributes={"a": "b"},
        chunking_strategy={"type": "auto"},
    )
    assert isinstance(first, VectorStoreFile) and first.status == "in_progress"
    assert fake.requests[-1].json == {
        "file_id": first.id,
        "attributes": {"a": "b"},
        "chunking_strategy": {"type": "auto"},
    }
    second = await vs.vector_stores.files.create(store.id, file_id=add(fake, "dogs.txt"))
    for _ in range(2):
        await vs.vector_stores.files.retrieve(first.id, vector_store_id=store.id)
    done = await vs.vector_stores.files.list(store.id, filter="completed")
    assert [f.id for f in done.data] == [first.id]
    busy = vs.vector_stores.files.list(store.id, filter="in_progress", order="asc", limit=5)
    assert [f.id async for f in busy] == [second.id]
    page = await vs.vector_stores.files.list(store.id, limit=1, after=second.id)
    assert [f.id for f in page.data] == [first.id]
    updated = await vs.vector_stores.files.update(
        first.id, vector_store_id=store.id, attributes={"n": 1.5, "ok": True}
    )
    assert updated.attributes == {"n": 1.5, "ok": True}
    content = await vs.vector_stores.files.content(first.id, vector_store_id=store.id)
    assert isinstance(content.data[0], FileContentResponse)
    assert content.data[0].text == DOCS["cats.txt"].decode()
    gone = await vs.vector_stores.files.delete(first.id, vector_store_id=store.id)
    assert isinstance(gone, VectorStoreFileDeleted) and gone.deleted
    assert fake.state.files.get(first.id)["id"] == first.id  # the file itself stays
    with pytest.raises(NotFoundError):
        await vs.vector_stores.files.retrieve(first.id, vector_store_id=store.id)
    with pytest.raises(BadRequestError, match="file-nope") as info:
        await vs.vector_stores.files.create(store.id, file_id="file-nope")
    assert info.value.param == "file_id"


async def test_file_poll_waits_as_the_server_says(
    vs: AsyncOpenAI, fake: FakeOpenAI, clock: FakeClock
) -> None:
    fake.state.vector_stores.configure(polls=2, poll_after_ms=250)
    store = await vs.vector_stores.create()
    file = await vs.vector_stores.files.create(store.id, file_id=add(fake, "rain.txt"))
    done = await vs.vector_stores.files.poll(file.id, vector_store_id=store.id)
    assert done.status == "completed" and done.usage_bytes == len(DOCS["rain.txt"])
    assert clock.sleeps == [0.25, 0.25]
    fake.state.vector_stores.configure(poll_after_ms=None)
    other = await vs.vector_stores.files.create(store.id, file_id=add(fake, "cats.txt"))
    await vs.vector_stores.files.poll(other.id, vector_store_id=store.id, poll_interval_ms=40)
    assert clock.sleeps[2:] == [0.04, 0.04]


async def test_file_that_is_not_text_fails(vs: AsyncOpenAI, fake: FakeOpenAI) -> None:
    store = await vs.vector_stores.create()
    file = await vs.vector_stores.files.create_and_poll(
        add(fake, "cats.txt", b"\xff\xfe\x00binary"), vector_store_id=store.id
    )
    assert file.status == "failed" and file.last_error is not None
    assert file.last_error.code == "unsupported_file"
    assert (await vs.vector_stores.retrieve(store.id)).file_counts.failed == 1


async def test_poll_deadline(vs: AsyncOpenAI, fake: FakeOpenAI, clock: FakeClock) -> None:
    fake.state.vector_stores.configure(polls=100, poll_after_ms=1000)
    store = await vs.vector_stores.create()
    file = await vs.vector_stores.files.create(store.id, file_id=add(fake, "cats.txt"))
    with pytest.raises(PollTimeoutError) as info:
        await vs.vector_stores.files.poll(file.id, vector_store_id=store.id, max_wait_seconds=3)
    assert info.value.last.status == "in_progress" and info.value.deadline == 3
    assert len(clock.sleeps) == 2


async def test_create_and_poll_and_upload_helpers(
    vs: AsyncOpenAI, fake: FakeOpenAI, tmp_path: Path
) -> None:
    store = await vs.vector_stores.create()
    file = await vs.vector_stores.files.create_and_poll(
        add(fake, "cats.txt"),
        vector_store_id=store.id,
        attributes={"kind": "cat"},
        chunking_strategy={"type": "auto"},
        poll_interval_ms=10,
        max_wait_seconds=60,
    )
    assert file.status == "completed" and file.attributes == {"kind": "cat"}
    path = tmp_path / "dogs.txt"
    path.write_bytes(DOCS["dogs.txt"])
    uploaded = await vs.vector_stores.files.upload(
        vector_store_id=store.id, file=path, chunking_strategy={"type": "auto"}
    )
    assert uploaded.status == "in_progress"
    stored = fake.state.files.get(uploaded.id)
    assert (stored["purpose"], stored["filename"]) == ("assistants", "dogs.txt")
    polled = await vs.vector_stores.files.upload_and_poll(
        vector_store_id=store.id,
        file=("rain.txt", DOCS["rain.txt"], "text/plain"),
        attributes={"kind": "weather"},
        poll_interval_ms=10,
        max_wait_seconds=60,
        chunking_strategy={"type": "auto"},
    )
    assert polled.status == "completed" and polled.attributes == {"kind": "weather"}
    assert fake.state.files.content(polled.id) == DOCS["rain.txt"]


async def test_file_batches(vs: AsyncOpenAI, fake: FakeOpenAI) -> None:
    store = await vs.vector_stores.create()
    ids = [add(fake, "cats.txt"), add(fake, "dogs.txt")]
    batch = await vs.vector_stores.file_batches.create(
        store.id, file_ids=ids, attributes={"k": "v"}, chunking_strategy={"type": "auto"}
    )
    assert isinstance(batch, VectorStoreFileBatch) and batch.id.startswith("vsfb_")
    assert (batch.status, batch.file_counts.in_progress) == ("in_progress", 2)
    got = await vs.vector_stores.file_batches.retrieve(batch.id, vector_store_id=store.id)
    assert got.status == "in_progress"
    done = await vs.vector_stores.file_batches.poll(batch.id, vector_store_id=store.id)
    assert done.status == "completed" and done.file_counts.completed == 2
    listed = vs.vector_stores.file_batches.list_files(
        batch.id, vector_store_id=store.id, filter="completed", order="asc", limit=1
    )
    assert [f.id async for f in listed] == ids
    files = await vs.vector_stores.file_batches.list_files(batch.id, vector_store_id=store.id)
    assert all(f.attributes == {"k": "v"} for f in files.data)
    own = await vs.vector_stores.file_batches.create_and_poll(
        store.id,
        files=[
            {"file_id": add(fake, "rain.txt"), "attributes": {"n": 1}},
            {"file_id": add(fake, "cats.txt"), "chunking_strategy": {"type": "auto"}},
        ],
        poll_interval_ms=10,
    )
    assert own.status == "completed" and own.file_counts.total == 2
    with pytest.raises(BadRequestError, match="Exactly one"):
        await vs.vector_stores.file_batches.create(store.id)


async def test_cancel_batch(vs: AsyncOpenAI, fake: FakeOpenAI) -> None:
    store = await vs.vector_stores.create()
    batch = await vs.vector_stores.file_batches.create(store.id, file_ids=[add(fake, "cats.txt")])
    cancelled = await vs.vector_stores.file_batches.cancel(batch.id, vector_store_id=store.id)
    assert cancelled.status == "cancelled" and cancelled.file_counts.cancelled == 1
    polled = await vs.vector_stores.file_batches.poll(batch.id, vector_store_id=store.id)
    assert polled.status == "cancelled"
    with pytest.raises(BadRequestError, match="cancelled"):
        await vs.vector_stores.file_batches.cancel(batch.id, vector_store_id=store.id)


async def test_upload_and_poll_bounds_concurrent_uploads(vs: AsyncOpenAI, fake: FakeOpenAI) -> None:
    store = await vs.vector_stores.create()
    existing = add(fake, "rain.txt")
    running = peak = 0
    released = asyncio.Event()

    async def gated(name: str) -> AsyncIterator[bytes]:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        if peak == 2:
            released.set()
        await released.wait()
        yield f"the document {name}".encode()
        running -= 1

    files = [(f"doc{i}.txt", gated(f"doc{i}")) for i in range(6)]
    batch = await vs.vector_stores.file_batches.upload_and_poll(
        store.id, files=files, max_concurrency=2, file_ids=[existing], poll_interval_ms=10
    )
    assert peak == 2
    assert batch.status == "completed" and batch.file_counts.completed == 7
    created = [r for r in fake.requests if r.path.endswith("/file_batches")][-1]
    sent = created.json["file_ids"]
    assert sent[0] == existing
    assert [fake.state.files.get(i)["filename"] for i in sent[1:]] == [
        f"doc{i}.txt" for i in range(6)
    ]
    with pytest.raises(ValueError, match="max_concurrency"):
        await vs.vector_stores.file_batches.upload_and_poll(store.id, files=[], max_concurrency=0)


async def test_upload_and_poll_stops_at_a_failed_upload(vs: AsyncOpenAI, fake: FakeOpenAI) -> None:
    store = await vs.vector_stores.create()
    with pytest.raises(FileNotFoundError):
        await vs.vector_stores.file_batches.upload_and_poll(
            store.id, files=[Path("/nonexistent/a.txt")], max_concurrency=1
        )
    assert not [r for r in fake.requests if r.path.endswith("/file_batches")]


async def test_raw_and_streaming_responses(vs: AsyncOpenAI, fake: FakeOpenAI) -> None:
    raw = await vs.vector_stores.with_raw_response.create(name="r")
    assert isinstance(raw, APIResponse) and raw.status_code == 200 and raw.request_id
    store = raw.parse()
    looked = await vs.vector_stores.with_raw_response.retrieve(store.id)
    assert looked.headers["openai-poll-after-ms"] == "100"
    file_id = add(fake, "cats.txt")
    raw_file = await vs.vector_stores.files.with_raw_response.create(store.id, file_id=file_id)
    assert raw_file.parse().id == file_id
    raw_search = await vs.vector_stores.with_raw_response.search(store.id, query="cat")
    assert isinstance(raw_search, APIResponse) and raw_search.parse().data == []
    raw_batch = await vs.vector_stores.file_batches.with_raw_response.create(
        store.id, file_ids=[file_id]
    )
    assert raw_batch.parse().vector_store_id == store.id
    async with vs.vector_stores.with_streaming_response.retrieve(store.id) as streamed:
        assert streamed.status_code == 200
        assert (await streamed.parse()).id == store.id
    streaming_files = vs.vector_stores.files.with_streaming_response
    async with streaming_files.retrieve(file_id, vector_store_id=store.id) as streamed:
        assert (await streamed.parse()).id == file_id


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda c: c.vector_stores.retrieve(""), "vector_store_id"),
        (lambda c: c.vector_stores.update("", name="x"), "vector_store_id"),
        (lambda c: c.vector_stores.delete(""), "vector_store_id"),
        (lambda c: c.vector_stores.search("", query="x"), "vector_store_id"),
        (lambda c: c.vector_stores.files.create("", file_id="f"), "vector_store_id"),
        (lambda c: c.vector_stores.files.retrieve("", vector_store_id="vs"), "file_id"),
        (
            lambda c: c.vector_stores.files.update("f", vector_store_id="", attributes={}),
            "vector_store_id",
        ),
        (lambda c: c.vector_stores.files.list(""), "vector_store_id"),
        (lambda c: c.vector_stores.files.delete("", vector_store_id="vs"), "file_id"),
        (lambda c: c.vector_stores.files.content("", vector_store_id="vs"), "file_id"),
        (lambda c: c.vector_stores.files.poll("", vector_store_id="vs"), "file_id"),
        (lambda c: c.vector_stores.file_batches.create("", file_ids=["f"]), "vector_store_id"),
        (lambda c: c.vector_stores.file_batches.retrieve("", vector_store_id="vs"), "batch_id"),
        (lambda c: c.vector_stores.file_batches.cancel("b", vector_store_id=""), "vector_store_id"),
        (lambda c: c.vector_stores.file_batches.list_files("", vector_store_id="vs"), "batch_id"),
        (lambda c: c.vector_stores.file_batches.poll("", vector_store_id="vs"), "batch_id"),
    ],
)
async def test_empty_ids(vs: AsyncOpenAI, fake: FakeOpenAI, call: Any, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        await call(vs)
    assert not fake.requests


async def test_metadata_and_attributes_hold_at_most_16_properties(
    vs: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    many = {f"k{i}": "v" for i in range(17)}
    with pytest.raises(BadRequestError) as caught:
        await vs.vector_stores.create(name="big", metadata=many)
    assert caught.value.code == "object_above_max_properties"
    assert caught.value.param == "metadata"
    store = await vs.vector_stores.create(name="ok", metadata=dict(list(many.items())[:16]))
    with pytest.raises(BadRequestError) as caught:
        await vs.vector_stores.files.create(
            store.id, file_id=add(fake, "cats.txt"), attributes=many
        )
    assert caught.value.code == "object_above_max_properties"
    assert caught.value.param == "attributes"
    assert len((await vs.vector_stores.retrieve(store.id)).metadata or {}) == 16
