"""``submit_batch`` (``aio-openai batch --submit``) end to end against FakeOpenAI, whose batches
run each line through the fake's own endpoints: the answers match an online run line by line;
splitting at the limits; resuming after a crash (from the state file or the batch ids alone);
cancelling; failed and expired batches; the error file's lines."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any, Final

import pytest

from aio_openai import AsyncOpenAI
from aio_openai._batch_runner import run_batch
from aio_openai._batch_submit import SubmitLimits, state_paths, submit_batch
from aio_openai._http import Handler, HTTPResponse, Request
from aio_openai.testing import FakeOpenAI
from aio_openai.testing._shapes import ListQuery

CHAT: Final = "/v1/chat/completions"
EMBED: Final = "/v1/embeddings"
KEY: Final = "sk-submit-test"
#: Fields of an answer that differ between any two runs (ids, times).
_VOLATILE: Final = frozenset({"id", "created", "created_at", "request_id"})


def request(custom_id: str, body: dict[str, Any], url: str = CHAT) -> dict[str, Any]:
    return {"custom_id": custom_id, "method": "POST", "url": url, "body": body}


def chat(text: str, model: str = "gpt-4o-mini") -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": text}]}


def write(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    return path


def read(path: Path) -> list[dict[str, Any]]:
    records = [json.loads(text) for text in path.read_text().splitlines()]
    for record in records:
        assert list(record) == ["id", "custom_id", "response", "error"]
    return records


def stable(value: Any) -> Any:
    """An answer without the fields that differ between runs."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in _VOLATILE}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


async def submit(client: AsyncOpenAI, path: Path | None, out: Path, **kw: Any) -> Any:
    kw.setdefault("poll_interval_ms", 0)
    kw.setdefault("err", io.StringIO())
    return await submit_batch(client, path, out, **kw)


def batches(fake: FakeOpenAI) -> list[dict[str, Any]]:
    return list(fake.state.batches.list_batches(_all())["data"])


def _all() -> ListQuery:
    return ListQuery(limit=100, order="asc")


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """Chat lines, an embedding, a request the endpoint refuses, a model it does not know."""
    lines = [request(f"chat-{i}", chat(f"say {i}")) for i in range(5)]
    lines.insert(2, request("embed-1", {"model": "text-embedding-3-small", "input": "x"}, EMBED))
    lines.append(request("refused", {"model": "gpt-4o-mini"}))
    lines.append(request("other-model", chat("hi", "gpt-4o")))
    return write(tmp_path / "requests.jsonl", lines)


async def test_a_submitted_run_answers_as_the_online_run_line_by_line(
    client: AsyncOpenAI, mixed: Path, tmp_path: Path
) -> None:
    online, submitted = tmp_path / "online.jsonl", tmp_path / "submitted.jsonl"
    await run_batch(client, mixed, online, err=io.StringIO())
    summary = await submit(client, mixed, submitted, limits=SubmitLimits(max_requests=2))
    order = [json.loads(text)["custom_id"] for text in mixed.read_text().splitlines()]
    first = {r["custom_id"]: r for r in read(online)}
    second = {r["custom_id"]: r for r in read(submitted)}
    assert sorted(first) == sorted(second) == sorted(order)
    for custom_id in order:
        a, b = first[custom_id], second[custom_id]
        assert a["error"] is None and b["error"] is None, custom_id
        assert a["response"]["status_code"] == b["response"]["status_code"], custom_id
        assert stable(a["response"]["body"]) == stable(b["response"]["body"]), custom_id
    assert second["refused"]["response"]["status_code"] == 400
    assert (summary.written, summary.ok, summary.failed) == (8, 7, 1)
    state, parts = state_paths(submitted)
    assert not state.exists() and not parts.exists()


async def test_each_part_keeps_the_order_of_the_requests(
    client: AsyncOpenAI, tmp_path: Path
) -> None:
    lines = [request(f"r{i:02}", chat(f"say {i}")) for i in range(12)]
    out = tmp_path / "out.jsonl"
    await submit(client, write(tmp_path / "in.jsonl", lines), out)
    assert [r["custom_id"] for r in read(out)] == [x["custom_id"] for x in lines]


