"""The Batch API end to end: ``batches`` create, retrieve, list, cancel against FakeOpenAI,
whose batches read their input file as OpenAI does and run each line through the fake's own
endpoints into output and error files."""

from __future__ import annotations

import json
from typing import Any, Final

import pytest

from aio_openai import (
    APIResponse,
    AsyncCursorPage,
    AsyncOpenAI,
    BadRequestError,
    ConflictError,
    NotFoundError,
)
from aio_openai.testing import FakeOpenAI
from aio_openai.types import Batch

CHAT: Final = "/v1/chat/completions"


def line(custom_id: str, body: dict[str, Any], url: str = CHAT) -> dict[str, Any]:
    return {"custom_id": custom_id, "method": "POST", "url": url, "body": body}


def chat(text: str, model: str = "gpt-4o-mini", **more: Any) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": text}], **more}


def upload(fake: FakeOpenAI, *lines: dict[str, Any] | str, purpose: str = "batch") -> str:
    text = "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines)
    return str(fake.state.files.add_file(text.encode(), purpose=purpose)["id"])


def jsonl(fake: FakeOpenAI, file_id: str | None) -> list[dict[str, Any]]:
    assert file_id is not None
    return [json.loads(x) for x in fake.state.files.content(file_id).splitlines()]


async def run(api: AsyncOpenAI, batch: Batch) -> list[str]:
    """Retrieve a batch until it stops; the statuses seen."""
    seen = [batch.status]
    while batch.status in ("validating", "in_progress", "finalizing", "cancelling"):
        batch = await api.batches.retrieve(batch.id)
        seen.append(batch.status)
    return seen


