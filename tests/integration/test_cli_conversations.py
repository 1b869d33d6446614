"""``aio-openai conversations`` end to end: the installed command in a subprocess against one
FakeOpenAI (in a thread), with ``respond --conversation`` carrying a chat along from the shell."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, Final

import pytest
from cli_script import run_script

from aio_openai.testing import FakeOpenAI

SECRET: Final = "sk-SECRET-cli-conversations-9e1f"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI().running_in_thread() as server:
        yield server


def cli(fake: FakeOpenAI, *argv: str) -> tuple[int, str, str]:
    """Run ``aio-openai ARGV --base-url FAKE`` in a subprocess: (exit status, stdout, stderr)."""
    return run_script(*argv, "--base-url", fake.url, api_key=SECRET)


def ok(fake: FakeOpenAI, *argv: str) -> Any:
    status, out, err = cli(fake, *argv)
    assert (status, err) == (0, ""), err
    return json.loads(out)


def test_a_conversation_from_the_shell(fake: FakeOpenAI) -> None:
    created = ok(
        fake, "conversations", "create", "--message", "My name is Ada.", "--metadata", "topic=names"
    )
    conversation = created["id"]
    assert created["object"] == "conversation"
    assert created["metadata"] == {"topic": "names"}
    assert fake.requests[-1].json == {
        "items": [{"type": "message", "role": "user", "content": "My name is Ada."}],
        "metadata": {"topic": "names"},
    }

    added = ok(fake, "conversations", "items", "add", conversation, "--message", "Noted.",
               "--message", "Anything else?", "--role", "assistant")  # fmt: skip
    assert [item["role"] for item in added["data"]] == ["assistant", "assistant"]

    status, out, err = cli(fake, "respond", "What is my name?", "--model", "gpt-4",
                           "--conversation", conversation)  # fmt: skip
    assert status == 0, err
    assert re.fullmatch(r"response: resp_\w+\n", err), err
    assert fake.requests[-1].json["conversation"] == conversation

    items = ok(fake, "conversations", "items", "list", conversation, "--order", "asc")
    texts = [item["content"][0]["text"] for item in items["data"]]
    assert texts[:4] == ["My name is Ada.", "Noted.", "Anything else?", "What is my name?"]
    assert len(texts) == 5  # and the reply
    page = ok(fake, "conversations", "items", "list", conversation, "--limit", "2",
              "--after", items["data"][0]["id"], "--order", "asc")  # fmt: skip
    assert [item["id"] for item in page["data"]] == [item["id"] for item in items["data"][1:3]]
    assert page["has_more"] is True

    assert ok(fake, "conversations", "get", conversation) == {
        "id": conversation,
        "object": "conversation",
        "created_at": created["created_at"],
        "metadata": {"topic": "names"},
    }
    deleted = ok(fake, "conversations", "delete", conversation)
    assert deleted == {"id": conversation, "object": "conversation.deleted", "deleted": True}
    status, out, err = cli(fake, "conversations", "get", conversation)
    assert (status, out) == (1, "")
    assert err.startswith("error: 404 NotFoundError: ") and err.count("\n") == 1


def test_conversations_usage(fake: FakeOpenAI) -> None:
    status, out, _ = cli(fake, "conversations", "--help")
    assert status == 0
    for word in ("create", "get", "delete", "items", "--conversation"):
        assert word in out, word
    status, out, err = cli(fake, "conversations", "items", "add", "conv_1")
    assert (status, out) == (2, "")
    assert "--message" in err
