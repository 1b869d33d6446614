"""Multipart bodies (``_multipart``): the form as the SDK writes it, the announced size equal
to the bytes sent, filenames and content types, one-shot sources, and the request builder's
metering of uploads (one request, no token estimate)."""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from aio_openai import AsyncOpenAI
from aio_openai._multipart import FileSlice, form_fields, multipart_body
from aio_openai._request import build_request


def parts(body: bytes, content_type: str) -> list[Any]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    assert message.is_multipart()
    return list(message.get_payload())  # type: ignore[arg-type]


def read(fields: dict[str, Any], files: tuple[str, ...] = ("file",)) -> tuple[bytes, Any]:
    body = multipart_body(fields, files)
    data = asyncio.run(body.read())
    return data, body


def test_fields_are_written_as_the_sdk_writes_them() -> None:
    value = {"anchor": "created_at", "seconds": 3600, "tags": ["a", "b"], "on": True, "x": None}
    assert list(form_fields("expires_after", value)) == [
        ("expires_after[anchor]", "created_at"),
        ("expires_after[seconds]", "3600"),
        ("expires_after[tags][]", "a"),
        ("expires_after[tags][]", "b"),
        ("expires_after[on]", "true"),
    ]


def test_a_mapping_where_a_file_may_go_is_sent_as_fields() -> None:
    """A file parameter that also takes a reference (``videos.edit(video={"id": ...})``)."""
    data, body = read({"video": {"id": "video_1"}, "prompt": "x"}, ("video",))
    reference, prompt = parts(data, body.content_type)
    assert reference.get_param("name", header="content-disposition") == "video[id]"
    assert reference.get_filename() is None and reference.get_payload() == "video_1"
    assert prompt.get_payload() == "x"


def test_the_size_is_the_bytes_sent_and_the_parts_parse(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_bytes(b"a,b\n" * 100_000)
    data, body = read(
        {"file": path, "purpose": "user_data", "expires_after": {"anchor": "created_at"}}
    )
    assert body.size == len(data)
    file, purpose, anchor = parts(data, body.content_type)
    assert file.get_filename() == "report.csv" and file.get_content_type() == "text/csv"
    assert file.get_payload(decode=True) == path.read_bytes()
    assert purpose.get_payload() == "user_data"
    assert anchor.get_param("name", header="content-disposition") == "expires_after[anchor]"


def test_tuples_names_and_quoting() -> None:
    data, body = read({"file": ('we"ird\r\nname.bin', b"x", "application/x-test", {"X-A": "1"})})
    (file,) = parts(data, body.content_type)
    assert 'filename="we%22ird%0D%0Aname.bin"' in file["Content-Disposition"]
    assert file.get_content_type() == "application/x-test" and file["X-A"] == "1"
    data, body = read({"file": b"raw"})
    assert parts(data, body.content_type)[0].get_filename() == "upload"
    data, body = read({"image": [b"a", ("b.png", b"b")]}, ("image",))
    names = [
        p.get_param("name", header="content-disposition") for p in parts(data, body.content_type)
    ]
    assert names == ["image[]", "image[]"]


def test_slices_and_open_files_send_their_part(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(bytes(range(256)) * 10)
    data, body = read({"file": FileSlice(path, 100, 50)})
    assert parts(data, body.content_type)[0].get_payload(decode=True) == path.read_bytes()[100:150]
    handle = io.BytesIO(b"skipKEEP")
    handle.seek(4)
    data, body = read({"file": handle})
    assert body.replayable and body.size == len(data)
    assert parts(data, body.content_type)[0].get_payload(decode=True) == b"KEEP"
    again = asyncio.run(body.read())  # a second attempt sends the same bytes
    assert again == data


async def chunks() -> AsyncIterator[bytes]:
    yield b"one "
    yield b"two"


def test_an_async_iterator_is_one_shot_and_of_unknown_size() -> None:
    data, body = read({"file": chunks()})
    assert not body.replayable and body.size is None and body.started
    assert parts(data, body.content_type)[0].get_payload(decode=True) == b"one two"


def test_bad_values_are_type_errors() -> None:
    with pytest.raises(TypeError, match="must be bytes, a path"):
        multipart_body({"file": 3.5}, ("file",))
    with pytest.raises(TypeError, match=r"\(filename, content"):
        multipart_body({"file": ("only name",)}, ("file",))


async def test_uploads_are_metered_as_one_request() -> None:
    async with AsyncOpenAI(api_key="sk-multipart", base_url="http://127.0.0.1:9/v1") as client:
        request = build_request(
            client._config,
            "POST",
            "/audio/transcriptions",
            body={"model": "whisper-1", "file": b"x" * 10_000, "prompt": "words " * 500},
            metered=True,
            files=("file",),
        )
    assert request.upload is not None and request.content is None
    assert (request.model, request.token_cost) == ("whisper-1", 0)
    assert request.json_data == {"model": "whisper-1", "prompt": "words " * 500}
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
