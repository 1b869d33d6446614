"""The Realtime and Live REST calls against FakeOpenAI: client secrets (an ``ek_`` key opens
a Realtime WebSocket until it expires), Realtime calls and Live sessions through their
states, the beta Realtime sessions, and Live recordings."""

from __future__ import annotations

import io
import wave
from collections.abc import AsyncIterator
from typing import Any

import pytest
from openai.types.live import LiveCreateResponse, SessionForkResponse
from openai.types.realtime import RealtimeTranslationClientSecretCreateResponse
from support import FakeClock

from aio_openai import (
    AsyncOpenAI,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
)
from aio_openai.testing import FakeOpenAI

KEY = "sk-realtime-rest-0123456789"
OFFER = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
SESSION = {"type": "realtime", "model": "gpt-realtime", "instructions": "Be brief."}


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    """A fake that takes one API key only, and a clock for the secrets' expiry."""
    async with FakeOpenAI(api_keys=[KEY]) as server:
        server.state.realtime_calls.clock = FakeClock(1_000_000.0)
        yield server


@pytest.fixture
async def client(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, max_retries=0) as c:
        yield c


def clock(fake: FakeOpenAI) -> FakeClock:
    moved = fake.state.realtime_calls.clock
    assert isinstance(moved, FakeClock)
    return moved


# -- client secrets ----------------------------------------------------------------------------


async def test_a_client_secret_opens_a_realtime_session_until_it_expires(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    secret = await client.realtime.client_secrets.create(
        session=SESSION,  # type: ignore[arg-type]
        expires_after={"anchor": "created_at", "seconds": 60},
    )
    assert secret.value.startswith("ek_") and secret.expires_at == 1_000_060
    assert secret.session.model == "gpt-realtime"
    assert secret.session.instructions == "Be brief."
    async with AsyncOpenAI(api_key=secret.value, base_url=fake.url, max_retries=0) as browser:
        async with browser.realtime.connect(model="gpt-realtime") as connection:
            assert (await connection.recv()).type == "session.created"
        with pytest.raises(AuthenticationError):  # a Realtime key, not an API key
            await browser.models.list()
        clock(fake).now += 60
        with pytest.raises(AuthenticationError):
            async with browser.realtime.connect(model="gpt-realtime"):
                pass


async def test_a_client_secret_lives_ten_minutes_by_default(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    secret = await client.realtime.client_secrets.create()
    assert secret.expires_at == 1_000_600
    assert secret.session.type == "realtime"
    transcription = await client.realtime.client_secrets.create(session={"type": "transcription"})
    assert transcription.session.type == "transcription"


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"expires_after": {"anchor": "created_at", "seconds": 5}}, "expires_after.seconds"),
        ({"expires_after": {"anchor": "created_at", "seconds": 7201}}, "expires_after.seconds"),
        ({"expires_after": {"anchor": "last_active_at", "seconds": 60}}, "expires_after.anchor"),
        ({"session": {"type": "video"}}, "session.type"),
    ],
)
async def test_a_bad_client_secret_request_names_its_parameter(
    client: AsyncOpenAI, body: dict[str, object], param: str
) -> None:
    with pytest.raises(BadRequestError) as info:
        await client.realtime.client_secrets.create(**body)  # type: ignore[arg-type]
    assert info.value.param == param


async def test_a_client_secret_for_an_unknown_model_is_a_404(client: AsyncOpenAI) -> None:
    with pytest.raises(NotFoundError) as info:
        await client.realtime.client_secrets.create(session={"type": "realtime", "model": "nope"})
    assert info.value.code == "model_not_found"


