"""``aio-openai files upload|list|get|content|delete`` against a real FakeOpenAI (in a
thread): the API's JSON on stdout, a file's bytes on stdout or in a file, and one ``error:``
line with exit status 2 for bad usage (1 for a refused call)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Final

import pytest

from aio_openai.cli import main
from aio_openai.testing import FakeOpenAI

SECRET: Final = "sk-SECRET-cli-files-123"


@pytest.fixture(autouse=True)
def env(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)


def cli(capsys: pytest.CaptureFixture[str], fake: FakeOpenAI, *argv: str) -> tuple[int, str, str]:
    status = main([*argv, "--base-url", fake.url])
    out, err = capsys.readouterr()
    assert SECRET not in out and SECRET not in err
    return status, out, err


def ok(capsys: pytest.CaptureFixture[str], fake: FakeOpenAI, *argv: str) -> Any:
    status, out, err = cli(capsys, fake, *argv)
    assert (status, err) == (0, "")
    return json.loads(out)


def test_upload_list_get_content_delete(
    capsys: pytest.CaptureFixture[str], fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    fake = fake_openai
    data = os.urandom(300_000)
    path = tmp_path / "data.bin"
    path.write_bytes(data)
    uploaded = ok(capsys, fake, "files", "upload", str(path), "--purpose", "user_data")
    assert (uploaded["filename"], uploaded["bytes"], uploaded["purpose"]) == (
        "data.bin",
        len(data),
        "user_data",
    )
    assert fake.state.files.content(uploaded["id"]) == data
    expiring = ok(
        capsys, fake, "files", "upload", str(path), "--purpose", "assistants",
        "--expires-after", "3600",
    )  # fmt: skip
    assert expiring["expires_at"] == expiring["created_at"] + 3600
    listed = ok(capsys, fake, "files", "list", "--purpose", "user_data", "--order", "asc")
    assert [f["id"] for f in listed["data"]] == [uploaded["id"]]
    assert ok(capsys, fake, "files", "get", uploaded["id"])["id"] == uploaded["id"]
    out_file = tmp_path / "out.bin"
    status, out, err = cli(capsys, fake, "files", "content", uploaded["id"], "-o", str(out_file))
    assert (status, out, err) == (0, "", "")
    assert out_file.read_bytes() == data
    deleted = ok(capsys, fake, "files", "delete", uploaded["id"])
    assert deleted == {"id": uploaded["id"], "object": "file", "deleted": True}


def test_content_to_stdout(
    capsysbinary: pytest.CaptureFixture[bytes], fake_openai: FakeOpenAI
) -> None:
    stored = fake_openai.state.files.add_file(b"line 1\nline 2\n", purpose="batch")
    status = main(["files", "content", stored["id"], "--base-url", fake_openai.url])
    out, err = capsysbinary.readouterr()
    assert (status, out, err) == (0, b"line 1\nline 2\n", b"")


def test_bad_usage_is_one_error_line_and_status_2(
    capsys: pytest.CaptureFixture[str], fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    missing = str(tmp_path / "missing.jsonl")
    status, out, err = cli(capsys, fake_openai, "files", "upload", missing, "--purpose", "batch")
    assert (status, out) == (2, "")
    assert err == f"error: PATH: {missing!r} is not a file\n"
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"{}\n")
    status, _, err = cli(
        capsys, fake_openai, "files", "upload", str(path), "--purpose", "batch",
        "--expires-after", "5",
    )  # fmt: skip
    assert status == 2 and err.startswith("error: --expires-after: expected seconds")
    assert err.count("\n") == 1
    status, _, err = cli(capsys, fake_openai, "files", "get", "")
    assert (status, err) == (2, "error: FILE_ID: an id must not be empty\n")
    assert fake_openai.requests == []


def test_a_refused_call_is_one_error_line_and_status_1(
    capsys: pytest.CaptureFixture[str], fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    path = tmp_path / "in.txt"
    path.write_bytes(b"{}\n")
    status, out, err = cli(capsys, fake_openai, "files", "upload", str(path), "--purpose", "batch")
    assert (status, out) == (1, "")
    assert err.startswith("error: 400 BadRequestError: Invalid file format for Batch API")
    assert err.count("\n") == 1
    status, _, err = cli(capsys, fake_openai, "files", "content", "file-nope")
    assert status == 1 and err.startswith("error: 404 NotFoundError: No such File object")
