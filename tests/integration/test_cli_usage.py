"""``aio-openai usage`` and ``aio-openai costs`` against a real FakeOpenAI (in a thread): the
tables add up from the calls the fake served; ``--json``; the admin key required."""

from __future__ import annotations

import asyncio
import json
from typing import Final

import pytest

from aio_openai import AsyncOpenAI
from aio_openai.cli import main
from aio_openai.testing import FakeOpenAI

ADMIN: Final = "sk-admin-cli-usage-0123456789abcdef"
MESSAGES: Final = [{"role": "user", "content": "three short words"}]


@pytest.fixture(autouse=True)
def env(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_ADMIN_KEY", ADMIN)


async def _chat(fake: FakeOpenAI, models: list[str]) -> None:
    async with AsyncOpenAI(api_key="sk-cli-user", base_url=fake.url) as user:
        for model in models:
            await user.chat.completions.create(model=model, messages=MESSAGES)


def test_usage_prints_a_table_per_model_that_adds_up(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_chat(fake_openai, ["gpt-4o-mini", "gpt-4o-mini", "gpt-4o"]))
    records = fake_openai.state.admin.usage_records
    status = main(["usage", "--days", "7", "--base-url", fake_openai.url])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "completions usage, the last 7 days, per model:"
    assert lines[1].split() == [
        "model",
        "input_tokens",
        "output_tokens",
        "input_cached_tokens",
        "num_model_requests",
    ]
    rows = {line.split()[0]: line.split()[1:] for line in lines[3:-2]}
    assert rows["gpt-4o-mini"][-1] == "2" and rows["gpt-4o"][-1] == "1"
    total = sum(r.numbers["input_tokens"] for r in records)
    assert lines[-1].split() == ["total", f"{total:,}", *lines[-1].split()[2:]]
    assert ADMIN not in out

    status = main(["usage", "--json", "--group-by", "project", "--base-url", fake_openai.url])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert (status, data["kind"], data["group_by"]) == (0, "completions", ["project_id"])
    assert data["rows"] == [
        {
            "project_id": "proj_default",
            "input_tokens": total,
            "output_tokens": sum(r.numbers["output_tokens"] for r in records),
            "input_cached_tokens": 0,
            "num_model_requests": 3,
        }
    ]
    assert data["totals"]["num_model_requests"] == 3


def test_costs_prints_a_table_per_project(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_chat(fake_openai, ["gpt-4o"]))
    status = main(["costs", "--days", "30", "--json", "--base-url", fake_openai.url])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert (status, err, data["kind"]) == (0, "", "costs")
    assert [row["project_id"] for row in data["rows"]] == ["proj_default"]
    assert data["rows"][0]["amount_usd"] > 0
    status = main(["costs", "--group-by", "line-item", "--base-url", fake_openai.url])
    out, _ = capsys.readouterr()
    assert status == 0
    assert "gpt-4o, input" in out and "gpt-4o, output" in out


def test_without_an_admin_key_it_is_a_usage_error(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_ADMIN_KEY")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-not-an-admin-key-000000")
    status = main(["usage", "--base-url", fake_openai.url])
    _, err = capsys.readouterr()
    assert status == 2
    assert err.startswith("error: no admin API key: set the OPENAI_ADMIN_KEY environment")
    status = main(["costs", "--admin-key", "sk-project-not-admin", "--base-url", fake_openai.url])
    _, err = capsys.readouterr()
    assert status == 1
    assert "401" in err and "insufficient permissions" in err
