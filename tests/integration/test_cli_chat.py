"""``aio-openai chat`` and ``aio-openai embed`` against FakeOpenAI, and the demo's streamed chat.

``main()`` runs its own event loop, so these are sync tests and the fake server runs in a thread
of its own (the ``fake_openai`` fixture).
"""

from __future__ import annotations

import asyncio
import io
import json
import re
from typing import Final

import pytest

from aio_openai._demo import CHAT_PROMPT, DemoOptions, Section, run_demo
from aio_openai.cli import main
from aio_openai.testing import FakeOpenAI

SECRET: Final = "sk-SECRET-chat-abc123"
TEXT: Final = "Héllo, stream this 🎉"


@pytest.fixture(autouse=True)
def env(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert SECRET not in out + err
    return status, out, err


def test_chat_prints_the_reply(fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    fake_openai.state.chat.replies[TEXT] = "Scripted answer."
    status, out, err = run(capsys, "chat", TEXT, "--base-url", fake_openai.url)
    assert (status, out, err) == (0, "Scripted answer.\n", "")
    body = fake_openai.requests[-1].json
    assert body == {"messages": [{"role": "user", "content": TEXT}], "model": "gpt-4o-mini"}


def test_chat_stream_prints_the_reply_as_it_streams(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_openai.state.chat.configure(chunk_size=2)
    status, out, err = run(
        capsys, "chat", TEXT, "--stream", "--model", "gpt-4o", "--system", "Be kind.",
        "--max-tokens", "100", "--temperature", "0", "--base-url", fake_openai.url,
    )  # fmt: skip
    assert (status, out, err) == (0, TEXT + "\n", "")
    body = fake_openai.requests[-1].json
    assert body["stream"] is True and body["model"] == "gpt-4o"
    assert body["messages"][0] == {"role": "system", "content": "Be kind."}
    assert (body["max_completion_tokens"], body["temperature"]) == (100, 0.0)


def test_chat_reads_the_prompt_from_stdin(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("from stdin"))
    status, out, _ = run(capsys, "chat", "-", "--base-url", fake_openai.url)
    assert (status, out) == (0, "from stdin\n")


def test_chat_errors_are_one_line(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_openai.faults.push("POST /v1/chat/completions", status=400, message="Bad prompt.")
    status, out, err = run(capsys, "chat", "x", "--base-url", fake_openai.url)
    assert status == 1 and out == ""
    assert err.startswith("error: 400 BadRequestError: Bad prompt. (request id req_")


def test_a_stream_cut_short_prints_what_came_and_fails(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_openai.state.chat.configure(chunk_size=1)
    fake_openai.faults.push("POST /v1/chat/completions", kind="stream_cut", after=400)
    status, out, err = run(
        capsys, "chat", TEXT, "--stream", "--base-url", fake_openai.url, "--max-retries", "0"
    )
    assert status == 1
    assert out.endswith("\n") and TEXT.startswith(out[:-1]) and out[:-1] != TEXT
    assert err.startswith("error: cannot connect to ")


def test_chat_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "chat", "   ")[0] == 2
    assert run(capsys, "chat", "x", "--temperature", "3")[0] == 2


def test_embed_prints_the_vectors_as_json(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        capsys, "embed", "one", "two", "--dimensions", "4", "--base-url", fake_openai.url
    )
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert [item["index"] for item in data["data"]] == [0, 1]
    assert all(len(item["embedding"]) == 4 for item in data["data"])
    assert data["model"] == "text-embedding-3-small" and data["usage"]["total_tokens"] == 2
    sent = fake_openai.requests[-1].json
    assert sent["input"] == ["one", "two"] and sent["encoding_format"] == "base64"

    status, out, _ = run(
        capsys, "embed", "one", "--encoding-format", "base64", "--base-url", fake_openai.url
    )
    assert status == 0 and isinstance(json.loads(out)["data"][0]["embedding"], str)
    assert fake_openai.requests[-1].json["input"] == "one"


def test_the_demo_streams_a_chat_from_the_embedded_fake() -> None:
    from aio_openai._demo import SECTIONS

    (section,) = [s for s in SECTIONS if s.title == "streamed chat"]
    out, err = io.StringIO(), io.StringIO()
    reports = asyncio.run(run_demo(DemoOptions(), out=out, err=err, sections=[section]))
    (report,) = reports
    assert report.failure is None
    rows = dict(report.rows)
    assert rows["reply"] == CHAT_PROMPT
    assert int(rows["chunks"]) > 3
    assert rows["first chunk"].endswith(" ms") and rows["whole reply"].endswith(" ms")
    match = re.fullmatch(r"(\d+) prompt \+ (\d+) completion = (\d+)", rows["tokens"])
    assert match is not None
    assert int(match[1]) + int(match[2]) == int(match[3]) > 0
    assert "streamed chat: gpt-4o-mini, embedded FakeOpenAI at http://" in out.getvalue()
    assert err.getvalue() == ""


def test_the_demo_skips_the_streamed_chat_against_a_base_url(fake_openai: FakeOpenAI) -> None:
    from aio_openai._demo import SECTIONS

    sections: list[Section] = [s for s in SECTIONS if s.title == "streamed chat"]
    options = DemoOptions(base_url=fake_openai.url, api_key=SECRET)
    out, err = io.StringIO(), io.StringIO()
    (report,) = asyncio.run(run_demo(options, out=out, err=err, sections=sections))
    assert report.failure is None and dict(report.rows) == {
        "skipped": "runs against the embedded FakeOpenAI"
    }
    assert fake_openai.requests == []
