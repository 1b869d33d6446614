"""Stored chat completions (``store=True``) on the wire, against OpenAI's v2 spec.

One scenario drives every method of them (create with ``store``, retrieve, update, list with
its filters and cursor, ``messages.list``, delete, and their 404s) against FakeOpenAI; every
request the server received and every answer must conform, and the scenario must have used
every stored-completion operation of the spec.

Known gap of the spec, pinned by a test below: ``ChatCompletionMessageList`` declares its
items as the assistant's response message (``role: "assistant"`` only), yet the list holds the
request's messages, and OpenAI's own example of it lists a ``"user"`` one: FakeOpenAI answers
as the example does, and its answers conform but for that ``role``.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

import pytest

from aio_openai import AsyncOpenAI, NotFoundError
from aio_openai.testing import FakeOpenAI

from ._spec import load_examples, load_fixture, validate_request, validate_response

MESSAGES_PATH: Final = "/chat/completions/{completion_id}/messages"


def stored_operations() -> dict[tuple[str, str], re.Pattern[str]]:
    """The spec's stored-completion operations: (method, template) -> path regex."""
    ops = {}
    for template, item in load_fixture("v2")["paths"].items():
        if not template.startswith("/chat/completions"):
            continue
        regex = re.compile("^/v1" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
        for method in item:
            if method in ("get", "post", "delete") and (method, template) != (
                "post",
                "/chat/completions",
            ):
                ops[(method.upper(), template)] = regex
    return ops


def operation_of(method: str, path: str) -> tuple[str, str] | None:
    path = path.split("?", 1)[0]
    for (want, template), regex in stored_operations().items():
        if want == method and regex.match(path):
            return want, template
    return None


def as_the_spec_says(body: bytes) -> bytes:
    """A messages page with every ``role`` made ``"assistant"``, the only one the spec allows."""
    page = json.loads(body)
    return json.dumps({**page, "data": [{**m, "role": "assistant"} for m in page["data"]]}).encode()


async def scenario(client: AsyncOpenAI) -> None:
    """Every stored-completion method, with realistic inputs."""
    completions = client.chat.completions
    messages = [
        {"role": "developer", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "Hello there."}]},
    ]
    first = await completions.create(
        model="gpt-4o", messages=messages, store=True, metadata={"case": "a"}
    )
    second = await completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Second."}],
        store=True,
        metadata={"case": "b"},
    )
    await completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Not kept."}])
    assert (await completions.retrieve(first.id)).id == first.id
    updated = await completions.update(first.id, metadata={"case": "a", "seen": "yes"})
    assert updated.metadata == {"case": "a", "seen": "yes"}
    page = await completions.list(limit=1, order="asc")
    assert [c.id for c in page.data] == [first.id] and page.has_more
    await completions.list(after=page.data[-1].id, order="asc")
    await completions.list(model="gpt-4o-mini")
    await completions.list(metadata={"seen": "yes"}, order="desc")
    listed = await completions.messages.list(first.id, limit=1)
    await completions.messages.list(first.id, after=listed.data[-1].id, order="asc")
    assert (await completions.delete(second.id)).deleted
    with pytest.raises(NotFoundError):
        await completions.retrieve(second.id)
    with pytest.raises(NotFoundError):
        await completions.messages.list(second.id)


async def test_every_stored_completion_request_and_answer_conforms(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    answers: list[tuple[str, str, int, dict[str, str], bytes]] = []

    async def record(request: Any, call_next: Any) -> Any:
        response = await call_next(request)
        answers.append(
            (
                request.method,
                request.url.raw_path_qs,
                response.status,
                dict(response.headers),
                response.content,
            )
        )
        return response

    recording = client.with_options(middlewares=[record])
    await scenario(recording)
    problems = []
    used = set()
    for sent in fake.requests:
        operation = operation_of(sent.method, sent.raw_path)
        if operation is not None:
            used.add(operation)
        try:
            validate_request("v2", sent.method, sent.raw_path, sent.headers, sent.body or None)
        except AssertionError as exc:
            problems.append(f"request: {exc}")
    for method, path, status, headers, body in answers:
        if operation_of(method, path) == ("GET", MESSAGES_PATH) and status == 200:
            body = as_the_spec_says(body)  # the spec's gap, pinned below
        try:
            validate_response("v2", method, path, status, headers, body)
        except AssertionError as exc:
            problems.append(f"response: {exc}")
    assert not problems, "\n\n".join(problems)
    assert used == set(stored_operations())
    assert len(used) == 5
    assert {status for *_, status, _, _ in answers} == {200, 404}


async def test_the_message_list_conforms_but_for_the_role_the_spec_allows(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    example = json.loads(load_examples("v2")["operations"]["getChatCompletionMessages"]
                         ["examples"][0]["response"])  # fmt: skip
    assert [m["role"] for m in example["data"]] == ["user"]  # OpenAI's own example
    made = await client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "Hi"}], store=True
    )
    raw = await client.chat.completions.messages.with_raw_response.list(made.id)
    path = f"/v1/chat/completions/{made.id}/messages"
    with pytest.raises(AssertionError, match="role"):
        validate_response("v2", "GET", path, 200, dict(raw.headers), raw.content)
    validate_response("v2", "GET", path, 200, dict(raw.headers), as_the_spec_says(raw.content))
    assert json.loads(raw.content)["data"][0] == {
        "id": f"{made.id}-0",
        "role": "user",
        "content": "Hi",
        "refusal": None,
        "name": None,
        "content_parts": None,
    }
