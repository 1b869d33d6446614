"""Vector stores against OpenAI's spec: every request the client sends and every answer
FakeOpenAI gives (stores, files, file batches, search, errors included).

Known gap: the v1 fixture (April 2024) has no vector stores (they came with the Assistants
API's v2): they are checked against v2 only.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Final

import pytest

from aio_openai import APIStatusError, AsyncOpenAI
from aio_openai.testing import FakeOpenAI

from ._recorder import Recorder, check_all, operations

KEY: Final = "sk-conformance-vs-0123456789"


async def expect_error(call: Awaitable[Any], status: int) -> None:
    with pytest.raises(APIStatusError) as info:
        await call
    assert info.value.status_code == status, info.value


async def vector_store_calls(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    ids = [
        fake.state.files.add_file(text, purpose="assistants", filename=name)["id"]
        for name, text in (("a.txt", b"cats purr at night"), ("b.txt", b"dogs bark by day"))
    ]
    store = await client.vector_stores.create(
        name="kb",
        description="notes",
        file_ids=ids[:1],
        expires_after={"anchor": "last_active_at", "days": 30},
        chunking_strategy={
            "type": "static",
            "static": {"max_chunk_size_tokens": 200, "chunk_overlap_tokens": 100},
        },
        metadata={"team": "x"},
    )
    await client.vector_stores.retrieve(store.id)
    await client.vector_stores.update(store.id, name="kb2", expires_after=None)
    await client.vector_stores.list(limit=2, order="asc")
    file = await client.vector_stores.files.create_and_poll(
        ids[1], vector_store_id=store.id, attributes={"kind": "dog", "n": 2, "ok": True}
    )
    await client.vector_stores.files.update(file.id, vector_store_id=store.id, attributes=None)
    await client.vector_stores.files.list(store.id, filter="completed", limit=5)
    await client.vector_stores.files.content(file.id, vector_store_id=store.id)
    await client.vector_stores.search(
        store.id,
        query=["cats", "night"],
        filters={"type": "and", "filters": [{"type": "ne", "key": "kind", "value": "x"}]},
        max_num_results=5,
        ranking_options={"ranker": "auto", "score_threshold": 0.1},
        rewrite_query=True,
    )
    batch = await client.vector_stores.file_batches.create(
        store.id, files=[{"file_id": ids[0], "attributes": {"k": "v"}}]
    )
    await client.vector_stores.file_batches.cancel(batch.id, vector_store_id=store.id)
    done = await client.vector_stores.file_batches.create_and_poll(store.id, file_ids=ids)
    await client.vector_stores.file_batches.list_files(done.id, vector_store_id=store.id)
    await client.vector_stores.files.delete(file.id, vector_store_id=store.id)
    await expect_error(client.vector_stores.files.retrieve(file.id, vector_store_id=store.id), 404)
    await expect_error(client.vector_stores.search(store.id, query="x", max_num_results=99), 400)
    await client.vector_stores.delete(store.id)


async def test_vector_store_calls_conform(fake: FakeOpenAI, clean_env: None) -> None:
    fake.state.vector_stores.configure(poll_after_ms=0)
    recorder = Recorder()
    async with AsyncOpenAI(
        api_key=KEY, base_url=fake.url, middlewares=[recorder], max_retries=0
    ) as client:
        await vector_store_calls(client, fake)
    check_all("v2", fake, recorder, ("/vector_stores",))
    assert {got.status for got in recorder.exchanges} == {200, 400, 404}


def test_the_v1_fixture_has_no_vector_stores() -> None:
    assert operations("v1", ("/vector_stores",)) == {}
