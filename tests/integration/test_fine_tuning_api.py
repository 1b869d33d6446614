"""The Fine-tuning API end to end against FakeOpenAI: jobs that check their files, move
through their statuses one retrieve at a time, emit events and checkpoints and make a model
the fake then serves; pause, resume, cancel; checkpoint permissions; graders run and
validated."""

from __future__ import annotations

import json
from typing import Any, Final

import pytest

from aio_openai import AsyncCursorPage, AsyncOpenAI, BadRequestError, NotFoundError
from aio_openai.resources.fine_tuning.checkpoints.permissions import RETRIEVE_DEPRECATED
from aio_openai.testing import FakeOpenAI
from aio_openai.types.fine_tuning import FineTuningJob

BASE: Final = "gpt-4o-mini"


def example(i: int) -> dict[str, Any]:
    return {
        "messages": [
            {"role": "system", "content": "You answer in French."},
            {"role": "user", "content": f"Say {i}"},
            {"role": "assistant", "content": f"Dis {i}"},
        ]
    }


def upload(fake: FakeOpenAI, lines: list[Any], purpose: str = "fine-tune") -> str:
    text = "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines)
    return str(fake.state.files.add_file(text.encode(), purpose=purpose)["id"])


def training(fake: FakeOpenAI, count: int = 10) -> str:
    return upload(fake, [example(i) for i in range(count)])


async def run(api: AsyncOpenAI, job: FineTuningJob) -> list[str]:
    """Retrieve a job until it ends (20 looks at most); the statuses seen."""
    seen = [job.status]
    for _ in range(20):
        if job.status not in ("validating_files", "queued", "running"):
            break
        job = await api.fine_tuning.jobs.retrieve(job.id)
        seen.append(job.status)
    return seen


async def test_a_job_moves_one_status_a_retrieve_and_makes_a_served_model(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    job = await api.fine_tuning.jobs.create(
        model=BASE, training_file=training(fake), suffix="french", metadata={"team": "fr"}
    )
    assert (job.status, job.fine_tuned_model, job.organization_id) == (
        "validating_files",
        None,
        "org-fake",
    )
    assert job.method is not None and job.method.type == "supervised"
    assert await run(api, job) == ["validating_files", "queued", "running", "succeeded"]

    done = await api.fine_tuning.jobs.retrieve(job.id)
    model = done.fine_tuned_model
    assert model == f"ft:{BASE}:fake-org:french:{job.id[-8:]}"
    assert done.finished_at is not None and done.trained_tokens and done.result_files
    assert done.hyperparameters.n_epochs == 3  # "auto", resolved once the files are read
    results = fake.state.files.content(done.result_files[0]).decode().splitlines()
    assert results[0] == "step,train_loss,train_accuracy" and len(results) == 4

    assert model in [m.id for m in (await api.models.list()).data]
    assert (await api.models.retrieve(model)).owned_by == "org-fake"
    reply = await api.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "hi"}]
    )
    assert reply.model == model


