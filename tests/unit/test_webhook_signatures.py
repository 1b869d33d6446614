"""Webhook signatures: ``webhooks.verify_signature`` and ``unwrap`` check what
``aio_openai.testing.sign_webhook`` (and OpenAI) sign, the Standard Webhooks way, and refuse
everything else with InvalidWebhookSignatureError."""

from __future__ import annotations

import base64
import hmac
import json
import time
from typing import Any, Final

import pytest

from aio_openai import AsyncOpenAI, InvalidWebhookSignatureError
from aio_openai import _webhooks as webhooks_module
from aio_openai.testing import sign_webhook
from aio_openai.types.unknown_variant import UnknownVariant
from aio_openai.types.webhooks import BatchCompletedWebhookEvent, ResponseFailedWebhookEvent

SECRET: Final = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
OTHER: Final = "whsec_" + base64.b64encode(b"fedcba9876543210fedcba9876543210").decode()
EVENT: Final = {
    "id": "evt_1",
    "object": "event",
    "created_at": 1_723_000_000,
    "type": "batch.completed",
    "data": {"id": "batch_1"},
}
PAYLOAD: Final = json.dumps(EVENT)

pytestmark = pytest.mark.usefixtures("clean_env")


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> AsyncOpenAI:
    monkeypatch.delenv("OPENAI_WEBHOOK_SECRET", raising=False)
    return AsyncOpenAI(api_key="sk-hooks", base_url="http://127.0.0.1:9/v1", webhook_secret=SECRET)


def test_signed_requests_verify_and_unwrap_to_the_typed_event(client: AsyncOpenAI) -> None:
    headers = sign_webhook(PAYLOAD, SECRET)
    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert headers["webhook-signature"].startswith("v1,")
    assert client.webhooks.verify_signature(PAYLOAD, headers) is None
    assert client.webhooks.verify_signature(PAYLOAD.encode(), headers) is None
    event = client.webhooks.unwrap(PAYLOAD.encode(), headers)
    assert isinstance(event, BatchCompletedWebhookEvent)
    assert (event.id, event.data.id, event.type) == ("evt_1", "batch_1", "batch.completed")


def test_the_signature_is_the_standard_webhooks_hmac() -> None:
    headers = sign_webhook(PAYLOAD, SECRET, webhook_id="wh_1", timestamp=1_723_000_000)
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    mac = hmac.new(key, b"wh_1.1723000000." + PAYLOAD.encode(), "sha256").digest()
    assert headers == {
        "webhook-id": "wh_1",
        "webhook-timestamp": "1723000000",
        "webhook-signature": "v1," + base64.b64encode(mac).decode(),
    }


def test_the_official_sdk_accepts_what_sign_webhook_signs() -> None:
    openai = pytest.importorskip("openai")
    sdk = openai.OpenAI(api_key="sk-x", webhook_secret=SECRET)
    headers = sign_webhook(PAYLOAD, [OTHER, SECRET])
    sdk.webhooks.verify_signature(PAYLOAD, headers)
    with pytest.raises(openai.InvalidWebhookSignatureError):
        sdk.webhooks.verify_signature(PAYLOAD + " ", headers)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"payload": PAYLOAD.replace("batch_1", "batch_2")}, "does not match"),
        ({"secret": OTHER}, "does not match"),
        ({"timestamp": int(time.time()) - 3600}, "too old"),
        ({"timestamp": int(time.time()) + 3600}, "too new"),
        ({"headers": {"webhook-timestamp": "soon"}}, "Invalid webhook timestamp format"),
        ({"headers": {"webhook-signature": "v1a,abc v2,def"}}, "does not match"),
        ({"drop": "webhook-id"}, "webhook-id header"),
        ({"drop": "webhook-signature"}, "webhook-signature header"),
        ({"drop": "webhook-timestamp"}, "webhook-timestamp header"),
    ],
)
def test_anything_else_is_refused(
    client: AsyncOpenAI, change: dict[str, Any], message: str
) -> None:
    headers: dict[str, str] = sign_webhook(
        PAYLOAD, change.get("secret", SECRET), timestamp=change.get("timestamp")
    )
    headers.update(change.get("headers", {}))
    headers.pop(change.get("drop", ""), None)
    with pytest.raises(InvalidWebhookSignatureError, match=message):
        client.webhooks.unwrap(change.get("payload", PAYLOAD), headers)
    assert issubclass(InvalidWebhookSignatureError, ValueError)


