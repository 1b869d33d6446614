"""Evals end to end against FakeOpenAI: evals (create, retrieve, update, list, delete), runs
graded from inline rows, a stored file or stored chat completions, sampled with the fake's
chat model, their output items, result counts that add up, cancel and delete, and the 400s
and 404s of bad requests."""

from __future__ import annotations

import json
from typing import Any, Final

import pytest

from aio_openai import AsyncOpenAI, BadRequestError, NotFoundError
from aio_openai.testing import FakeOpenAI
from aio_openai.types import EvalCreateResponse, EvalListResponse
from aio_openai.types.evals import RunCreateResponse, RunRetrieveResponse
from aio_openai.types.evals.create_eval_completions_run_data_source import (
    InputMessagesTemplateTemplateEvalItem,
)
from aio_openai.types.evals.runs import OutputItemListResponse, OutputItemRetrieveResponse
from aio_openai.types.responses import EasyInputMessage, ResponseInputText

CONFIG: Final[Any] = {"type": "custom", "item_schema": {"type": "object"}}
EXACT: Final[Any] = {
    "type": "string_check",
    "name": "exact",
    "input": "{{sample.output_text}}",
    "reference": "{{item.answer}}",
    "operation": "eq",
}
QUESTIONS: Final[Any] = [
    {"item": {"q": "2+2?", "answer": "4"}},
    {"item": {"q": "3+3?", "answer": "6"}},
    {"item": {"q": "capital of France?", "answer": "Paris"}},
]


def sampled(rows: Any, model: str = "gpt-4o-mini") -> Any:
    """A completions data source asking ``model`` each row's question."""
    return {
        "type": "completions",
        "model": model,
        "source": {"type": "file_content", "content": rows},
        "input_messages": {
            "type": "template",
            "template": [
                {"role": "system", "content": "Answer in one word."},
                {"role": "user", "content": "{{item.q}}"},
            ],
        },
        "sampling_params": {"temperature": 0.0, "seed": 7, "max_completion_tokens": 8},
    }


async def make_eval(api: AsyncOpenAI, *criteria: Any, name: str = "math") -> EvalCreateResponse:
    return await api.evals.create(
        name=name, data_source_config=CONFIG, testing_criteria=list(criteria or [EXACT])
    )


