"""The Fine-tuning API against OpenAI's spec (v2; the v1 fixture has none of it): every
request the client sends and every answer FakeOpenAI gives, errors included, for jobs (made,
run to their end, failed, paused, resumed, cancelled, listed), their events and checkpoints,
checkpoint permissions and graders; and the ``fine_tuning.job.*`` webhooks the fake sends.

Known gap, pinned by a test below: the spec's ``FineTuningJob.status`` enumerates no
``paused``, though its own example answer of the pause operation is ``"status": "paused"``
(as OpenAI answers): the answers of a paused job are checked with that status as
``running``, and the test fails if the spec comes to allow it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable
from typing import Any, Final

import pytest
from aiohttp import web

from aio_openai import APIStatusError, AsyncOpenAI
from aio_openai.testing import FakeOpenAI

from ._recorder import Recorder, check_all
from ._spec import validate_schema

KEY: Final = "sk-conformance-ft-0123456789"
AREA: Final = ("/fine_tuning",)
BASE: Final = "gpt-4o-mini"
#: The spec's schema of each webhook event of a job, in the order the test causes them.
WEBHOOKS: Final = {
    "fine_tuning.job.cancelled": "WebhookFineTuningJobCancelled",
    "fine_tuning.job.succeeded": "WebhookFineTuningJobSucceeded",
    "fine_tuning.job.failed": "WebhookFineTuningJobFailed",
}
GRADER: Final = {
    "type": "string_check",
    "name": "exact",
    "input": "{{sample.output_text}}",
    "reference": "{{item.answer}}",
    "operation": "eq",
}


@pytest.fixture
async def wired(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[tuple[FakeOpenAI, Recorder]]:
    yield fake, Recorder()


def client_for(fake: FakeOpenAI, recorder: Recorder) -> AsyncOpenAI:
    return AsyncOpenAI(api_key=KEY, base_url=fake.url, middlewares=[recorder], max_retries=0)


async def expect_error(call: Awaitable[Any], status: int) -> None:
    with pytest.raises(APIStatusError) as info:
        await call
    assert info.value.status_code == status, info.value


def training_file(fake: FakeOpenAI, *, good: bool = True) -> str:
    messages = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
    lines = [{"messages": messages if good else messages[:1]}] * 10
    content = "".join(json.dumps(line) + "\n" for line in lines).encode()
    return str(fake.state.files.add_file(content, purpose="fine-tune")["id"])


async def fine_tuning_calls(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    jobs = client.fine_tuning.jobs
    job = await jobs.create(
        model=BASE,
        training_file=training_file(fake),
        validation_file=training_file(fake),
        suffix="conf",
        seed=7,
        metadata={"run": "nightly"},
        method={
            "type": "supervised",
            "supervised": {"hyperparameters": {"n_epochs": 2, "batch_size": "auto"}},
        },
        integrations=[{"type": "wandb", "wandb": {"project": "ft", "tags": ["a"]}}],
    )
    for _ in range(3):
        job = await jobs.retrieve(job.id)
    assert job.status == "succeeded" and job.fine_tuned_model is not None
    events = await jobs.list_events(job.id, limit=2)
    await jobs.list_events(job.id, after=events.data[-1].id)
    checkpoints = await jobs.checkpoints.list(job.id, limit=5)
    await jobs.checkpoints.list(job.id, after=checkpoints.data[0].id)
    await jobs.list(limit=5, metadata={"run": "nightly"})
    await jobs.list(after=job.id)

    failed = await jobs.create(model=BASE, training_file=training_file(fake, good=False))
    failed = await jobs.retrieve(failed.id)
    assert failed.error is not None

    paused = await jobs.create(
        model=BASE,
        training_file=training_file(fake),
        method={"type": "reinforcement", "reinforcement": {"grader": GRADER}},  # type: ignore[typeddict-item]
    )
    for _ in range(2):
        paused = await jobs.retrieve(paused.id)
    assert paused.status == "running"
    await jobs.pause(paused.id)
    await jobs.resume(paused.id)
    await jobs.cancel(paused.id)

    permissions = client.fine_tuning.checkpoints.permissions
    checkpoint = checkpoints.data[0].fine_tuned_model_checkpoint
    made = await permissions.create(checkpoint, project_ids=["proj_a", "proj_b"])
    await permissions.list(checkpoint, limit=1, order="ascending", project_id="proj_a")
    await permissions.list(checkpoint, after=made.data[0].id)
    await permissions.delete(made.data[0].id, fine_tuned_model_checkpoint=checkpoint)

    graders = client.fine_tuning.alpha.graders
    await graders.run(grader=GRADER, model_sample="4", item={"answer": "4"})  # type: ignore[arg-type]
    await graders.run(
        grader={  # type: ignore[arg-type]
            "type": "multi",
            "name": "m",
            "graders": GRADER,
            "calculate_output": "exact * 2",
        },
        model_sample="4",
        item={"answer": "4"},
    )
    await graders.run(
        grader={
            "type": "score_model",
            "name": "judge",
            "model": BASE,
            "input": [{"role": "user", "content": "Is {{sample.output_text}} right?"}],
        },
        model_sample="yes",
    )
    await graders.validate(grader=GRADER)  # type: ignore[arg-type]

    await expect_error(jobs.retrieve("ftjob-missing"), 404)
    await expect_error(jobs.create(model=BASE, training_file="file-missing"), 400)
    await expect_error(jobs.pause(job.id), 400)
    await expect_error(jobs.cancel(job.id), 400)
    await expect_error(permissions.list("ft:nothing"), 404)
    await expect_error(permissions.create(checkpoint, project_ids=[]), 400)
    await expect_error(graders.validate(grader={**GRADER, "operation": "is"}), 400)  # type: ignore[arg-type,dict-item]


def unpause(recorder: Recorder) -> int:
    """Answers of a paused job made ``running`` (the spec's enum lacks ``paused``); how many."""
    count = 0
    for got in recorder.exchanges:
        body = json.loads(got.body) if got.status == 200 else None
        if isinstance(body, dict) and body.get("status") == "paused":
            got.body = json.dumps({**body, "status": "running"}).encode()
            count += 1
    return count


async def test_fine_tuning_calls_conform(wired: tuple[FakeOpenAI, Recorder]) -> None:
    fake, recorder = wired
    async with client_for(fake, recorder) as client:
        await fine_tuning_calls(client, fake)
    assert unpause(recorder) == 1  # the pause's answer
    check_all("v2", fake, recorder, AREA)
    assert {got.status for got in recorder.exchanges} == {200, 400, 404}


def test_the_spec_still_lacks_the_paused_status() -> None:
    """Pins the gap the module's docstring names: when the spec allows ``paused``, the
    ``unpause`` step goes."""
    job = {
        "id": "ftjob-1",
        "object": "fine_tuning.job",
        "created_at": 1,
        "error": None,
        "fine_tuned_model": None,
        "finished_at": None,
        "hyperparameters": {"n_epochs": 3, "batch_size": 1, "learning_rate_multiplier": 1.8},
        "model": BASE,
        "organization_id": "org-fake",
        "result_files": [],
        "seed": 42,
        "status": "paused",
        "trained_tokens": None,
        "training_file": "file-1",
        "validation_file": None,
        "integrations": None,
        "metadata": None,
        "estimated_finish": None,
    }
    with pytest.raises(AssertionError, match="paused"):
        validate_schema("v2", "FineTuningJob", job)
    validate_schema("v2", "FineTuningJob", {**job, "status": "running"})


async def test_the_webhooks_of_a_job_conform(fake: FakeOpenAI, clean_env: None) -> None:
    """The ``fine_tuning.job.*`` events the fake delivers are the spec's
    ``WebhookFineTuningJob*`` bodies."""
    received: list[bytes] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(await request.read())
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        async with AsyncOpenAI(api_key=KEY, base_url=fake.url, max_retries=0) as client:
            url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
            await client.webhooks.create(name="ft", url=url, event_types=list(WEBHOOKS))  # type: ignore[arg-type]
            jobs = client.fine_tuning.jobs
            job = await jobs.create(model=BASE, training_file=training_file(fake))
            await jobs.cancel(job.id)
            fake.state.fine_tuning.configure(polls=0)
            for good in (True, False):
                await jobs.create(model=BASE, training_file=training_file(fake, good=good))
    finally:
        await runner.cleanup()
    events = [json.loads(body) for body in received]
    assert [e["type"] for e in events] == list(WEBHOOKS)
    for event in events:
        validate_schema("v2", WEBHOOKS[event["type"]], event)
