"""``aio-openai assistants|threads|messages|runs`` against a real FakeOpenAI (in a thread).

``main()`` runs its own event loop, so these are plain sync tests; the output is the API's
JSON, as for ``models``.
"""

from __future__ import annotations

import json
import warnings
from typing import Any, Final

import pytest

from aio_openai.cli import main
from aio_openai.testing import FakeOpenAI

SECRET: Final = "sk-SECRET-cli-assistants-123"


@pytest.fixture(autouse=True)
def env(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)


@pytest.fixture
def fake(fake_openai: FakeOpenAI) -> FakeOpenAI:
    fake_openai.state.assistants.configure(polls=1, poll_after_ms=0)
    return fake_openai


def cli(capsys: pytest.CaptureFixture[str], fake: FakeOpenAI, *argv: str) -> tuple[int, Any, str]:
    """Run the command against ``fake``; return (status, parsed stdout or None, stderr)."""
    status = main([*argv, "--base-url", fake.url])
    out, err = capsys.readouterr()
    assert SECRET not in out and SECRET not in err
    return status, json.loads(out) if out else None, err


def ok(capsys: pytest.CaptureFixture[str], fake: FakeOpenAI, *argv: str) -> Any:
    status, data, err = cli(capsys, fake, *argv)
    assert (status, err) == (0, "")
    return data


def test_assistants_commands(capsys: pytest.CaptureFixture[str], fake: FakeOpenAI) -> None:
    created = ok(
        capsys,
        fake,
        "assistants",
        "create",
        "--model",
        "gpt-4",
        "--name",
        "Math Tutor",
        "--instructions",
        "Help.",
        "--tool",
        "code_interpreter",
        "--function",
        "get_weather",
        "--metadata",
        "team=a",
        "--temperature",
        "0.5",
    )
    assert created["id"].startswith("asst_") and created["object"] == "assistant"
    assert fake.requests[-1].json == {
        "model": "gpt-4",
        "name": "Math Tutor",
        "instructions": "Help.",
        "tools": [
            {"type": "code_interpreter"},
            {"type": "function", "function": {"name": "get_weather"}},
        ],
        "metadata": {"team": "a"},
        "temperature": 0.5,
    }
    assert fake.requests[-1].headers["OpenAI-Beta"] == "assistants=v2"
    assert ok(capsys, fake, "assistants", "get", created["id"]) == created
    updated = ok(capsys, fake, "assistants", "update", created["id"], "--name", "Algebra")
    assert fake.requests[-1].json == {"name": "Algebra"}
    assert updated["name"] == "Algebra"
    page = ok(capsys, fake, "assistants", "list", "--limit", "1", "--order", "asc")
    assert page["object"] == "list" and [a["id"] for a in page["data"]] == [created["id"]]
    assert dict(fake.requests[-1].query) == {"limit": "1", "order": "asc"}
    deleted = ok(capsys, fake, "assistants", "delete", created["id"])
    assert deleted == {"id": created["id"], "object": "assistant.deleted", "deleted": True}


@pytest.mark.parametrize("action", ["error", "always"])
def test_the_deprecation_of_the_api_is_never_a_warning_line(
    capsys: pytest.CaptureFixture[str], fake: FakeOpenAI, action: Any
) -> None:
    """The user chose the Assistants API by choosing the command: its DeprecationWarning is
    neither printed nor an error, whatever the warning filters say."""
    with warnings.catch_warnings():
        warnings.simplefilter(action)
        created = ok(capsys, fake, "assistants", "create", "--model", "gpt-4")
        thread = ok(capsys, fake, "threads", "create")
        ok(capsys, fake, "runs", "create", thread["id"], "--assistant", created["id"])


