"""The Realtime REST calls and ChatKit against OpenAI's spec: every request the client sends
and every answer FakeOpenAI gives, errors included.

Not here: the Live API (``client.live``), which the spec does not describe (its answers are
read by the official SDK's own models in ``tests/integration/test_realtime_rest.py``); and
the beta Responses, which the spec files under path keys holding a query string
(``/responses?beta=true``) that no request router matches: their wire is the GA one (checked
in ``test_responses_conformance.py``) with ``?beta=true`` and an ``openai-beta`` header, and
their answers are checked here against the spec's own schemas of those operations.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from typing import Any, Final

import pytest

from aio_openai import APIStatusError, AsyncOpenAI
from aio_openai.testing import FakeOpenAI

from ._recorder import Recorder, check_all
from ._spec import load_fixture, validate_request, validate_response, validate_schema

KEY: Final = "sk-conformance-realtime-0123456789"
OFFER: Final = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
SESSION: Final[Any] = {"type": "realtime", "model": "gpt-realtime", "instructions": "Be brief."}


@pytest.fixture
async def wired(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[tuple[FakeOpenAI, Recorder]]:
    yield fake, Recorder()


def client_for(fake: FakeOpenAI, recorder: Recorder) -> AsyncOpenAI:
    return AsyncOpenAI(api_key=KEY, base_url=fake.url, middlewares=[recorder], max_retries=0)


async def expect_error(call: Awaitable[Any], status: int) -> None:
    with pytest.raises(APIStatusError) as info:
        await call
    assert info.value.status_code == status, info.value


async def test_realtime_calls_conform(wired: tuple[FakeOpenAI, Recorder]) -> None:
    fake, recorder = wired
    calls = fake.state.realtime_calls.calls
    async with client_for(fake, recorder) as client:
        await client.realtime.client_secrets.create(
            session=SESSION, expires_after={"anchor": "created_at", "seconds": 120}
        )
        await client.realtime.client_secrets.create(session={"type": "transcription"})
        await expect_error(
            client.realtime.client_secrets.create(
                expires_after={"anchor": "created_at", "seconds": 1}
            ),
            400,
        )
        await client.realtime.translations.client_secrets.create(
            session={"model": "gpt-realtime-translate"}
        )
        await client.realtime.calls.create(sdp=OFFER, session=SESSION)
        accepted, rejected, referred = calls.ring(), calls.ring(), calls.ring()
        await client.realtime.calls.accept(accepted, **SESSION)
        await expect_error(client.realtime.calls.accept(accepted, type="realtime"), 400)
        await client.realtime.calls.hangup(accepted)
        await client.realtime.calls.reject(rejected, status_code=486)
        await client.realtime.calls.refer(referred, target_uri="tel:+15550100")
        await expect_error(client.realtime.calls.hangup("rtc_missing"), 404)
    check_all(
        "v2",
        fake,
        recorder,
        ("/realtime/calls", "/realtime/client_secrets", "/realtime/translations"),
        binary=("/realtime/calls",),
        binary_types=("application/sdp",),
    )
    assert {got.status for got in recorder.exchanges} == {200, 201, 400, 404}


async def test_beta_realtime_sessions_answers_conform(
    wired: tuple[FakeOpenAI, Recorder],
) -> None:
    """The answers and the transcription session's request conform; the session's request
    cannot: the spec's request schema requires the answer's ``client_secret`` (``value``,
    ``expires_at``), where the SDK sends ``client_secret.expires_after`` (pinned here: the
    day the spec is fixed, this test fails and that request joins the check)."""
    fake, recorder = wired
    expiry: Any = {"expires_after": {"anchor": "created_at", "seconds": 600}}
    async with client_for(fake, recorder) as client:
        await client.beta.realtime.sessions.create(
            model="gpt-4o-realtime-preview",
            voice="alloy",
            modalities=["text", "audio"],
            client_secret=expiry,
        )
        await client.beta.realtime.transcription_sessions.create(
            input_audio_format="pcm16", client_secret=expiry
        )
    for sent, got in zip(fake.requests, recorder.exchanges, strict=True):
        assert got.status == 200
        validate_response("v2", got.method, got.path, got.status, got.headers, got.body)
        if sent.path == "/v1/realtime/transcription_sessions":
            validate_request("v2", sent.method, sent.raw_path, sent.headers, got.sent)
            continue
        with pytest.raises(AssertionError, match="'value' is a required property"):
            validate_request("v2", sent.method, sent.raw_path, sent.headers, got.sent)


async def test_chatkit_calls_conform(wired: tuple[FakeOpenAI, Recorder]) -> None:
    fake, recorder = wired
    first = fake.state.chatkit.add_thread("ada", ["Where is my order?", "On its way."], title="O")
    fake.state.chatkit.add_thread("ada", ["Hello"])
    async with client_for(fake, recorder) as client:
        session = await client.beta.chatkit.sessions.create(
            user="ada",
            workflow={"id": "wf_support", "version": "3", "state_variables": {"tier": "gold"}},
            expires_after={"anchor": "created_at", "seconds": 300},
            rate_limits={"max_requests_per_1_minute": 20},
            chatkit_configuration={"file_upload": {"enabled": True, "max_files": 3}},
        )
        await client.beta.chatkit.sessions.cancel(session.id)
        await expect_error(client.beta.chatkit.sessions.cancel("cksess_missing"), 404)
        await expect_error(client.beta.chatkit.sessions.create(user="", workflow={"id": "wf"}), 400)
        threads = client.beta.chatkit.threads
        assert (await threads.list(user="ada", limit=1, order="asc")).data
        await threads.retrieve(first)
        assert len((await threads.list_items(first, order="asc", limit=5)).data) == 2
        await threads.delete(first)
        await expect_error(threads.retrieve(first), 404)
    check_all("v2", fake, recorder, ("/chatkit",))
    assert {got.status for got in recorder.exchanges} == {200, 400, 404}


async def test_beta_responses_answers_fit_the_specs_beta_schemas(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    schemas = {}
    for path, item in load_fixture("v2")["paths"].items():
        if path.endswith("?beta=true"):
            for method, op in item.items():
                answer = op["responses"].get("200", {}).get("content", {}).get("application/json")
                if answer is not None:
                    schemas[(method.upper(), path)] = answer["schema"]["$ref"].rsplit("/", 1)[1]
    created = await client.beta.responses.with_raw_response.create(model="gpt-4o", input="hi")
    response_id = created.parse().id
    answers = {
        ("POST", "/responses?beta=true"): created,
        ("GET", "/responses/{response_id}?beta=true"): (
            await client.beta.responses.with_raw_response.retrieve(response_id)
        ),
        ("GET", "/responses/{response_id}/input_items?beta=true"): (
            await client.beta.responses.input_items.with_raw_response.list(response_id)
        ),
        ("POST", "/responses/input_tokens?beta=true"): (
            await client.beta.responses.input_tokens.with_raw_response.count(
                model="gpt-4o", input="hi"
            )
        ),
        ("POST", "/responses/compact?beta=true"): (
            await client.beta.responses.with_raw_response.compact(model="gpt-4o", input="hi")
        ),
    }
    background = await client.beta.responses.create(model="gpt-4o", input="hi", background=True)
    answers[
        ("POST", "/responses/{response_id}/cancel?beta=true")
    ] = await client.beta.responses.with_raw_response.cancel(background.id)
    for key, raw in answers.items():
        validate_schema("v2", schemas[key], raw.json())
    assert len(answers) == len(schemas) == 6  # every beta operation answering JSON