async def test_eval_create_retrieve_update_list_delete(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    created = await api.evals.create(
        name="math",
        data_source_config={**CONFIG, "include_sample_schema": True},
        testing_criteria=[EXACT],
        metadata={"team": "a"},
    )
    assert isinstance(created, EvalCreateResponse) and created.id.startswith("eval_")
    schema = created.data_source_config.schema_  # type: ignore[union-attr]
    assert schema["required"] == ["item", "sample"]
    assert [c.name for c in created.testing_criteria] == ["exact"]
    other = await make_eval(api, name="other")
    assert (await api.evals.retrieve(created.id)).metadata == {"team": "a"}
    updated = await api.evals.update(created.id, name="sums", metadata={"team": "b"})
    assert (updated.name, updated.metadata) == ("sums", {"team": "b"})
    page = await api.evals.list()
    assert [e.id for e in page.data] == [created.id, other.id]  # oldest first by default
    assert all(isinstance(e, EvalListResponse) for e in page.data)
    recent = await api.evals.list(order="desc", order_by="updated_at")
    assert [e.id for e in recent.data] == [created.id, other.id]  # updated last
    deleted = await api.evals.delete(other.id)
    assert (deleted.eval_id, deleted.deleted) == (other.id, True)
    with pytest.raises(NotFoundError, match=other.id):
        await api.evals.retrieve(other.id)


async def test_a_run_samples_the_chat_model_and_grades_every_row(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.state.chat.replies.update({"2+2?": "4", "capital of France?": "Paris"})
    similar = {
        "type": "text_similarity",
        "name": "close",
        "input": "{{sample.output_text}}",
        "reference": "{{item.answer}}",
        "evaluation_metric": "fuzzy_match",
        "pass_threshold": 0.9,
    }
    evaluation = await make_eval(api, EXACT, similar)
    run = await api.evals.runs.create(evaluation.id, data_source=sampled(QUESTIONS), name="r1")
    assert isinstance(run, RunCreateResponse) and run.status == "completed"
    assert run.error is None and run.eval_id == evaluation.id
    counts = run.result_counts
    assert (counts.total, counts.passed, counts.failed, counts.errored) == (3, 2, 1, 0)
    per = {r.testing_criteria: (r.passed, r.failed) for r in run.per_testing_criteria_results or []}
    assert per == {"exact": (2, 1), "close": (2, 1)}
    (usage,) = run.per_model_usage or []
    assert usage.run_model_name == "gpt-4o-mini" and usage.invocation_count == 3
    page = await api.evals.runs.output_items.list(run.id, eval_id=evaluation.id)
    assert all(isinstance(i, OutputItemListResponse) for i in page.data)
    by_row = {i.datasource_item_id: i for i in page.data}
    assert [by_row[n].status for n in range(3)] == ["pass", "fail", "pass"]
    paris = by_row[2]
    assert paris.datasource_item == QUESTIONS[2]["item"]
    assert [m.content for m in paris.sample.input] == ["Answer in one word.", "capital of France?"]
    assert paris.sample.output[0].content == "Paris" and paris.sample.seed == 7
    assert paris.sample.usage.total_tokens == usage.total_tokens - sum(
        by_row[n].sample.usage.total_tokens for n in (0, 1)
    )
    failed = await api.evals.runs.output_items.list(run.id, eval_id=evaluation.id, status="fail")
    assert [i.datasource_item_id for i in failed.data] == [1]
    one = await api.evals.runs.output_items.retrieve(paris.id, eval_id=evaluation.id, run_id=run.id)
    assert isinstance(one, OutputItemRetrieveResponse)
    assert [(r.name, r.passed, r.score) for r in one.results] == [
        ("exact", True, 1.0),
        ("close", True, 1.0),
    ]


async def test_rows_from_a_stored_file_and_their_own_samples(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    rows = [
        {"item": {"answer": "Paris"}, "sample": {"output_text": "paris, France"}},
        {"item": {"answer": "Rome"}, "sample": {"output_text": "Madrid"}},
    ]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    file_id = fake.state.files.add_file(data, purpose="evals", filename="rows.jsonl")["id"]
    like = {**EXACT, "name": "mentions", "operation": "ilike"}
    evaluation = await make_eval(api, like)
    run = await api.evals.runs.create(
        evaluation.id, data_source={"type": "jsonl", "source": {"type": "file_id", "id": file_id}}
    )
    assert (run.result_counts.passed, run.result_counts.failed) == (1, 1)
    assert run.per_model_usage == []  # nothing sampled
    with pytest.raises(BadRequestError) as info:
        await api.evals.runs.create(
            evaluation.id,
            data_source={"type": "jsonl", "source": {"type": "file_id", "id": "file-nope"}},
        )
    assert info.value.param == "data_source.source.id"


async def test_rows_from_stored_chat_completions(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.chat.replies["Say hi"] = "hi"
    for text in ("Say hi", "Say bye"):
        await api.chat.completions.create(
            model="gpt-4o",
            messages=[{"role": "user", "content": text}],
            store=True,
            metadata={"app": "greeter"},
        )
    evaluation = await api.evals.create(
        data_source_config={"type": "stored_completions", "metadata": {"app": "greeter"}},
        testing_criteria=[{**EXACT, "reference": "hi"}],
    )
    run = await api.evals.runs.create(
        evaluation.id,
        data_source={
            "type": "completions",
            "source": {"type": "stored_completions", "metadata": {"app": "greeter"}},
        },
    )
    assert (run.result_counts.total, run.result_counts.passed) == (2, 1)
    items = await api.evals.runs.output_items.list(run.id, eval_id=evaluation.id)
    assert {i.datasource_item["input"][0]["content"] for i in items.data} == {"Say hi", "Say bye"}  # type: ignore[index]


async def test_a_template_naming_nothing_counts_as_errored(api: AsyncOpenAI) -> None:
    typo = {**EXACT, "name": "typo", "reference": "{{item.answr}}"}
    evaluation = await make_eval(api, EXACT, typo)
    rows = [{"item": {"answer": "4"}, "sample": {"output_text": "4"}}]
    run = await api.evals.runs.create(
        evaluation.id,
        data_source={"type": "jsonl", "source": {"type": "file_content", "content": rows}},
    )
    counts = run.result_counts
    assert (counts.total, counts.passed, counts.failed, counts.errored) == (1, 0, 0, 1)
    (item,) = (await api.evals.runs.output_items.list(run.id, eval_id=evaluation.id)).data
    typo_result = item.results[1]
    assert not typo_result.passed and typo_result.sample is not None
    assert "item.answr" in typo_result.sample["error"]["message"]  # type: ignore[index]


async def test_label_model_picks_the_label_its_input_names_first(api: AsyncOpenAI) -> None:
    tone = {
        "type": "label_model",
        "name": "tone",
        "model": "gpt-4o-mini",
        "input": [{"role": "user", "content": "{{sample.output_text}}"}],
        "labels": ["rude", "polite"],
        "passing_labels": ["polite"],
    }
    evaluation = await make_eval(api, tone)
    rows = [
        {"item": {}, "sample": {"output_text": "a polite answer, not rude"}},
        {"item": {}, "sample": {"output_text": "rude, if polite"}},
        {"item": {}, "sample": {"output_text": "neither"}},
    ]
    run = await api.evals.runs.create(
        evaluation.id,
        data_source={"type": "jsonl", "source": {"type": "file_content", "content": rows}},
    )
    items = (await api.evals.runs.output_items.list(run.id, eval_id=evaluation.id)).data
    labels = [i.results[0].sample["label"] for i in items]  # type: ignore[index]
    assert labels == ["polite", "rude", "rude"]  # the first label when none is named


async def test_runs_move_on_by_looks_and_cancel(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.evals.configure(looks=2)
    evaluation = await make_eval(api)
    rows = {"type": "jsonl", "source": {"type": "file_content", "content": QUESTIONS}}
    run = await api.evals.runs.create(evaluation.id, data_source=rows)
    assert run.status == "queued" and run.result_counts.total == 0
    assert run.per_model_usage is None
    runs = api.evals.runs
    assert (await runs.output_items.list(run.id, eval_id=evaluation.id)).data == []
    seen = await runs.retrieve(run.id, eval_id=evaluation.id)
    assert isinstance(seen, RunRetrieveResponse) and seen.status == "in_progress"
    seen = await runs.retrieve(run.id, eval_id=evaluation.id)
    assert seen.status == "completed" and seen.result_counts.total == 3
    assert len((await runs.output_items.list(run.id, eval_id=evaluation.id)).data) == 3
    other = await runs.create(evaluation.id, data_source=rows)
    canceled = await runs.cancel(other.id, eval_id=evaluation.id)
    assert canceled.status == "canceled"
    assert (await runs.retrieve(other.id, eval_id=evaluation.id)).status == "canceled"
    assert (await runs.output_items.list(other.id, eval_id=evaluation.id)).data == []
    with pytest.raises(BadRequestError, match="completed"):
        await runs.cancel(run.id, eval_id=evaluation.id)
    listed = await runs.list(evaluation.id, status="canceled")
    assert [r.id for r in listed.data] == [other.id]
    gone = await runs.delete(other.id, eval_id=evaluation.id)
    assert (gone.run_id, gone.deleted) == (other.id, True)
    with pytest.raises(NotFoundError):
        await runs.retrieve(other.id, eval_id=evaluation.id)
    await api.evals.delete(evaluation.id)
    with pytest.raises(NotFoundError):
        await runs.retrieve(run.id, eval_id=evaluation.id)


@pytest.mark.parametrize(
    ("criterion", "param"),
    [
        (
            {"type": "python", "name": "p", "source": "def grade(s, i): return 1"},
            "testing_criteria[0].type",
        ),
        ({**EXACT, "operation": "regex"}, "testing_criteria[0].operation"),
        (
            {"type": "text_similarity", "name": "t", "input": "a", "reference": "b"},
            "testing_criteria[0].evaluation_metric",
        ),
        (
            {"type": "string_check", "input": "a", "reference": "b", "operation": "eq"},
            "testing_criteria[0].name",
        ),
    ],
)
async def test_criteria_the_fake_cannot_run_or_that_are_bad_are_refused(
    api: AsyncOpenAI, criterion: dict[str, Any], param: str
) -> None:
    with pytest.raises(BadRequestError) as info:
        await api.evals.create(data_source_config=CONFIG, testing_criteria=[criterion])  # type: ignore[list-item]
    assert info.value.param == param


async def test_bad_run_bodies_are_refused(api: AsyncOpenAI) -> None:
    evaluation = await make_eval(api)
    no_model = {**sampled(QUESTIONS)}
    del no_model["model"]
    for data_source, param in (
        ({"type": "csv", "source": {}}, "data_source.type"),
        ({"type": "jsonl", "source": {"type": "stored_completions"}}, "data_source.source.type"),
        (no_model, "data_source.model"),
        (
            {"type": "jsonl", "source": {"type": "file_content", "content": [{"x": 1}]}},
            "data_source.source.content[0].item",
        ),
    ):
        with pytest.raises(BadRequestError) as info:
            await api.evals.runs.create(evaluation.id, data_source=data_source)
        assert info.value.param == param
    with pytest.raises(NotFoundError):
        await api.evals.runs.create("eval_nope", data_source=sampled(QUESTIONS))


async def test_a_template_message_whose_content_is_a_content_part(api: AsyncOpenAI) -> None:
    """A template message's ``content`` may be one content part: the run's data source comes
    back with that message as the eval item it is (not as an easy input message)."""
    evaluation = await make_eval(api)
    source = sampled(QUESTIONS[:1])
    part = {"type": "input_text", "text": "{{item.q}}"}
    source["input_messages"]["template"][1] = {"role": "user", "content": part}
    run = await api.evals.runs.create(evaluation.id, data_source=source)
    for got in (run, await api.evals.runs.retrieve(run.id, eval_id=evaluation.id)):
        system, user = got.data_source.input_messages.template  # type: ignore[union-attr]
        assert isinstance(system, EasyInputMessage) and system.content == "Answer in one word."
        assert isinstance(user, InputMessagesTemplateTemplateEvalItem)
        assert isinstance(user.content, ResponseInputText) and user.content.text == "{{item.q}}"
        assert user.role == "user"
