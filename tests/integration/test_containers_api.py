"""Containers end to end: ``containers`` create, retrieve, list, delete and
``containers.files`` create (an upload or a copy), list, retrieve, delete and
``containers.files.content.retrieve`` against FakeOpenAI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aio_openai import APIResponse, AsyncOpenAI, BadRequestError, NotFoundError
from aio_openai.testing import FakeOpenAI
from aio_openai.types import (
    ContainerCreateResponse,
    ContainerListResponse,
    ContainerRetrieveResponse,
)
from aio_openai.types.containers import (
    FileCreateResponse,
    FileListResponse,
    FileRetrieveResponse,
)


async def test_create_retrieve_list_delete(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    container = await api.containers.create(name="sandbox")
    assert isinstance(container, ContainerCreateResponse)
    assert fake.requests[-1].json == {"name": "sandbox"}
    assert container.id.startswith("cntr_") and container.status == "running"
    assert container.expires_after is not None and container.expires_after.minutes == 20
    got = await api.containers.retrieve(container.id)
    assert isinstance(got, ContainerRetrieveResponse) and got.name == "sandbox"
    page = await api.containers.list()
    assert [c.id for c in page.data] == [container.id]
    assert isinstance(page.data[0], ContainerListResponse)
    assert await api.containers.delete(container.id) is None
    with pytest.raises(NotFoundError, match=container.id):
        await api.containers.retrieve(container.id)


async def test_every_parameter(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    data = fake.state.files.add_file(b"x,y\n1,2\n", purpose="user_data", filename="data.csv")
    params = {
        "name": "analysis",
        "file_ids": [data["id"]],
        "expires_after": {"anchor": "last_active_at", "minutes": 5},
        "memory_limit": "4g",
        "network_policy": {"type": "allowlist", "allowed_domains": ["example.com"]},
        "skills": [{"type": "skill_reference", "skill_id": "skill_1"}],
    }
    container = await api.containers.create(**params)  # type: ignore[arg-type]
    assert fake.requests[-1].json == params
    assert container.memory_limit == "4g" and container.network_policy is not None
    assert container.network_policy.allowed_domains == ["example.com"]
    files = await api.containers.files.list(container.id)
    (item,) = files.data
    assert isinstance(item, FileListResponse)
    assert (item.path, item.bytes, item.source, item.container_id) == (
        "/mnt/data/data.csv",
        8,
        "user",
        container.id,
    )
    assert fake.state.containers.file_content(container.id, item.id) == b"x,y\n1,2\n"
    with pytest.raises(BadRequestError, match="file-nope") as info:
        await api.containers.create(name="x", file_ids=["file-nope"])
    assert info.value.param == "file_ids[0]"
    with pytest.raises(BadRequestError, match="between 1 and 20, got 90") as info:
        await api.containers.create(
            name="x", expires_after={"anchor": "last_active_at", "minutes": 90}
        )
    assert info.value.param == "expires_after.minutes"


async def test_list_filters_and_pages(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    made = [await api.containers.create(name=n) for n in ("a", "b", "a")]
    page = await api.containers.list(limit=1, order="asc", name="a")
    assert fake.requests[-1].raw_path.endswith("?limit=1&order=asc&name=a")
    assert [c.id for c in page.data] == [made[0].id] and page.has_more
    assert [c.id async for c in api.containers.list(name="a", limit=1)] == [
        made[2].id,
        made[0].id,
    ]
    after = await api.containers.list(after=made[2].id)
    assert [c.id for c in after.data] == [made[1].id, made[0].id]


async def test_files_list_retrieve_delete(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    container = await api.containers.create(name="box")
    first = fake.state.containers.add_file(container.id, "/mnt/data/a.txt", b"a")
    second = fake.state.containers.add_file(
        container.id, "/mnt/data/out.png", b"png", source="assistant"
    )
    page = await api.containers.files.list(container.id, limit=1, order="asc")
    assert [f.id for f in page.data] == [first["id"]] and page.has_more
    assert [f.id async for f in api.containers.files.list(container.id, after=second["id"])] == [
        first["id"]
    ]
    got = await api.containers.files.retrieve(second["id"], container_id=container.id)
    assert isinstance(got, FileRetrieveResponse) and got.source == "assistant"
    assert await api.containers.files.delete(first["id"], container_id=container.id) is None
    with pytest.raises(NotFoundError):
        await api.containers.files.retrieve(first["id"], container_id=container.id)
    with pytest.raises(NotFoundError):
        await api.containers.files.list("cntr_missing")


async def test_raw_response_and_empty_ids(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    raw = await api.containers.with_raw_response.create(name="box")
    assert isinstance(raw, APIResponse) and raw.status_code == 200 and raw.request_id
    container = raw.parse()
    item = fake.state.containers.add_file(container.id, "/mnt/data/a", b"a")
    files = api.containers.files.with_raw_response
    assert (await files.retrieve(item["id"], container_id=container.id)).parse().id == item["id"]
    assert (await files.delete(item["id"], container_id=container.id)).parse() is None
    deleted = await api.containers.with_raw_response.delete(container.id)
    assert deleted.status_code == 200 and deleted.parse() is None
    with pytest.raises(ValueError, match="container_id"):
        await api.containers.retrieve("")
    with pytest.raises(ValueError, match="container_id"):
        await api.containers.delete("")
    with pytest.raises(ValueError, match="container_id"):
        await api.containers.files.retrieve("cfile_1", container_id="")
    with pytest.raises(ValueError, match="file_id"):
        await api.containers.files.delete("", container_id="cntr_1")
    with pytest.raises(ValueError, match="container_id"):
        await api.containers.files.list("")


async def test_files_create_uploads_or_copies_and_content_reads_it(
    api: AsyncOpenAI, fake: FakeOpenAI, tmp_path: Path
) -> None:
    container = await api.containers.create(name="box")
    data = os.urandom(100_000)
    path = tmp_path / "data.bin"
    path.write_bytes(data)
    uploaded = await api.containers.files.create(container.id, file=path)
    assert isinstance(uploaded, FileCreateResponse)
    assert (uploaded.path, uploaded.bytes, uploaded.source) == (
        "/mnt/data/data.bin",
        100_000,
        "user",
    )
    assert fake.requests[-1].headers["Content-Type"].startswith("multipart/form-data")
    content = await api.containers.files.content.retrieve(uploaded.id, container_id=container.id)
    assert type(content).__name__ == "HttpxBinaryResponseContent"  # the SDK's name
    assert content.read() == data

    stored = fake.state.files.add_file(b"a,b\n", purpose="user_data", filename="t.csv")
    copied = await api.containers.files.create(container.id, file_id=stored["id"])
    assert fake.requests[-1].json == {"file_id": stored["id"]}  # JSON, as the SDK sends it
    assert copied.path == "/mnt/data/t.csv"
    out = tmp_path / "copy.csv"
    async with api.containers.files.content.with_streaming_response.retrieve(
        copied.id, container_id=container.id
    ) as response:
        await response.stream_to_file(out)
    assert out.read_bytes() == b"a,b\n"
    raw = await api.containers.files.with_raw_response.create(
        container.id, file=("note.txt", b"hi", "text/plain")
    )
    assert raw.parse().path == "/mnt/data/note.txt"
    listed = [f.id async for f in api.containers.files.list(container.id, order="asc")]
    assert listed == [uploaded.id, copied.id, raw.parse().id]


async def test_files_create_and_content_refusals(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    container = await api.containers.create(name="box")
    with pytest.raises(BadRequestError, match="Exactly one of 'file' or 'file_id'"):
        await api.containers.files.create(container.id)
    with pytest.raises(BadRequestError, match="Exactly one of 'file' or 'file_id'"):
        await api.containers.files.create(container.id, file=b"x", file_id="file-1")
    with pytest.raises(BadRequestError, match="file-missing"):
        await api.containers.files.create(container.id, file_id="file-missing")
    with pytest.raises(NotFoundError):
        await api.containers.files.create("cntr_missing", file=b"x")
    with pytest.raises(NotFoundError):
        await api.containers.files.content.retrieve("cfile_missing", container_id=container.id)
    with pytest.raises(ValueError, match="container_id"):
        await api.containers.files.create("", file=b"x")
    with pytest.raises(ValueError, match="file_id"):
        await api.containers.files.content.retrieve("", container_id=container.id)