def test_threads_and_messages_commands(
    capsys: pytest.CaptureFixture[str], fake: FakeOpenAI
) -> None:
    thread = ok(capsys, fake, "threads", "create", "--message", "hello", "--metadata", "u=1")
    assert thread["id"].startswith("thread_") and thread["metadata"] == {"u": "1"}
    assert ok(capsys, fake, "threads", "get", thread["id"]) == thread
    assert ok(capsys, fake, "threads", "update", thread["id"], "--metadata", "u=2")["metadata"] == {
        "u": "2"
    }
    message = ok(capsys, fake, "messages", "create", thread["id"], "--content", "more")
    assert message["content"][0]["text"]["value"] == "more" and message["role"] == "user"
    page = ok(capsys, fake, "messages", "list", thread["id"], "--order", "asc")
    assert [m["content"][0]["text"]["value"] for m in page["data"]] == ["hello", "more"]
    got = ok(capsys, fake, "messages", "get", thread["id"], message["id"])
    assert got == message
    changed = ok(
        capsys, fake, "messages", "update", thread["id"], message["id"], "--metadata", "k=v"
    )
    assert changed["metadata"] == {"k": "v"}
    deleted = ok(capsys, fake, "messages", "delete", thread["id"], message["id"])
    assert deleted["deleted"] is True and deleted["object"] == "thread.message.deleted"
    assert ok(capsys, fake, "threads", "delete", thread["id"])["deleted"] is True


def test_runs_commands(capsys: pytest.CaptureFixture[str], fake: FakeOpenAI) -> None:
    assistant = ok(capsys, fake, "assistants", "create", "--model", "gpt-4")
    thread = ok(capsys, fake, "threads", "create", "--message", "ping")
    run = ok(capsys, fake, "runs", "create", thread["id"], "--assistant", assistant["id"])
    assert run["status"] == "queued" and run["id"].startswith("run_")
    waited = ok(capsys, fake, "runs", "wait", thread["id"], run["id"], "--deadline", "30")
    assert waited["status"] == "completed" and waited["usage"]["total_tokens"] > 0
    assert ok(capsys, fake, "runs", "get", thread["id"], run["id"])["status"] == "completed"
    page = ok(capsys, fake, "runs", "list", thread["id"])
    assert [r["id"] for r in page["data"]] == [run["id"]]
    replies = ok(capsys, fake, "messages", "list", thread["id"], "--run-id", run["id"])
    assert [m["role"] for m in replies["data"]] == ["assistant"]
    again = ok(capsys, fake, "runs", "create", thread["id"], "--assistant", assistant["id"])
    cancelling = ok(capsys, fake, "runs", "cancel", thread["id"], again["id"])
    assert cancelling["status"] == "cancelling"
    assert ok(capsys, fake, "runs", "wait", thread["id"], again["id"])["status"] == "cancelled"


def test_wait_past_its_deadline_fails(capsys: pytest.CaptureFixture[str], fake: FakeOpenAI) -> None:
    fake.state.assistants.configure(polls=100, poll_after_ms=60_000)
    assistant = ok(capsys, fake, "assistants", "create", "--model", "gpt-4")
    thread = ok(capsys, fake, "threads", "create")
    run = ok(capsys, fake, "runs", "create", thread["id"], "--assistant", assistant["id"])
    status, out, err = cli(capsys, fake, "runs", "wait", thread["id"], run["id"], "--deadline", "5")
    assert (status, out) == (1, None)
    assert err == f"error: run {run['id']} is still queued after the deadline of 5 s\n"


def test_v1_mode(capsys: pytest.CaptureFixture[str], fake: FakeOpenAI) -> None:
    created = ok(
        capsys,
        fake,
        "assistants",
        "create",
        "--model",
        "gpt-4",
        "--tool",
        "retrieval",
        "--file-id",
        "file-1",
        "--assistants-version",
        "v1",
    )
    assert fake.requests[-1].headers["OpenAI-Beta"] == "assistants=v1"
    assert created["file_ids"] == ["file-1"] and "tool_resources" not in created
    assert created["tools"] == [{"type": "retrieval"}]


def test_errors_are_one_line(capsys: pytest.CaptureFixture[str], fake: FakeOpenAI) -> None:
    status, out, err = cli(capsys, fake, "assistants", "get", "asst_nope")
    assert (status, out) == (1, None)
    assert err.startswith("error: 404 NotFoundError: No assistant found with id 'asst_nope'.")
    assert err.count("\n") == 1 and "(request id req_" in err
    status, _, err = cli(capsys, fake, "runs", "wait", "thread_x", "run_x", "--deadline", "0")
    assert status == 2 and "must be a positive number" in err
    status, _, err = cli(capsys, fake, "assistants", "create")
    assert status == 2 and "--model" in err
