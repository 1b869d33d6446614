"""Evals (runs, output items) and skills (versions, zips) against OpenAI's spec: every request
the client sends and every answer FakeOpenAI gives, errors included (v2 only: the v1
fixture predates both).

Known gaps of the spec, each pinned below (:func:`fill_known_gaps` counts them):

- an eval run's ``error``, ``per_model_usage`` and ``per_testing_criteria_results`` and an
  output item's ``sample.error`` are required objects and arrays in its schemas, but null in
  its own examples of a run that did not fail or has not run (the fake sends null, as those
  examples do): the answers are checked with them filled in;
- a run create's 400 is declared as a bare ``Error``, where OpenAI (and the fake) wrap every
  error in ``{"error": ...}``: that answer is checked unwrapped;
- a message ``{"role", "content": "text"}`` is valid under two members of the ``oneOf`` of
  templates and label-model inputs (``EvalItem`` and ``EasyInputMessage``), so no such
  message conforms: a label-model input here gives its content as an ``input_text`` part
  (which only ``EvalItem`` takes); a run's template keeps text (the client reads a part
  there as an ``EasyInputMessage`` and fails: ``EvalItem`` loses the union's choice by
  keys), and its messages are checked as parts.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Final

import orjson
import pytest

from aio_openai import APIStatusError, AsyncOpenAI
from aio_openai.testing import FakeOpenAI
from aio_openai.testing._skills.bundle import zip_files

from ._recorder import Recorder, check_all, recording

KEY: Final = "sk-conformance-evals-0123456789"


def part(text: str) -> dict[str, str]:
    """A message's content as one ``input_text`` part (see the module's doc)."""
    return {"type": "input_text", "text": text}


SKILL_MD: Final = b"---\nname: adder\ndescription: Adds two numbers.\n---\nAdd them.\n"
CRITERIA: Final = [
    {
        "type": "string_check",
        "name": "exact",
        "input": "{{sample.output_text}}",
        "reference": "{{item.answer}}",
        "operation": "eq",
    },
    {
        "type": "text_similarity",
        "name": "close",
        "input": "{{sample.output_text}}",
        "reference": "{{item.answer}}",
        "evaluation_metric": "fuzzy_match",
        "pass_threshold": 0.8,
    },
    {
        "type": "label_model",
        "name": "tone",
        "model": "gpt-4o-mini",
        "input": [{"role": "user", "content": part("Is '{{sample.output_text}}' polite or rude?")}],
        "labels": ["rude", "polite"],
        "passing_labels": ["polite"],
    },
]


async def expect_error(call: Awaitable[Any], status: int) -> None:
    with pytest.raises(APIStatusError) as info:
        await call
    assert info.value.status_code == status, info.value


async def eval_calls(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.evals.configure(looks=2)
    created = await client.evals.create(
        name="arithmetic",
        data_source_config={
            "type": "custom",
            "item_schema": {"type": "object", "properties": {"q": {"type": "string"}}},
            "include_sample_schema": True,
        },
        testing_criteria=CRITERIA,  # type: ignore[arg-type]
        metadata={"team": "math"},
    )
    logs = await client.evals.create(
        data_source_config={"type": "stored_completions", "metadata": {"app": "x"}},
        testing_criteria=CRITERIA[:1],  # type: ignore[arg-type]
    )
    await client.evals.retrieve(created.id)
    await client.evals.update(created.id, name="sums", metadata={"team": "numbers"})
    assert len((await client.evals.list(order="desc", order_by="updated_at", limit=5)).data) == 2
    fake.state.chat.replies["2+2?"] = "4"
    rows = {"type": "file_content", "content": [{"item": {"q": "2+2?", "answer": "4"}}]}
    sampled = await client.evals.runs.create(
        created.id,
        name="mini",
        metadata={"try": "1"},
        data_source={
            "type": "completions",
            "model": "gpt-4o-mini",
            "source": rows,  # type: ignore[typeddict-item]
            "input_messages": {
                "type": "template",
                "template": [{"role": "user", "content": "{{item.q}}"}],
            },
            "sampling_params": {"temperature": 0.0, "max_completion_tokens": 16, "seed": 1},
        },
    )
    lines = b'{"item": {"answer": "hi"}, "sample": {"output_text": "hi"}}\n'
    stored = fake.state.files.add_file(lines, purpose="evals", filename="rows.jsonl")
    jsonl = await client.evals.runs.create(
        created.id, data_source={"type": "jsonl", "source": {"type": "file_id", "id": stored["id"]}}
    )
    responses = await client.evals.runs.create(
        logs.id,
        data_source={
            "type": "responses",
            "model": "gpt-4o-mini",
            "source": rows,  # type: ignore[typeddict-item]
            "input_messages": {"type": "item_reference", "item_reference": "item.q"},
        },
    )
    await client.evals.runs.cancel(responses.id, eval_id=logs.id)
    for run in (sampled, jsonl):
        while run.status != "completed":
            run = await client.evals.runs.retrieve(run.id, eval_id=created.id)
    assert (await client.evals.runs.list(created.id, status="completed", order="desc")).data
    items = await client.evals.runs.output_items.list(
        sampled.id, eval_id=created.id, status="pass", limit=10, order="asc"
    )
    (item,) = items.data
    await client.evals.runs.output_items.retrieve(item.id, eval_id=created.id, run_id=sampled.id)
    await client.evals.runs.delete(jsonl.id, eval_id=created.id)
    await expect_error(client.evals.runs.retrieve(jsonl.id, eval_id=created.id), 404)
    await expect_error(client.evals.runs.cancel(sampled.id, eval_id=created.id), 400)
    await expect_error(
        client.evals.runs.create(
            created.id,
            data_source={"type": "jsonl", "source": {"type": "file_id", "id": "file-missing"}},
        ),
        400,
    )
    await expect_error(
        client.evals.create(
            data_source_config={"type": "custom", "item_schema": {}},
            testing_criteria=[{"type": "python", "name": "p", "source": "def grade(s, i): 1"}],
        ),
        400,
    )
    await client.evals.delete(logs.id)
    await expect_error(client.evals.retrieve(logs.id), 404)


async def skill_calls(client: AsyncOpenAI) -> None:
    skill = await client.skills.create(
        files=[("adder/SKILL.md", SKILL_MD), ("adder/add.py", b"print(1 + 1)\n")]
    )
    bundle = zip_files([("adder/SKILL.md", SKILL_MD.replace(b"two", b"2"))])
    version = await client.skills.versions.create(
        skill.id, files=("adder.zip", bundle, "application/zip"), default=False
    )
    await client.skills.retrieve(skill.id)
    await client.skills.update(skill.id, default_version=version.version)
    assert (await client.skills.list(limit=5, order="asc")).data
    await client.skills.versions.retrieve(version.version, skill_id=skill.id)
    assert len((await client.skills.versions.list(skill.id, order="asc")).data) == 2
    assert (await client.skills.content.retrieve(skill.id)).content == bundle
    await client.skills.versions.content.retrieve("1", skill_id=skill.id)
    await client.skills.update(skill.id, default_version="1")
    await client.skills.versions.delete(version.version, skill_id=skill.id)
    await expect_error(client.skills.versions.retrieve(version.version, skill_id=skill.id), 404)
    await expect_error(client.skills.versions.delete("1", skill_id=skill.id), 400)
    await expect_error(client.skills.update(skill.id, default_version="9"), 400)
    await expect_error(client.skills.create(files=[("notes.txt", b"no skill here")]), 400)
    await client.skills.delete(skill.id)
    await expect_error(client.skills.retrieve(skill.id), 404)


async def test_eval_and_skill_calls_conform(fake: FakeOpenAI, clean_env: None) -> None:
    async with recording(fake, KEY) as (client, recorder):
        await eval_calls(client, fake)
        await skill_calls(client)
    assert fill_known_gaps(recorder) == {"null": 24, "bare error": 1, "text message": 5}
    check_all(
        "v2",
        fake,
        recorder,
        ("/evals", "/skills"),
        binary=("/content",),
        binary_types=("application/zip",),
    )
    assert {got.status for got in recorder.exchanges} == {200, 201, 400, 404}


_NULLS: Final = {"error": {}, "per_model_usage": [], "per_testing_criteria_results": []}


def _fill(value: dict[str, Any]) -> int:
    """Fill an eval run's (or an output item's sample's) nulls; how many there were."""
    filled = 0
    for key, empty in _NULLS.items():
        if key in value and value[key] is None:
            value[key] = {"code": "none", "message": ""} if key == "error" else empty
            filled += 1
    return filled


