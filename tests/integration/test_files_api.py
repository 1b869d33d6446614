"""The Files API end to end against FakeOpenAI: uploads from every kind of source (bytes, a
path, an open file, an async iterator, the SDK's tuples), downloads read in full or streamed,
and the SDK's per-method shapes (plain, every parameter, raw, streaming, empty id)."""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from aio_openai import (
    APIResponse,
    AsyncAPIResponse,
    AsyncOpenAI,
    BadRequestError,
    NotFoundError,
)
from aio_openai._binary import BinaryResponseContent
from aio_openai._response import StreamAlreadyConsumed
from aio_openai.testing import FakeOpenAI
from aio_openai.types import FileDeleted, FileObject

LINES = b'{"custom_id": "a"}\n{"custom_id": "b"}\n'


async def pieces(*chunks: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


# -- create: every kind of source ------------------------------------------------------------


async def test_create_from_bytes_keeps_the_bytes(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    file = await api.files.create(file=LINES, purpose="user_data")
    assert isinstance(file, FileObject)
    assert (file.bytes, file.purpose, file.status, file.filename) == (
        len(LINES),
        "user_data",
        "processed",
        "upload",
    )
    assert fake.state.files.content(file.id) == LINES
    assert fake.requests[-1].headers["Content-Type"].startswith("multipart/form-data; boundary=")


async def test_create_from_a_path_str_and_pathlike(
    api: AsyncOpenAI, fake: FakeOpenAI, tmp_path: Path
) -> None:
    path = tmp_path / "requests.jsonl"
    path.write_bytes(LINES)
    for given in (path, str(path)):
        file = await api.files.create(file=given, purpose="batch")
        assert file.filename == "requests.jsonl"
        assert fake.state.files.content(file.id) == LINES
    # the length is known, so it is sent as Content-Length (not chunked)
    assert int(fake.requests[-1].headers["Content-Length"]) > len(LINES)


async def test_create_from_an_open_file_starts_where_it_stands(
    api: AsyncOpenAI, fake: FakeOpenAI, tmp_path: Path
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"skip:" + LINES)
    with path.open("rb") as handle:
        handle.seek(5)
        file = await api.files.create(file=handle, purpose="user_data")
    assert file.filename == "notes.txt"
    assert fake.state.files.content(file.id) == LINES
    buffer = io.BytesIO(LINES)
    file = await api.files.create(file=buffer, purpose="user_data")
    assert fake.state.files.content(file.id) == LINES


async def test_create_from_an_async_iterator_is_sent_chunked(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    file = await api.files.create(
        file=("stream.jsonl", pieces(b'{"a": 1}\n', b'{"b": 2}\n'), "application/jsonl"),  # type: ignore[arg-type]
        purpose="batch",
    )
    assert (file.filename, file.bytes) == ("stream.jsonl", 18)
    assert fake.state.files.content(file.id) == b'{"a": 1}\n{"b": 2}\n'
    assert fake.requests[-1].headers.get("Transfer-Encoding") == "chunked"


async def test_tuples_name_the_file_and_its_content_type(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    await api.files.create(file=("a.jsonl", LINES), purpose="batch")
    await api.files.create(file=("b.jsonl", LINES, "application/jsonl"), purpose="batch")
    names = [f.filename for f in (await api.files.list()).data]
    assert sorted(names) == ["a.jsonl", "b.jsonl"]


async def test_bad_sources_raise_before_sending(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    with pytest.raises(TypeError, match="must be bytes, a path"):
        await api.files.create(file=123, purpose="batch")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="text mode"):
        await api.files.create(file=io.StringIO("text"), purpose="batch")  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError):
        await api.files.create(file=Path("/nonexistent/file.jsonl"), purpose="batch")
    assert fake.requests == []


async def test_the_fake_checks_uploads_as_openai_does(api: AsyncOpenAI) -> None:
    with pytest.raises(BadRequestError, match=r"Must be \.jsonl") as info:
        await api.files.create(file=("input.txt", LINES), purpose="batch")
    assert info.value.param == "file"
    with pytest.raises(BadRequestError, match="Invalid value: 'nope'"):
        await api.files.create(file=LINES, purpose="nope")  # type: ignore[arg-type]
    with pytest.raises(BadRequestError, match=r"expires_after\.seconds"):
        await api.files.create(
            file=LINES, purpose="user_data", expires_after={"anchor": "created_at", "seconds": 5}
        )


# -- content ------------------------------------------------------------------------------


async def test_content_read_in_full(api: AsyncOpenAI, fake: FakeOpenAI, tmp_path: Path) -> None:
    stored = fake.state.files.add_file(LINES, purpose="batch", filename="in.jsonl")
    content = await api.files.content(stored["id"])
    assert content.content == content.read() == await content.aread() == LINES
    assert content.text == LINES.decode()
    assert b"".join(content.iter_bytes(7)) == LINES
    assert [p async for p in content.aiter_bytes(7)][1] == LINES[7:14]
    assert list(content.iter_lines()) == LINES.decode().splitlines()
    content.write_to_file(tmp_path / "a")
    content.stream_to_file(tmp_path / "b", chunk_size=5)
    await content.astream_to_file(tmp_path / "c")
    assert {(tmp_path / n).read_bytes() for n in "abc"} == {LINES}
    assert content.response.request_id is not None


async def test_content_streamed_to_a_file(
    api: AsyncOpenAI, fake: FakeOpenAI, tmp_path: Path
) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)
    stored = fake.state.files.add_file(data, purpose="user_data", filename="big.bin")
    async with api.files.with_streaming_response.content(stored["id"]) as response:
        assert response.status_code == 200 and not response.is_closed
        await response.stream_to_file(tmp_path / "out.bin")
        assert response.is_closed
    assert (tmp_path / "out.bin").read_bytes() == data
    async with api.files.with_streaming_response.content(stored["id"]) as response:
        sizes = [len(p) async for p in response.iter_bytes(1 << 20)]
    assert sizes == [1 << 20] * 3 + [17]


async def test_a_streamed_body_is_capped_when_read_whole(fake: FakeOpenAI) -> None:
    from aio_openai import ResponseTooLargeError

    stored = fake.state.files.add_file(b"x" * 5000, purpose="user_data")
    async with AsyncOpenAI(api_key="sk-x", base_url=fake.url, max_response_bytes=1000) as client:
        async with client.files.with_streaming_response.content(stored["id"]) as response:
            with pytest.raises(ResponseTooLargeError):
                await response.read()
        with pytest.raises(ResponseTooLargeError):
            await client.files.content(stored["id"])


# -- the SDK's shapes of each method ------------------------------------------------------


async def test_retrieve_list_delete(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    first = await api.files.create(file=("a.jsonl", LINES), purpose="batch")
    second = await api.files.create(file=b"x", purpose="user_data")
    assert (await api.files.retrieve(first.id)).id == first.id
    assert [f.id async for f in api.files.list(order="asc")] == [first.id, second.id]
    page = await api.files.list(purpose="batch", limit=1, order="desc")
    assert [f.id for f in page.data] == [first.id]
    deleted = await api.files.delete(first.id)
    assert isinstance(deleted, FileDeleted) and deleted.deleted and deleted.id == first.id
    with pytest.raises(NotFoundError):
        await api.files.retrieve(first.id)


async def test_every_parameter_of_create(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    file = await api.files.create(
        file=("doc.pdf", b"%PDF-1.4", "application/pdf"),
        purpose="assistants",
        expires_after={"anchor": "created_at", "seconds": 3600},
        extra_headers={"X-Test": "1"},
        timeout=30,
    )
    assert file.expires_at == file.created_at + 3600
    assert fake.requests[-1].headers["X-Test"] == "1"


async def test_raw_responses(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    raw = await api.files.with_raw_response.create(file=LINES, purpose="user_data")
    assert isinstance(raw, APIResponse) and raw.status_code == 200
    file = raw.parse()
    assert isinstance(file, FileObject)
    raw_content = await api.files.with_raw_response.content(file.id)
    content = raw_content.parse()
    assert isinstance(content, BinaryResponseContent) and content.content == LINES
    assert type(content).__name__ == "HttpxBinaryResponseContent"  # the SDK's name
    assert raw_content.content == LINES and raw_content.http_request.method == "GET"
    for call in (
        api.files.with_raw_response.retrieve(file.id),
        api.files.with_raw_response.content(file.id),
        api.files.with_raw_response.delete(file.id),
    ):
        response = await call
        assert isinstance(response, APIResponse) and response.request_id
    raw_page = await api.files.with_raw_response.list()
    assert raw_page.parse().data == []


async def test_streaming_responses(api: AsyncOpenAI, fake: FakeOpenAI, tmp_path: Path) -> None:
    streamed = api.files.with_streaming_response
    async with streamed.create(file=LINES, purpose="user_data") as response:
        file = await response.parse()
    assert isinstance(file, FileObject)
    async with streamed.retrieve(file.id) as response:
        assert (await response.parse()).id == file.id
    async with streamed.list() as response:
        assert [f.id for f in (await response.parse()).data] == [file.id]
    async with streamed.content(file.id) as response:
        assert isinstance(response, AsyncAPIResponse) and not response.is_closed
        content = await response.parse()
        assert isinstance(content, BinaryResponseContent) and content.content == LINES
    assert response.is_closed
    async with streamed.content(file.id) as response:
        assert b"".join([chunk async for chunk in response.iter_bytes(5)]) == LINES
        kept = tmp_path / "kept"
        kept.write_bytes(b"mine")
        with pytest.raises(StreamAlreadyConsumed):
            await response.stream_to_file(kept)
        assert kept.read_bytes() == b"mine"  # not opened: nothing lost
    async with streamed.delete(file.id) as response:
        assert (await response.parse()).deleted


async def test_an_empty_id_raises_value_error(api: AsyncOpenAI) -> None:
    for call in (api.files.retrieve, api.files.delete, api.files.content):
        with pytest.raises(ValueError, match="file_id"):
            await call("")


async def test_retrieve_content_and_wait_for_processing(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    stored = fake.state.files.add_file(LINES, purpose="batch")
    assert await api.files.retrieve_content(stored["id"]) == LINES.decode()
    file = await api.files.wait_for_processing(stored["id"], poll_interval=0.01)
    assert file.status == "processed"
