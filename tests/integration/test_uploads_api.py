"""The Uploads API end to end against FakeOpenAI: create, parts, complete, cancel, the
SDK's per-method shapes, the fake's checks, and ``upload_file_chunked`` (parts sent
concurrently within a bound, each retried on its own)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from aio_openai import APIResponse, AsyncOpenAI, BadRequestError, NotFoundError, RetryPolicy
from aio_openai.testing import FakeOpenAI
from aio_openai.types import Upload
from aio_openai.types.uploads import UploadPart

DATA = os.urandom(1000)


async def test_create_parts_complete(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    upload = await api.uploads.create(
        bytes=len(DATA),
        filename="data.bin",
        mime_type="application/octet-stream",
        purpose="user_data",
    )
    assert isinstance(upload, Upload)
    assert (upload.status, upload.bytes, upload.expires_at - upload.created_at) == (
        "pending",
        1000,
        3600,
    )
    second = await api.uploads.parts.create(upload.id, data=DATA[600:])
    first = await api.uploads.parts.create(upload.id, data=("a.bin", DATA[:600]))
    assert isinstance(first, UploadPart) and first.upload_id == upload.id
    done = await api.uploads.complete(
        upload.id, part_ids=[first.id, second.id], md5=hashlib.md5(DATA).hexdigest()
    )
    assert done.status == "completed" and done.file is not None
    assert (done.file.filename, done.file.bytes, done.file.purpose) == (
        "data.bin",
        1000,
        "user_data",
    )
    assert fake.state.files.content(done.file.id) == DATA
    assert (await api.files.retrieve(done.file.id)).id == done.file.id


async def test_every_parameter_of_create(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    upload = await api.uploads.create(
        bytes=10,
        filename="x.jsonl",
        mime_type="text/jsonl",
        purpose="batch",
        expires_after={"anchor": "created_at", "seconds": 7200},
        extra_headers={"X-Test": "1"},
    )
    assert fake.requests[-1].json == {
        "bytes": 10,
        "filename": "x.jsonl",
        "mime_type": "text/jsonl",
        "purpose": "batch",
        "expires_after": {"anchor": "created_at", "seconds": 7200},
    }
    assert upload.expires_at - upload.created_at == 7200


async def test_the_fake_checks_as_openai_does(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    upload = await api.uploads.create(
        bytes=5, filename="x.bin", mime_type="application/octet-stream", purpose="user_data"
    )
    part = await api.uploads.parts.create(upload.id, data=b"abc")
    with pytest.raises(BadRequestError, match=r"bytes uploaded \(3\) does not match .* \(5\)"):
        await api.uploads.complete(upload.id, part_ids=[part.id])
    with pytest.raises(BadRequestError, match="No such part"):
        await api.uploads.complete(upload.id, part_ids=["part_nope"])
    more = await api.uploads.parts.create(upload.id, data=b"de")
    with pytest.raises(BadRequestError, match="md5"):
        await api.uploads.complete(upload.id, part_ids=[part.id, more.id], md5="0" * 32)
    cancelled = await api.uploads.cancel(upload.id)
    assert cancelled.status == "cancelled"
    with pytest.raises(BadRequestError, match="status 'cancelled'"):
        await api.uploads.parts.create(upload.id, data=b"x")
    with pytest.raises(NotFoundError):
        await api.uploads.parts.create("upload_nope", data=b"x")
    with pytest.raises(BadRequestError, match="Invalid value: 'nope'"):
        await api.uploads.create(bytes=1, filename="f", mime_type="m", purpose="nope")  # type: ignore[arg-type]
    with pytest.raises(BadRequestError, match="'bytes'"):
        await api.uploads.create(bytes=0, filename="f", mime_type="m", purpose="batch")


async def test_an_upload_expires(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    now = [1_000_000.0]
    fake.state.uploads._clock = lambda: now[0]
    upload = await api.uploads.create(bytes=1, filename="f", mime_type="m", purpose="user_data")
    now[0] += 3600
    with pytest.raises(BadRequestError, match="status 'expired'"):
        await api.uploads.parts.create(upload.id, data=b"x")
    assert fake.state.uploads.get(upload.id)["status"] == "expired"


async def test_raw_and_streaming_responses(api: AsyncOpenAI) -> None:
    raw = await api.uploads.with_raw_response.create(
        bytes=3, filename="f.bin", mime_type="m", purpose="user_data"
    )
    assert isinstance(raw, APIResponse)
    upload = raw.parse()
    part = await api.uploads.parts.with_raw_response.create(upload.id, data=b"ab")
    assert isinstance(part.parse(), UploadPart)
    async with api.uploads.with_streaming_response.parts.create(upload.id, data=b"c") as r:
        last = await r.parse()
    async with api.uploads.with_streaming_response.complete(
        upload.id, part_ids=[part.parse().id, last.id]
    ) as response:
        assert response.status_code == 200
        assert (await response.parse()).status == "completed"
    other = await api.uploads.create(bytes=1, filename="f", mime_type="m", purpose="user_data")
    cancelled = await api.uploads.with_raw_response.cancel(other.id)
    assert cancelled.parse().status == "cancelled"
    async with api.uploads.with_streaming_response.create(
        bytes=1, filename="f", mime_type="m", purpose="user_data"
    ) as response:
        assert isinstance(await response.parse(), Upload)


async def test_an_empty_id_raises_value_error(api: AsyncOpenAI) -> None:
    with pytest.raises(ValueError, match="upload_id"):
        await api.uploads.complete("", part_ids=[])
    with pytest.raises(ValueError, match="upload_id"):
        await api.uploads.cancel("")
    with pytest.raises(ValueError, match="upload_id"):
        await api.uploads.parts.create("", data=b"x")


# -- upload_file_chunked ------------------------------------------------------------------


async def test_upload_file_chunked_from_a_path(
    api: AsyncOpenAI, fake: FakeOpenAI, tmp_path: Path
) -> None:
    data = os.urandom(10_000)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    upload = await api.uploads.upload_file_chunked(
        file=path, mime_type="application/octet-stream", purpose="user_data", part_size=3000
    )
    assert upload.status == "completed" and upload.file is not None
    assert upload.file.filename == "big.bin"
    assert fake.state.files.content(upload.file.id) == data
    parts = [r for r in fake.requests if r.path.endswith("/parts")]
    assert len(parts) == 4


async def test_upload_file_chunked_from_bytes_with_md5(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    upload = await api.uploads.upload_file_chunked(
        file=DATA,
        filename="d.bin",
        mime_type="application/octet-stream",
        purpose="user_data",
        part_size=300,
        md5=hashlib.md5(DATA).hexdigest(),
        max_concurrency=2,
    )
    assert upload.file is not None and fake.state.files.content(upload.file.id) == DATA
    with pytest.raises(TypeError, match="filename"):
        await api.uploads.upload_file_chunked(file=DATA, mime_type="m", purpose="user_data")


async def test_parts_are_sent_concurrently_within_the_bound(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    """A middleware counts parts in flight: they overlap, never more than the bound."""
    in_flight = [0]
    peak = [0]

    async def count(request: Any, call_next: Any) -> Any:
        if not request.url.path.endswith("/parts"):
            return await call_next(request)
        in_flight[0] += 1
        peak[0] = max(peak[0], in_flight[0])
        try:
            return await call_next(request)
        finally:
            in_flight[0] -= 1

    path = tmp_path / "f.bin"
    path.write_bytes(os.urandom(50_000))
    async with AsyncOpenAI(api_key="sk-x", base_url=fake.url, middlewares=[count]) as client:
        await client.uploads.upload_file_chunked(
            file=path, mime_type="m", purpose="user_data", part_size=1000, max_concurrency=3
        )
    assert peak[0] == 3


async def test_each_part_is_retried_on_its_own(fake: FakeOpenAI, tmp_path: Path) -> None:
    data = os.urandom(5000)
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    fake.faults.push("POST /v1/uploads/{upload_id}/parts", status=500, times=2)
    policy = RetryPolicy(max_retries=2, initial_delay=0, max_delay=0)
    async with AsyncOpenAI(api_key="sk-x", base_url=fake.url, retry_policy=policy) as client:
        upload = await client.uploads.upload_file_chunked(
            file=path, mime_type="m", purpose="user_data", part_size=1000
        )
        assert client.stats.retries == 2
    assert upload.file is not None and fake.state.files.content(upload.file.id) == data


async def test_a_part_failing_for_good_cancels_the_upload(fake: FakeOpenAI) -> None:
    fake.faults.push("POST /v1/uploads/{upload_id}/parts", status=400)
    async with AsyncOpenAI(api_key="sk-x", base_url=fake.url, max_retries=0) as client:
        with pytest.raises(BadRequestError):
            await client.uploads.upload_file_chunked(
                file=DATA, filename="d", mime_type="m", purpose="user_data", part_size=100
            )
    cancels = [r for r in fake.requests if r.path.endswith("/cancel")]
    assert len(cancels) == 1
    upload_id = cancels[0].path.split("/")[3]
    assert fake.state.uploads.get(upload_id)["status"] == "cancelled"