def _as_parts(value: dict[str, Any]) -> int:
    """A run's template messages of text given as ``input_text`` parts; how many."""
    messages = (value.get("data_source") or {}).get("input_messages") or {}
    changed = 0
    for message in messages.get("template") or ():
        if isinstance(message.get("content"), str):
            message["content"] = part(message["content"])
            changed += 1
    return changed


def fill_known_gaps(recorder: Recorder) -> dict[str, int]:
    """Rewrite the recorded answers where the spec's schemas and its examples disagree (see
    the module's doc); the count of each rewrite."""
    counts = {"null": 0, "bare error": 0, "text message": 0}
    for got in recorder.exchanges:
        if not got.path.startswith("/v1/evals/") or "/runs" not in got.path:
            continue
        if got.method == "POST" and got.sent:
            sent = orjson.loads(got.sent)
            counts["text message"] += _as_parts(sent)
            got.sent = orjson.dumps(sent)
        body = orjson.loads(got.body)
        if got.status == 400 and got.method == "POST" and got.path.endswith("/runs"):
            body = body["error"]
            counts["bare error"] += 1
        elif got.status < 300:
            for value in body["data"] if body.get("object") == "list" else [body]:
                counts["null"] += _fill(value)
                counts["text message"] += _as_parts(value)
                if isinstance(value.get("sample"), dict):
                    counts["null"] += _fill(value["sample"])
        got.body = orjson.dumps(body)
    return counts
