"""``aio-openai respond`` against FakeOpenAI, and the demo's Responses section.

``main()`` runs its own event loop, so these are sync tests and the fake server runs in a thread
of its own (the ``fake_openai`` fixture).
"""

from __future__ import annotations

import asyncio
import io
import re
from typing import Final

import pytest

from aio_openai._demo import SECTIONS, DemoOptions, Section, run_demo
from aio_openai.cli import main
from aio_openai.testing import FakeOpenAI

SECRET: Final = "sk-SECRET-respond-abc123"
TEXT: Final = "Héllo, respond to this 🎉"


@pytest.fixture(autouse=True)
def env(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert SECRET not in out + err
    return status, out, err


def response_id(err: str) -> str:
    match = re.fullmatch(r"response: (resp_\w+)\n", err)
    assert match is not None, err
    return match[1]


def test_respond_prints_the_reply_and_the_id(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_openai.state.responses.replies[TEXT] = "Scripted answer."
    status, out, err = run(capsys, "respond", TEXT, "--base-url", fake_openai.url)
    assert (status, out) == (0, "Scripted answer.\n")
    rid = response_id(err)
    assert rid in fake_openai.state.responses.responses
    assert fake_openai.requests[-1].json == {"model": "gpt-4o-mini", "input": TEXT}


def test_respond_stream_prints_the_reply_as_it_streams(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_openai.state.responses.configure(chunk_size=2)
    status, out, err = run(
        capsys, "respond", TEXT, "--stream", "--model", "gpt-4o", "--instructions", "Be kind.",
        "--base-url", fake_openai.url,
    )  # fmt: skip
    assert (status, out) == (0, TEXT + "\n")
    response_id(err)
    body = fake_openai.requests[-1].json
    assert body == {"model": "gpt-4o", "input": TEXT, "instructions": "Be kind.", "stream": True}


def test_respond_continues_a_response_or_a_conversation(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "respond", "first", "--base-url", fake_openai.url)
    first = response_id(err)
    status, out, err = run(
        capsys, "respond", "second", "--previous-response-id", first,
        "--base-url", fake_openai.url,
    )  # fmt: skip
    assert (status, out) == (0, "second\n")
    assert fake_openai.requests[-1].json["previous_response_id"] == first
    state = fake_openai.state.responses
    conversation = state.create_conversation({})["id"]
    status, out, _ = run(
        capsys, "respond", "third", "--stream", "--conversation", conversation,
        "--base-url", fake_openai.url,
    )  # fmt: skip
    assert (status, out) == (0, "third\n")
    assert fake_openai.requests[-1].json["conversation"] == conversation
    assert len(state.items[conversation]) == 2


def test_respond_errors_are_one_line(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        capsys, "respond", "x", "--previous-response-id", "resp_nope", "--base-url", fake_openai.url
    )
    assert status == 1 and out == ""
    assert err.startswith("error: 404 NotFoundError: Previous response with id 'resp_nope'")
    assert err.count("\n") == 1


def test_respond_reads_stdin_and_reports_api_errors(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("from stdin"))
    status, out, _ = run(capsys, "respond", "-", "--base-url", fake_openai.url)
    assert (status, out) == (0, "from stdin\n")
    fake_openai.faults.push("POST /v1/responses", status=400, message="Bad input.")
    status, _, err = run(capsys, "respond", "x", "--base-url", fake_openai.url)
    assert status == 1 and err.startswith("error: 400 BadRequestError: Bad input.")


@pytest.mark.parametrize("stream", [[], ["--stream"]])
def test_an_incomplete_response_prints_what_came_and_fails(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], stream: list[str]
) -> None:
    fake_openai.state.responses.replies["Long?"] = "word " * 40
    status, out, err = run(
        capsys, "respond", "Long?", "--max-output-tokens", "16", *stream,
        "--base-url", fake_openai.url,
    )  # fmt: skip
    assert status == 1 and out == ("word " * 40)[:64] + "\n"
    assert err.startswith("response: resp_")
    assert "error: the response is incomplete: max_output_tokens" in err
    assert fake_openai.requests[-1].json["max_output_tokens"] == 16


def test_respond_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "respond", "   ")[0] == 2
    assert run(capsys, "respond", "x", "--conversation", "c", "--previous-response-id", "r")[0] == 2
    assert run(capsys, "respond", "x", "--max-output-tokens", "8")[0] == 2


def test_the_demo_holds_a_conversation_with_a_tool_call() -> None:
    (section,) = [s for s in SECTIONS if s.title == "responses"]
    out, err = io.StringIO(), io.StringIO()
    (report,) = asyncio.run(run_demo(DemoOptions(), out=out, err=err, sections=[section]))
    assert report.failure is None
    rows = dict(report.rows)
    assert rows["tool call"] == 'get_weather({"city":"Lisbon"})'
    assert rows["reply"] == "Sunny in Lisbon, 24 C."
    assert int(rows["events"]) > 10
    # developer note, question, function call, its output, the reply
    assert rows["conversation items"] == "5"
    assert int(rows["tokens"]) > 0
    assert "responses: gpt-4o-mini, embedded FakeOpenAI at http://" in out.getvalue()
    assert err.getvalue() == ""


def test_the_demo_skips_responses_against_a_base_url(fake_openai: FakeOpenAI) -> None:
    sections: list[Section] = [s for s in SECTIONS if s.title == "responses"]
    options = DemoOptions(base_url=fake_openai.url, api_key=SECRET)
    out, err = io.StringIO(), io.StringIO()
    (report,) = asyncio.run(run_demo(options, out=out, err=err, sections=sections))
    assert report.failure is None
    assert dict(report.rows) == {"skipped": "runs against the embedded FakeOpenAI"}
    assert fake_openai.requests == []