async def test_the_file_is_split_at_the_limits_one_endpoint_and_model_a_batch(
    fake: FakeOpenAI, client: AsyncOpenAI, mixed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    await submit(client, mixed, out, limits=SubmitLimits(max_requests=2))
    made = batches(fake)
    # 6 gpt-4o-mini chats (2 a batch), 1 gpt-4o chat, 1 embedding
    assert sorted((b["endpoint"], b["model"], b["request_counts"]["total"]) for b in made) == [
        (CHAT, "gpt-4o", 1),
        (CHAT, "gpt-4o-mini", 2),
        (CHAT, "gpt-4o-mini", 2),
        (CHAT, "gpt-4o-mini", 2),
        (EMBED, "text-embedding-3-small", 1),
    ]
    for b in made:
        stored = fake.state.files.get(b["input_file_id"])
        assert stored["purpose"] == "batch"


async def test_the_byte_limit_splits_too(
    fake: FakeOpenAI, client: AsyncOpenAI, tmp_path: Path
) -> None:
    lines = [request(f"r{i}", chat("x" * 100)) for i in range(6)]
    size = len(json.dumps(lines[0])) + 1
    await submit(
        client,
        write(tmp_path / "in.jsonl", lines),
        tmp_path / "out.jsonl",
        limits=SubmitLimits(max_bytes=2 * size + 10),
    )
    made = batches(fake)
    assert [b["request_counts"]["total"] for b in made] == [2, 2, 2]
    for b in made:
        assert len(fake.state.files.content(b["input_file_id"])) <= 2 * size + 10


async def test_lines_the_batch_api_cannot_run_are_reported_and_skipped(
    client: AsyncOpenAI, tmp_path: Path
) -> None:
    lines = [
        request("ok", chat("hi")),
        {"custom_id": "get", "method": "GET", "url": "/v1/models"},
        request("query", chat("hi"), CHAT + "?x=1"),
    ]
    err = io.StringIO()
    out = tmp_path / "out.jsonl"
    summary = await submit(client, write(tmp_path / "in.jsonl", lines), out, err=err)
    assert [r["custom_id"] for r in read(out)] == ["ok"]
    assert (summary.lines, summary.bad, summary.written) == (3, 2, 1)
    assert "in.jsonl:2: skipped: 'get': the Batch API runs POSTs to" in err.getvalue()
    assert "in.jsonl:3: skipped: 'query'" in err.getvalue()


async def crashed_run(fake: FakeOpenAI, requests: Path, out: Path, **kw: Any) -> None:
    """A submitted run killed at its first look at a batch (after submitting them all)."""

    async def crash(request: Request, call_next: Handler) -> HTTPResponse:
        if request.method == "GET" and "/batches/" in request.url.path:
            raise RuntimeError("the machine went away")
        return await call_next(request)

    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, middlewares=[crash]) as crashing:
        with pytest.raises(RuntimeError, match="went away"):
            await submit(crashing, requests, out, **kw)