def test_tolerance_widens_or_narrows_the_window(client: AsyncOpenAI) -> None:
    old = sign_webhook(PAYLOAD, SECRET, timestamp=int(time.time()) - 1000)
    client.webhooks.verify_signature(PAYLOAD, old, tolerance=2000)
    fresh = sign_webhook(PAYLOAD, SECRET, timestamp=int(time.time()) - 10)
    with pytest.raises(InvalidWebhookSignatureError, match="too old"):
        client.webhooks.verify_signature(PAYLOAD, fresh, tolerance=5)


def test_one_matching_signature_of_several_is_enough_and_all_are_compared(
    client: AsyncOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[bytes] = []
    real = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        compared.append(b)
        return real(a, b)

    monkeypatch.setattr(webhooks_module.hmac, "compare_digest", counting)
    headers = sign_webhook(PAYLOAD, [SECRET, OTHER])
    client.webhooks.verify_signature(PAYLOAD, headers)
    assert len(compared) == 2  # the second is compared too: the time says nothing
    bare = headers["webhook-signature"].split()[0].removeprefix("v1,")
    client.webhooks.verify_signature(PAYLOAD, {**headers, "webhook-signature": bare})


def test_header_names_in_any_case(client: AsyncOpenAI) -> None:
    headers = {k.title(): v for k, v in sign_webhook(PAYLOAD, SECRET).items()}
    assert "Webhook-Signature" in headers
    client.webhooks.verify_signature(PAYLOAD, headers)


def test_the_secret_comes_from_the_argument_the_client_or_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    headers = sign_webhook(PAYLOAD, OTHER)
    monkeypatch.delenv("OPENAI_WEBHOOK_SECRET", raising=False)
    bare = AsyncOpenAI(api_key="sk-hooks", base_url="http://127.0.0.1:9/v1")
    assert bare.webhook_secret is None
    with pytest.raises(ValueError, match="OPENAI_WEBHOOK_SECRET"):
        bare.webhooks.verify_signature(PAYLOAD, headers)
    bare.webhooks.verify_signature(PAYLOAD, headers, secret=OTHER)
    monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", OTHER)
    from_env = AsyncOpenAI(api_key="sk-hooks", base_url="http://127.0.0.1:9/v1")
    assert from_env.webhooks.unwrap(PAYLOAD, headers).id == "evt_1"
    assert from_env.with_options(timeout=5).webhook_secret == OTHER
    assert from_env.copy(webhook_secret=SECRET).webhook_secret == SECRET
    plain = sign_webhook(PAYLOAD, "a plain secret")  # not whsec_: its UTF-8 bytes are the key
    bare.webhooks.verify_signature(PAYLOAD, plain, secret="a plain secret")
    with pytest.raises(ValueError, match="not valid base64"):
        bare.webhooks.verify_signature(PAYLOAD, plain, secret="whsec_***")
    assert OTHER not in repr(from_env)


def test_unknown_event_types_unwrap_to_an_unknown_variant(client: AsyncOpenAI) -> None:
    payload = json.dumps({**EVENT, "type": "video.exploded", "data": {"id": "v_1"}})
    event = client.webhooks.unwrap(payload, sign_webhook(payload, SECRET))
    assert isinstance(event, UnknownVariant)
    assert event.type == "video.exploded"  # type: ignore[attr-defined]
    failed = json.dumps({**EVENT, "type": "response.failed", "data": {"id": "resp_1"}})
    assert isinstance(
        client.webhooks.unwrap(failed, sign_webhook(failed, SECRET)), ResponseFailedWebhookEvent
    )
    with pytest.raises(ValueError):
        client.webhooks.unwrap("not json", sign_webhook("not json", SECRET))