async def test_a_translation_client_secret(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    secrets = client.realtime.translations.client_secrets
    secret = await secrets.create(session={"model": "gpt-realtime-translate"})
    assert secret.value.startswith("ek_") and secret.session.type == "translation"
    assert secret.session.expires_at == secret.expires_at == 1_000_600
    with pytest.raises(BadRequestError) as info:
        await secrets.create(session={})  # type: ignore[typeddict-item]
    assert info.value.param == "session.model"


async def test_beta_sessions_send_their_header_and_mint_a_usable_key(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    session = await client.beta.realtime.sessions.create(
        model="gpt-4o-realtime-preview", voice="verse", modalities=["text"]
    )
    assert fake.requests[-1].headers["OpenAI-Beta"] == "assistants=v2"  # as the SDK sends
    assert session.voice == "verse" and session.modalities == ["text"]
    assert session.client_secret.expires_at == 1_000_600
    transcription = await client.beta.realtime.transcription_sessions.create(
        input_audio_format="pcm16"
    )
    assert transcription.input_audio_format == "pcm16"
    async with (
        AsyncOpenAI(
            api_key=session.client_secret.value, base_url=fake.url, max_retries=0
        ) as browser,
        browser.beta.realtime.connect(model="gpt-4o-realtime-preview") as connection,
    ):
        assert (await connection.recv()).type == "session.created"


# -- Realtime calls ----------------------------------------------------------------------------


async def test_a_webrtc_call_answers_the_offer(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    response = await client.realtime.calls.with_raw_response.create(sdp=OFFER, session=SESSION)
    answer = response.parse()
    assert response.status_code == 201
    assert response.headers["Content-Type"].startswith("application/sdp")
    assert answer.text.startswith("v=0\r\n") and "m=audio 9 UDP/TLS/RTP/SAVPF 111" in answer.text
    call_id = response.headers["Location"].rsplit("/", 1)[-1]
    call = fake.state.realtime_calls.calls.get(call_id)
    assert call.status == "active" and call.session["instructions"] == "Be brief."
    sent = fake.requests[-1]
    assert sent.form["sdp"] == OFFER and sent.files == {}  # parts, not files
    assert sent.headers["Accept"] == "application/sdp"
    await client.realtime.calls.hangup(call_id)
    assert fake.state.realtime_calls.calls.get(call_id).ended_by == "hung_up"


async def test_an_incoming_call_is_accepted_once(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    calls = fake.state.realtime_calls.calls
    call_id = calls.ring()
    assert calls.get(call_id).status == "incoming"
    await client.realtime.calls.accept(call_id, type="realtime", model="gpt-realtime")
    assert calls.get(call_id).status == "active"
    with pytest.raises(BadRequestError, match="already been answered"):
        await client.realtime.calls.accept(call_id, type="realtime")
    with pytest.raises(BadRequestError, match="already been answered"):
        await client.realtime.calls.reject(call_id)
    await client.realtime.calls.refer(call_id, target_uri="sip:desk@example.com")
    ended = calls.get(call_id)
    assert (ended.status, ended.ended_by, ended.target_uri) == (
        "ended",
        "referred",
        "sip:desk@example.com",
    )
    with pytest.raises(BadRequestError, match="already ended"):
        await client.realtime.calls.hangup(call_id)


async def test_a_rejected_call_carries_its_sip_status(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    calls = fake.state.realtime_calls.calls
    busy, declined = calls.ring(), calls.ring()
    await client.realtime.calls.reject(busy, status_code=486)
    await client.realtime.calls.reject(declined)
    assert (calls.get(busy).status_code, calls.get(declined).status_code) == (486, 603)


async def test_calls_refuse_bad_input_and_unknown_ids(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    call_id = fake.state.realtime_calls.calls.ring()
    with pytest.raises(BadRequestError) as bad:
        await client.realtime.calls.refer(call_id, target_uri="desk")
    assert bad.value.param == "target_uri"
    with pytest.raises(BadRequestError) as bad:
        await client.realtime.calls.reject(call_id, status_code=42)
    assert bad.value.param == "status_code"
    with pytest.raises(BadRequestError) as bad:
        await client.realtime.calls.accept(call_id, type="transcription")  # type: ignore[arg-type]
    assert bad.value.param == "type"
    with pytest.raises(NotFoundError) as missing:
        await client.realtime.calls.hangup("rtc_nope")
    assert missing.value.body == {
        "message": "Call with id 'rtc_nope' not found.",
        "type": "invalid_request_error",
        "param": "id",
        "code": None,
    }
    assert fake.state.realtime_calls.calls.get(call_id).status == "incoming"  # nothing changed


# -- Live sessions -----------------------------------------------------------------------------


async def test_a_live_session_forks_and_records(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    transport = {"type": "webrtc", "sdp": OFFER}
    live = await client.live.create(session={"model": "gpt-live-1"}, transport=transport)  # type: ignore[arg-type]
    assert live.transport.sdp.startswith("v=0") and live.transport.type == "webrtc"
    fork = await client.live.sessions.fork(live.session.id, transport=transport)  # type: ignore[arg-type]
    assert fork.session.id != live.session.id
    assert fake.state.realtime_calls.live.get(live.session.id).forks == [fork.session.id]
    recording = await client.live.sessions.download_recording(live.session.id)
    with wave.open(io.BytesIO(recording.content)) as wav:
        assert wav.getnframes() > 0 and wav.getframerate() > 0
    await client.live.sessions.hangup(live.session.id)
    with pytest.raises(BadRequestError):
        await client.live.sessions.fork(live.session.id, transport=transport)  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        await client.live.sessions.download_recording("sess_nope")


async def test_incoming_live_sessions(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    live = fake.state.realtime_calls.live
    first, second = live.ring(), live.ring()
    await client.live.sessions.accept(first, session={"type": "live", "model": "gpt-live-1"})
    assert live.get(first).status == "active"
    await client.live.sessions.reject(second, status_code=603)
    assert live.get(second).ended_by == "rejected"
    with pytest.raises(BadRequestError) as bad:
        await client.live.sessions.accept(live.ring(), session={})  # type: ignore[typeddict-item]
    assert bad.value.param == "session.model"
    with pytest.raises(BadRequestError) as bad:
        await client.live.sessions.accept(live.ring(), session={"model": "gpt-live-1"})  # type: ignore[typeddict-item]
    assert bad.value.param == "session.type"
    with pytest.raises(BadRequestError) as bad:
        sip: Any = {"type": "sip"}
        await client.live.create(session={"model": "gpt-live-1"}, transport=sip)
    assert bad.value.param == "transport.type"


async def test_the_fake_answers_are_what_the_sdk_reads(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    """The Live API is not in OpenAI's spec: its answers are checked against the official
    SDK's own models instead (strictly: every required field present, of its type)."""
    transport = {"type": "webrtc", "sdp": OFFER}
    raw = await client.live.with_raw_response.create(
        session={"model": "gpt-live-1"},
        transport=transport,
    )
    created = LiveCreateResponse.model_validate_json(raw.content, strict=True)
    fork = await client.live.sessions.with_raw_response.fork(
        created.session.id, transport=transport
    )
    SessionForkResponse.model_validate_json(fork.content, strict=True)
    secret = await client.realtime.translations.client_secrets.with_raw_response.create(
        session={"model": "gpt-realtime-translate"}
    )
    RealtimeTranslationClientSecretCreateResponse.model_validate_json(secret.content, strict=True)