async def test_a_crashed_run_resumes_from_its_state_without_submitting_again(
    fake: FakeOpenAI, client: AsyncOpenAI, mixed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    await crashed_run(fake, mixed, out, limits=SubmitLimits(max_requests=3))
    state, _ = state_paths(out)
    saved = json.loads(state.read_text())
    submitted = {b["id"] for b in batches(fake)}
    assert {p["batch_id"] for p in saved["parts"]} == submitted and len(submitted) == 4
    summary = await submit(client, mixed, out, limits=SubmitLimits(max_requests=3))
    assert {b["id"] for b in batches(fake)} == submitted  # nothing submitted again
    assert sorted(r["custom_id"] for r in read(out)) == sorted(
        json.loads(t)["custom_id"] for t in mixed.read_text().splitlines()
    )
    assert summary.written == 8
    assert not state.exists()


async def test_batch_ids_alone_resume_a_run_whose_state_is_lost(
    fake: FakeOpenAI, client: AsyncOpenAI, mixed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    await crashed_run(fake, mixed, out)
    state, parts = state_paths(out)
    state.unlink()
    for part in parts.iterdir():
        part.unlink()
    ids = [b["id"] for b in batches(fake)]
    await submit(client, None, out, batch_ids=ids)
    assert len(batches(fake)) == len(ids)
    assert len(read(out)) == 8


async def test_a_resumed_run_skips_what_the_output_already_answers(
    fake: FakeOpenAI, client: AsyncOpenAI, mixed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    await submit(client, mixed, out)
    [batch_id] = [b["id"] for b in batches(fake) if b["model"] == "gpt-4o-mini"]
    summary = await submit(client, None, out, batch_ids=[batch_id])
    assert summary.written == 0
    assert len(read(out)) == 8


async def test_cancelling_the_run_cancels_its_batches(
    fake: FakeOpenAI, mixed: Path, tmp_path: Path, clean_env: None
) -> None:
    fake.state.batches.configure(polls=1_000_000)  # they would never end by themselves
    looked = asyncio.Event()

    async def watch(request: Request, call_next: Handler) -> HTTPResponse:
        response = await call_next(request)
        if request.method == "GET" and "/batches/" in request.url.path:
            looked.set()
        return response

    out = tmp_path / "out.jsonl"
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, middlewares=[watch]) as client:
        run = asyncio.create_task(submit(client, mixed, out, poll_interval_ms=1))
        await looked.wait()
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run
    made = batches(fake)
    assert len(made) == 3
    assert {b["status"] for b in made} == {"cancelling"}
    state, parts = state_paths(out)
    assert not state.exists() and not parts.exists()


async def test_a_failed_batch_gives_each_request_a_line_saying_why(
    fake: FakeOpenAI, client: AsyncOpenAI, tmp_path: Path
) -> None:
    lines = [request("a", chat("one")), request("b", chat("two", "gpt-4o"))]
    text = "".join(json.dumps(x) + "\n" for x in lines).encode()
    file_id = fake.state.files.add_file(text, purpose="batch")["id"]
    batch = await client.batches.create(
        input_file_id=file_id, endpoint=CHAT, completion_window="24h"
    )
    out = tmp_path / "out.jsonl"
    summary = await submit(client, None, out, batch_ids=[batch.id])
    records = read(out)
    assert [r["custom_id"] for r in records] == ["a", "b"]
    assert [r["response"] for r in records] == [None, None]
    assert [r["error"]["code"] for r in records] == ["batch_failed", "batch_failed"]
    assert "model_mismatch" in records[1]["error"]["message"]
    assert "model_mismatch" not in records[0]["error"]["message"]
    assert (summary.no_answer, summary.failures["batch_failed"]) == (2, 2)


async def test_an_expired_batch_writes_the_error_files_lines_and_the_unrun_requests(
    fake: FakeOpenAI, client: AsyncOpenAI, tmp_path: Path
) -> None:
    lines = [request(f"r{i}", chat(f"say {i}")) for i in range(3)]
    text = "".join(json.dumps(x) + "\n" for x in lines).encode()
    file_id = fake.state.files.add_file(text, purpose="batch")["id"]
    batch = await client.batches.create(
        input_file_id=file_id, endpoint=CHAT, completion_window="24h"
    )
    await client.batches.retrieve(batch.id)  # validated: in_progress, its requests read
    fake.state.batches.expire(batch.id)
    out = tmp_path / "out.jsonl"
    await submit(client, None, out, batch_ids=[batch.id])
    records = read(out)
    assert [r["custom_id"] for r in records] == ["r0", "r1", "r2"]
    for r in records:  # the fake's error file has these lines, as OpenAI's has
        assert r["response"] is None
        assert r["error"]["code"] == "batch_expired"
        assert "completion window expired" in r["error"]["message"]
    # expired before validation: no error file; each request still gets its line
    batch = await client.batches.create(
        input_file_id=file_id, endpoint=CHAT, completion_window="24h"
    )
    fake.state.batches.expire(batch.id)
    again = tmp_path / "again.jsonl"
    await submit(client, None, again, batch_ids=[batch.id])
    assert [(r["custom_id"], r["error"]["code"]) for r in read(again)] == [
        ("r0", "batch_expired"),
        ("r1", "batch_expired"),
        ("r2", "batch_expired"),
    ]
    assert "without answering" in read(again)[0]["error"]["message"]


async def test_retry_failed_submits_again_the_requests_without_an_answer(
    fake: FakeOpenAI, client: AsyncOpenAI, mixed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    await submit(client, mixed, out)
    before = len(batches(fake))
    summary = await submit(client, mixed, out, retry_failed=True)
    resent = batches(fake)[before:]
    assert [(b["model"], b["request_counts"]["total"]) for b in resent] == [("gpt-4o-mini", 1)]
    assert summary.written == 1 and len(read(out)) == 8


async def test_neither_requests_nor_batch_ids_is_a_value_error(
    client: AsyncOpenAI, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="requests file, batch ids"):
        await submit(client, None, tmp_path / "out.jsonl")