async def test_each_status_lasts_polls_retrieves(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    with pytest.raises(ValueError, match="polls"):
        fake.state.fine_tuning.configure(polls=-1)
    fake.state.fine_tuning.configure(polls=2)
    job = await api.fine_tuning.jobs.create(model=BASE, training_file=training(fake))
    assert await run(api, job) == [
        "validating_files",
        "validating_files",
        "queued",
        "queued",
        "running",
        "running",
        "succeeded",
    ]
    fake.state.fine_tuning.configure(polls=1)
    job = await api.fine_tuning.jobs.create(model=BASE, training_file=training(fake))
    await api.fine_tuning.jobs.list()  # listing jobs, events, checkpoints moves nothing
    await api.fine_tuning.jobs.list_events(job.id)
    await api.fine_tuning.jobs.checkpoints.list(job.id)
    assert (await api.fine_tuning.jobs.list()).data[0].status == "validating_files"
    assert (await api.fine_tuning.jobs.retrieve(job.id)).status == "queued"


async def test_events_are_newest_first_and_cursor_paged(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.fine_tuning.configure(polls=0)
    job = await api.fine_tuning.jobs.create(model=BASE, training_file=training(fake))
    assert job.status == "succeeded"  # polls=0: settled when created
    page = await api.fine_tuning.jobs.list_events(job.id, limit=3)
    assert isinstance(page, AsyncCursorPage) and page.has_more
    assert [e.message for e in page.data][:2] == [
        "The job has successfully completed",
        f"New fine-tuned model created: {job.fine_tuned_model}",
    ]
    every = [e async for e in api.fine_tuning.jobs.list_events(job.id, limit=2)]
    assert every[:3] == page.data and every[-1].message.startswith("Validating training file")
    metrics = [e for e in every if e.type == "metrics"]
    assert len(metrics) == 3 and all(isinstance(e.data, dict) for e in metrics)
    after = await api.fine_tuning.jobs.list_events(job.id, after=page.data[-1].id, limit=100)
    assert [e.id for e in after.data] == [e.id for e in every[3:]]


async def test_checkpoints_are_listed_and_served(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    job = await api.fine_tuning.jobs.create(
        model=BASE,
        training_file=training(fake, 12),
        validation_file=training(fake),
        method={
            "type": "supervised",
            "supervised": {"hyperparameters": {"n_epochs": 4, "batch_size": 4}},
        },
    )
    fake.state.fine_tuning.finish(job.id)
    job = await api.fine_tuning.jobs.retrieve(job.id)
    assert job.status == "succeeded"
    page = await api.fine_tuning.jobs.checkpoints.list(job.id)
    steps = [c.step_number for c in page.data]
    assert steps == [12, 9, 6]  # 3 steps an epoch (12 examples, batches of 4), last 3 kept
    assert page.data[0].fine_tuned_model_checkpoint == job.fine_tuned_model
    assert page.data[1].fine_tuned_model_checkpoint == f"{job.fine_tuned_model}:ckpt-step-9"
    assert page.data[1].metrics.valid_loss is not None  # a validation file was given
    assert f"{job.fine_tuned_model}:ckpt-step-6" in fake.state.models


async def test_a_bad_training_file_fails_the_job_with_an_error(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    lines: list[Any] = [example(i) for i in range(10)]
    lines[4] = {"messages": [{"role": "user", "content": "no answer"}]}
    job = await api.fine_tuning.jobs.create(model=BASE, training_file=upload(fake, lines))
    assert await run(api, job) == ["validating_files", "failed"]
    failed = await api.fine_tuning.jobs.retrieve(job.id)
    assert failed.error is not None
    assert (failed.error.code, failed.error.param) == ("invalid_training_file", "training_file")
    assert "line 5" in failed.error.message and failed.fine_tuned_model is None
    events = await api.fine_tuning.jobs.list_events(job.id)
    assert events.data[0].level == "error"

    for content in (["not json"] + [example(i) for i in range(10)], [example(0)]):
        job = await api.fine_tuning.jobs.create(model=BASE, training_file=upload(fake, content))
        fake.state.fine_tuning.advance(job.id)
        job = await api.fine_tuning.jobs.retrieve(job.id)
        assert job.status == "failed" and job.error is not None
    assert "at least 10 examples" in job.error.message


async def test_dpo_and_reinforcement_files_are_read_for_their_method(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    prompt = {"messages": [{"role": "user", "content": "hi"}]}
    dpo = {
        "input": prompt,
        "preferred_output": [{"role": "assistant", "content": "Hello!"}],
        "non_preferred_output": [{"role": "assistant", "content": "What?"}],
    }
    job = await api.fine_tuning.jobs.create(
        model=BASE,
        training_file=upload(fake, [dpo] * 10),
        method={"type": "dpo", "dpo": {"hyperparameters": {"beta": "auto"}}},
    )
    done = fake.state.fine_tuning.finish(job.id)
    assert done["status"] == "succeeded"
    assert done["method"]["dpo"]["hyperparameters"]["beta"] == 0.1
    # a supervised file is no DPO file
    job = await api.fine_tuning.jobs.create(
        model=BASE, training_file=training(fake), method={"type": "dpo"}
    )
    assert fake.state.fine_tuning.finish(job.id)["status"] == "failed"
    grader = {
        "type": "string_check",
        "name": "exact",
        "input": "{{sample.output_text}}",
        "reference": "{{item.answer}}",
        "operation": "eq",
    }
    rows = [{**prompt, "answer": "4"}] * 10
    job = await api.fine_tuning.jobs.create(
        model=BASE,
        training_file=upload(fake, rows),
        method={"type": "reinforcement", "reinforcement": {"grader": grader}},
    )
    assert fake.state.fine_tuning.finish(job.id)["status"] == "succeeded"


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"training_file": "file-missing"}, "training_file"),
        ({"validation_file": "file-missing"}, "validation_file"),
        ({"suffix": "x" * 65}, "suffix"),
        ({"seed": -1}, "seed"),
        ({"method": {"type": "sft"}}, "method.type"),
        ({"method": {"type": "reinforcement"}}, "method.reinforcement.grader"),
        ({"integrations": [{"type": "slack"}]}, "integrations[0].type"),
        ({"metadata": {"k": 1}}, "metadata.k"),
    ],
)
async def test_bad_create_bodies_are_refused_naming_the_param(
    api: AsyncOpenAI, fake: FakeOpenAI, kwargs: dict[str, Any], param: str
) -> None:
    args = {"model": BASE, "training_file": training(fake), **kwargs}
    with pytest.raises(BadRequestError) as info:
        await api.fine_tuning.jobs.create(**args)
    assert info.value.param == param
    assert not (await api.fine_tuning.jobs.list()).data  # nothing was made


async def test_a_file_of_another_purpose_is_refused(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    file_id = upload(fake, [example(i) for i in range(10)], purpose="batch")
    with pytest.raises(BadRequestError, match="purpose 'fine-tune'") as info:
        await api.fine_tuning.jobs.create(model=BASE, training_file=file_id)
    assert info.value.param == "training_file"


async def test_pause_resume_and_cancel(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    jobs = api.fine_tuning.jobs
    job = await jobs.create(model=BASE, training_file=training(fake))
    with pytest.raises(BadRequestError, match="only a running job"):
        await jobs.pause(job.id)
    job = await jobs.retrieve(job.id)
    job = await jobs.retrieve(job.id)
    assert job.status == "running"
    assert (await jobs.pause(job.id)).status == "paused"
    assert (await jobs.retrieve(job.id)).status == "paused"  # a paused job does not move
    with pytest.raises(BadRequestError, match=r"'paused' \(only a running job\)"):
        await jobs.pause(job.id)
    assert (await jobs.resume(job.id)).status == "running"
    cancelled = await jobs.cancel(job.id)
    assert cancelled.status == "cancelled" and cancelled.finished_at is not None
    assert (await jobs.retrieve(job.id)).status == "cancelled"
    with pytest.raises(BadRequestError, match="'cancelled'"):
        await jobs.cancel(job.id)
    with pytest.raises(BadRequestError):
        await jobs.resume(job.id)
    messages = [e.message async for e in jobs.list_events(job.id)]
    assert messages[:3] == [
        "Fine-tuning job cancelled",
        "Fine-tuning job resumed",
        "Fine-tuning job paused",
    ]


async def test_unknown_jobs_are_404s(api: AsyncOpenAI) -> None:
    jobs = api.fine_tuning.jobs
    for call in (
        jobs.retrieve("ftjob-missing"),
        jobs.cancel("ftjob-missing"),
        jobs.pause("ftjob-missing"),
        jobs.resume("ftjob-missing"),
        jobs.list_events("ftjob-missing"),
        jobs.checkpoints.list("ftjob-missing"),
    ):
        with pytest.raises(NotFoundError) as info:
            await call
        assert info.value.param == "fine_tuning_job_id"


async def test_jobs_are_listed_newest_first_and_filtered_by_metadata(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    file_id = training(fake)
    made = [
        await api.fine_tuning.jobs.create(model=BASE, training_file=file_id, metadata=meta)
        for meta in ({"team": "a"}, {"team": "b"}, {"team": "a", "run": "2"})
    ]
    page = await api.fine_tuning.jobs.list(limit=2)
    assert [j.id for j in page.data] == [made[2].id, made[1].id] and page.has_more
    assert [j.id async for j in api.fine_tuning.jobs.list(limit=1)] == [j.id for j in made[::-1]]
    team_a = await api.fine_tuning.jobs.list(metadata={"team": "a"})
    assert [j.id for j in team_a.data] == [made[2].id, made[0].id]


async def test_checkpoint_permissions_are_kept_per_checkpoint(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.state.fine_tuning.configure(polls=0)
    job = await api.fine_tuning.jobs.create(model=BASE, training_file=training(fake))
    first, second = [c.fine_tuned_model_checkpoint async for c in _checkpoints(api, job.id)][:2]
    permissions = api.fine_tuning.checkpoints.permissions
    made = await permissions.create(first, project_ids=["proj_a", "proj_b"])
    assert [p.project_id for p in made.data] == ["proj_a", "proj_b"]
    again = await permissions.create(first, project_ids=["proj_a"])
    assert again.data[0].id == made.data[0].id  # a project keeps its one permission
    await permissions.create(second, project_ids=["proj_c"])

    listed = await permissions.list(first)
    assert [p.project_id for p in listed.data] == ["proj_b", "proj_a"]  # newest first
    assert (listed.first_id, listed.last_id) == (made.data[1].id, made.data[0].id)
    asc = await permissions.list(first, order="ascending", limit=1)
    assert [p.project_id for p in asc.data] == ["proj_a"] and asc.has_more
    only = await permissions.list(first, project_id="proj_b")
    assert [p.id for p in only.data] == [made.data[1].id]
    with pytest.warns(DeprecationWarning, match=RETRIEVE_DEPRECATED):
        whole = await permissions.retrieve(first)
    assert {p.id for p in whole.data} == {p.id for p in made.data}

    gone = await permissions.delete(made.data[0].id, fine_tuned_model_checkpoint=first)
    assert (gone.id, gone.deleted, gone.object) == (made.data[0].id, True, "checkpoint.permission")
    assert [p.project_id for p in (await permissions.list(first)).data] == ["proj_b"]
    assert [p.project_id for p in (await permissions.list(second)).data] == ["proj_c"]
    with pytest.raises(NotFoundError):
        await permissions.delete(made.data[0].id, fine_tuned_model_checkpoint=first)
    with pytest.raises(NotFoundError) as info:
        await permissions.list("ft:gpt-4o-mini:nobody::x")
    assert info.value.param == "fine_tuned_model_checkpoint"
    with pytest.raises(BadRequestError) as info:
        await permissions.create(first, project_ids=[])
    assert info.value.param == "project_ids"


def _checkpoints(api: AsyncOpenAI, job_id: str) -> Any:
    return api.fine_tuning.jobs.checkpoints.list(job_id)


STRING_CHECK: Final = {
    "type": "string_check",
    "name": "exact",
    "input": "{{sample.output_text}}",
    "reference": "{{item.answer}}",
    "operation": "eq",
}


@pytest.mark.parametrize(
    ("grader", "sample", "item", "reward"),
    [
        (STRING_CHECK, "4", {"answer": "4"}, 1.0),
        (STRING_CHECK, "four", {"answer": "4"}, 0.0),
        ({**STRING_CHECK, "operation": "ne"}, "four", {"answer": "4"}, 1.0),
        ({**STRING_CHECK, "operation": "ilike"}, "It is PARIS.", {"answer": "paris"}, 1.0),
        ({**STRING_CHECK, "operation": "like"}, "It is PARIS.", {"answer": "paris"}, 0.0),
        (
            {**STRING_CHECK, "type": "text_similarity", "evaluation_metric": "fuzzy_match"},
            "abcd",
            {"answer": "abce"},
            0.75,
        ),
        (
            {**STRING_CHECK, "type": "text_similarity", "evaluation_metric": "cosine"},
            "the cat sat",
            {"answer": "the cat sat"},
            1.0,
        ),
        (
            {**STRING_CHECK, "type": "text_similarity", "evaluation_metric": "rouge_1"},
            "a b c d",
            {"answer": "a b x y"},
            0.5,
        ),
        (
            {**STRING_CHECK, "type": "text_similarity", "evaluation_metric": "rouge_l"},
            "a b c d",
            {"answer": "a x c d"},
            0.75,
        ),
        (
            {
                "type": "multi",
                "name": "m",
                "graders": STRING_CHECK,
                "calculate_output": "exact * 3",
            },
            "4",
            {"answer": "4"},
            3.0,
        ),
    ],
)
async def test_graders_run_deterministically(
    api: AsyncOpenAI, grader: Any, sample: str, item: Any, reward: float
) -> None:
    result = await api.fine_tuning.alpha.graders.run(grader=grader, model_sample=sample, item=item)
    assert result.reward == pytest.approx(reward)
    assert result.metadata.type == grader["type"] and result.metadata.name == grader["name"]
    assert not result.metadata.errors.formula_parse_error
    if grader["type"] == "multi":
        assert result.sub_rewards == {"exact": pytest.approx(reward / 3)}


async def test_a_score_model_grader_scores_by_overlap_in_its_range(api: AsyncOpenAI) -> None:
    grader = {
        "type": "score_model",
        "name": "judge",
        "model": "gpt-4o-mini",
        "input": [{"role": "user", "content": "The capital of France is {{item.answer}}"}],
        "range": [0, 10],
    }
    good = await api.fine_tuning.alpha.graders.run(
        grader=grader, model_sample="The capital of France is Paris", item={"answer": "Paris"}
    )
    bad = await api.fine_tuning.alpha.graders.run(
        grader=grader, model_sample="bananas", item={"answer": "Paris"}
    )
    assert good.reward == pytest.approx(10.0) and bad.reward == 0.0
    assert good.metadata.token_usage and good.metadata.sampled_model_name == "gpt-4o-mini"
    assert good.api_model_grader_token_usage_per_model == {"gpt-4o-mini": good.metadata.token_usage}


async def test_graders_are_validated(api: AsyncOpenAI) -> None:
    graders = api.fine_tuning.alpha.graders
    valid = await graders.validate(grader=STRING_CHECK)  # type: ignore[arg-type]
    assert valid.grader is not None and valid.grader.type == "string_check"
    python = {"type": "python", "name": "p", "source": "def grade(sample, item):\n  return 1.0\n"}
    assert (await graders.validate(grader=python)).grader.type == "python"  # type: ignore[arg-type,union-attr]
    with pytest.raises(BadRequestError, match="runs no code") as info:
        await graders.run(grader=python, model_sample="x")  # type: ignore[arg-type]
    for bad, param in (
        ({**STRING_CHECK, "operation": "equals"}, "grader.operation"),
        ({"type": "python", "name": "p", "source": "def nope(:"}, "grader.source"),
        ({"type": "python", "name": "p", "source": "x = 1"}, "grader.source"),
        (
            {"type": "multi", "name": "m", "graders": STRING_CHECK, "calculate_output": "os()"},
            "grader.calculate_output",
        ),
        ({"type": "label_model", "name": "l"}, "grader.type"),
        ({k: v for k, v in STRING_CHECK.items() if k != "reference"}, "grader.reference"),
    ):
        with pytest.raises(BadRequestError) as info:
            await graders.validate(grader=bad)  # type: ignore[arg-type]
        assert info.value.param == param, bad