async def test_a_batch_runs_every_line_through_the_fake(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.chat.replies["ping"] = "pong"
    file_id = upload(
        fake,
        line("a", chat("ping")),
        line("b", chat("hello", max_tokens=1)),
        line("c", chat("broken", n=0)),
    )
    batch = await api.batches.create(input_file_id=file_id, endpoint=CHAT, completion_window="24h")
    assert isinstance(batch, Batch)
    assert fake.requests[-1].json == {
        "input_file_id": file_id,
        "endpoint": CHAT,
        "completion_window": "24h",
    }
    assert (batch.status, batch.input_file_id, batch.endpoint) == ("validating", file_id, CHAT)
    assert batch.id.startswith("batch_") and batch.expires_at == batch.created_at + 86_400
    assert await run(api, batch) == ["validating", "in_progress", "finalizing", "completed"]
    done = await api.batches.retrieve(batch.id)
    assert done.request_counts is not None
    assert (done.request_counts.total, done.request_counts.completed) == (3, 2)
    assert done.request_counts.failed == 1 and done.model == "gpt-4o-mini"
    assert done.in_progress_at and done.finalizing_at and done.completed_at
    assert done.usage is not None and done.usage.total_tokens > 0
    output = jsonl(fake, done.output_file_id)
    assert [o["custom_id"] for o in output] == ["a", "b"]
    assert output[0]["response"]["status_code"] == 200 and output[0]["error"] is None
    assert output[0]["response"]["body"]["choices"][0]["message"]["content"] == "pong"
    assert output[1]["response"]["body"]["choices"][0]["finish_reason"] == "length"
    (error,) = jsonl(fake, done.error_file_id)
    assert error["custom_id"] == "c" and error["response"]["status_code"] == 400
    assert error["response"]["body"]["error"]["param"] == "n"
    stored = fake.state.files.get(done.output_file_id or "")
    assert stored["purpose"] == "batch_output"


async def test_every_parameter_and_other_endpoints(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.batches.configure(polls=0)
    for endpoint, body in (
        ("/v1/embeddings", {"model": "text-embedding-3-small", "input": "hi"}),
        ("/v1/completions", {"model": "gpt-3.5-turbo-instruct", "prompt": "hi"}),
        ("/v1/moderations", {"input": "I will kill time"}),
        ("/v1/responses", {"model": "gpt-4o-mini", "input": "hi"}),
    ):
        file_id = upload(fake, line("only", body, url=endpoint))
        batch = await api.batches.create(
            input_file_id=file_id,
            endpoint=endpoint,  # type: ignore[arg-type]
            completion_window="24h",
            metadata={"job": "nightly"},
            output_expires_after={"anchor": "created_at", "seconds": 3600},
        )
        assert fake.requests[-1].json["output_expires_after"] == {
            "anchor": "created_at",
            "seconds": 3600,
        }
        assert batch.metadata == {"job": "nightly"} and batch.status == "validating"
        done = await api.batches.retrieve(batch.id)
        assert done.status == "completed", endpoint
        (out,) = jsonl(fake, done.output_file_id)
        assert out["response"]["status_code"] == 200, out
    moderation = jsonl(fake, (await api.batches.list()).data[1].output_file_id)[0]
    assert moderation["response"]["body"]["results"][0]["flagged"] is True


async def test_a_bad_input_file_fails_the_batch_with_its_lines(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    file_id = upload(
        fake,
        line("a", chat("x")),
        "not json",
        line("a", chat("again")),
        line("b", chat("x"), url="/v1/embeddings"),
        line("c", chat("x", model="gpt-4o")),
        {"custom_id": "d", "method": "GET", "url": CHAT, "body": chat("x")},
    )
    batch = await api.batches.create(input_file_id=file_id, endpoint=CHAT, completion_window="24h")
    assert await run(api, batch) == ["validating", "failed"]
    failed = await api.batches.retrieve(batch.id)
    assert failed.errors is not None and failed.errors.data is not None
    codes = [(e.line, e.code) for e in failed.errors.data]
    assert codes == [
        (2, "invalid_json_line"),
        (3, "duplicate_custom_id"),
        (4, "url_mismatch"),
        (5, "model_mismatch"),
        (6, "invalid_method"),
    ]
    assert failed.failed_at and failed.output_file_id is None
    empty = upload(fake)
    batch = await api.batches.create(input_file_id=empty, endpoint=CHAT, completion_window="24h")
    await run(api, batch)
    errors = (await api.batches.retrieve(batch.id)).errors
    assert errors is not None and [e.code for e in errors.data or ()] == ["empty_file"]


async def test_unknown_models_in_lines_fail_those_lines(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.batches.configure(polls=0)
    file_id = upload(fake, line("a", chat("x", model="gpt-9")))
    batch = await api.batches.create(input_file_id=file_id, endpoint=CHAT, completion_window="24h")
    done = await api.batches.retrieve(batch.id)
    (error,) = jsonl(fake, done.error_file_id)
    assert error["response"]["status_code"] == 404
    assert error["response"]["body"]["error"]["code"] == "model_not_found"
    assert done.output_file_id is None


async def test_the_input_file_must_be_there_and_for_batches(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    with pytest.raises(BadRequestError, match="file 'file-nope' not found") as info:
        await api.batches.create(input_file_id="file-nope", endpoint=CHAT, completion_window="24h")
    assert info.value.param == "input_file_id"
    other = upload(fake, line("a", chat("x")), purpose="user_data")
    with pytest.raises(BadRequestError, match="purpose 'batch'"):
        await api.batches.create(input_file_id=other, endpoint=CHAT, completion_window="24h")
    with pytest.raises(BadRequestError, match="between 3600 and 2592000, got 60") as info:
        await api.batches.create(
            input_file_id=other,
            endpoint=CHAT,
            completion_window="24h",
            output_expires_after={"anchor": "created_at", "seconds": 60},
        )
    assert info.value.param == "output_expires_after.seconds"
    with pytest.raises(BadRequestError, match="Supported values are"):
        await api.batches.create(
            input_file_id=other,
            endpoint="/v1/files",  # type: ignore[arg-type]
            completion_window="24h",
        )


async def test_cancel(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    file_id = upload(fake, line("a", chat("x")))
    batch = await api.batches.create(input_file_id=file_id, endpoint=CHAT, completion_window="24h")
    cancelling = await api.batches.cancel(batch.id)
    assert (cancelling.status, bool(cancelling.cancelling_at)) == ("cancelling", True)
    assert (await api.batches.cancel(batch.id)).status == "cancelling"
    assert await run(api, cancelling) == ["cancelling", "cancelled"]
    with pytest.raises(ConflictError, match="Cannot cancel a batch with status 'cancelled'"):
        await api.batches.cancel(batch.id)


async def test_expire(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    file_id = upload(fake, line("a", chat("x")), line("b", chat("y")))
    batch = await api.batches.create(input_file_id=file_id, endpoint=CHAT, completion_window="24h")
    await api.batches.retrieve(batch.id)  # in_progress: the file is read
    fake.state.batches.expire(batch.id)
    expired = await api.batches.retrieve(batch.id)
    assert expired.status == "expired" and expired.expired_at
    errors = jsonl(fake, expired.error_file_id)
    assert [(e["custom_id"], e["error"]["code"]) for e in errors] == [
        ("a", "batch_expired"),
        ("b", "batch_expired"),
    ]


async def test_list_pages_newest_first(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    file_id = upload(fake, line("a", chat("x")))
    made = [
        await api.batches.create(input_file_id=file_id, endpoint=CHAT, completion_window="24h")
        for _ in range(3)
    ]
    page = await api.batches.list(limit=2)
    assert isinstance(page, AsyncCursorPage)
    assert [b.id for b in page.data] == [made[2].id, made[1].id] and page.has_more
    assert fake.requests[-1].raw_path.endswith("/batches?limit=2")
    rest = await api.batches.list(limit=2, after=made[1].id)
    assert [b.id for b in rest.data] == [made[0].id]
    assert [b.id async for b in api.batches.list(limit=1)] == [b.id for b in reversed(made)]


async def test_raw_response_and_empty_ids(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    file_id = upload(fake, line("a", chat("x")))
    raw = await api.batches.with_raw_response.create(
        input_file_id=file_id, endpoint=CHAT, completion_window="24h"
    )
    assert isinstance(raw, APIResponse) and raw.status_code == 200 and raw.request_id
    batch = raw.parse()
    assert isinstance(batch, Batch)
    assert (await api.batches.with_raw_response.retrieve(batch.id)).parse().id == batch.id
    assert (await api.batches.with_raw_response.cancel(batch.id)).parse().status == "cancelling"
    page = await api.batches.with_raw_response.list()
    assert page.status_code == 200 and page.parse().data[0].id == batch.id
    for method in (api.batches.retrieve, api.batches.cancel):
        with pytest.raises(ValueError, match="batch_id"):
            await method("")
    with pytest.raises(NotFoundError, match="batch_nope"):
        await api.batches.retrieve("batch_nope")
