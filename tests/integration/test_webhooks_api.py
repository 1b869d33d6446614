"""Webhook endpoints end to end: their CRUD against FakeOpenAI, and the signed events the fake
delivers to a real aiohttp handler that checks them with ``client.webhooks.unwrap``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp import web

from aio_openai import (
    APIResponse,
    AsyncCursorPage,
    AsyncOpenAI,
    BadRequestError,
    InvalidWebhookSignatureError,
    NotFoundError,
)
from aio_openai.testing import FakeOpenAI
from aio_openai.types.webhooks import (
    BatchCompletedWebhookEvent,
    BatchFailedWebhookEvent,
    DeletedWebhookEndpoint,
    WebhookEndpoint,
    WebhookEndpointTestResult,
    WebhookEndpointWithSecret,
    WebhookEventTypeList,
)


class Receiver:
    """A web backend's webhook handler on loopback: it verifies each request with the
    client, answers 400 to the ones that do not verify, and keeps the events."""

    def __init__(self, client: AsyncOpenAI) -> None:
        self.client = client
        self.secret: str | None = None
        self.events: list[Any] = []
        self.refused: list[str] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        try:
            event = self.client.webhooks.unwrap(body, request.headers, secret=self.secret)
        except InvalidWebhookSignatureError as exc:
            self.refused.append(str(exc))
            return web.Response(status=400)
        self.events.append(event)
        return web.Response(status=200)

    async def __aenter__(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/hooks/openai", self.handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/hooks/openai"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()


async def test_create_retrieve_update_list_delete(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    created = await api.webhooks.create(
        name="backend", url="https://example.com/hooks", event_types=["batch.completed"]
    )
    assert isinstance(created, WebhookEndpointWithSecret)
    assert fake.requests[-1].json == {
        "name": "backend",
        "url": "https://example.com/hooks",
        "event_types": ["batch.completed"],
    }
    assert created.id.startswith("whep_") and created.signing_secret.startswith("whsec_")
    assert created.signing_secret_hint == "whsec_..." + created.signing_secret[-4:]
    got = await api.webhooks.retrieve(created.id)
    assert isinstance(got, WebhookEndpoint) and "signing_secret" not in got.to_dict()
    updated = await api.webhooks.update(
        created.id, name="renamed", url="https://example.com/v2", event_types=["batch.failed"]
    )
    assert (updated.name, updated.url, updated.event_types) == (
        "renamed",
        "https://example.com/v2",
        ["batch.failed"],
    )
    assert updated.updated_at is not None
    page = await api.webhooks.list(limit=10, after=None)
    assert isinstance(page, AsyncCursorPage) and [e.id for e in page.data] == [created.id]
    assert fake.requests[-1].raw_path.endswith("/webhook_endpoints?limit=10")
    deleted = await api.webhooks.delete(created.id)
    assert isinstance(deleted, DeletedWebhookEndpoint)
    assert (deleted.id, deleted.deleted, deleted.object) == (
        created.id,
        True,
        "webhook_endpoint.deleted",
    )
    with pytest.raises(NotFoundError, match=created.id):
        await api.webhooks.retrieve(created.id)


async def test_event_types(api: AsyncOpenAI) -> None:
    types = await api.webhooks.event_types.list()
    assert isinstance(types, WebhookEventTypeList)
    assert {"batch.completed", "response.completed", "realtime.call.incoming"} <= set(types.data)


async def test_bad_endpoints_are_refused(api: AsyncOpenAI) -> None:
    with pytest.raises(BadRequestError, match="Supported values are") as info:
        await api.webhooks.create(name="x", url="https://e.com", event_types=["batch.done"])  # type: ignore[list-item]
    assert info.value.param == "event_types[0]"
    with pytest.raises(BadRequestError, match="http"):
        await api.webhooks.create(name="x", url="ftp://e.com", event_types=["batch.failed"])
    created = await api.webhooks.create(name="x", url="https://e.com", event_types=["batch.failed"])
    with pytest.raises(BadRequestError, match="Invalid value: 'nope'") as info:
        await api.webhooks.test(created.id, event_type="nope")  # type: ignore[arg-type]
    assert info.value.param == "event_type"


async def test_test_sends_a_signed_event_the_handler_verifies(api: AsyncOpenAI) -> None:
    async with Receiver(api) as receiver:
        endpoint = await api.webhooks.create(
            name="backend", url=receiver.url, event_types=["batch.completed"]
        )
        receiver.secret = endpoint.signing_secret
        result = await api.webhooks.test(endpoint.id, event_type="batch.completed")
        assert isinstance(result, WebhookEndpointTestResult)
        assert (result.status_code, result.success, result.event_type) == (
            200,
            True,
            "batch.completed",
        )
        (event,) = receiver.events
        assert isinstance(event, BatchCompletedWebhookEvent) and event.id.startswith("evt_")
        receiver.secret = "whsec_" + "QUJD" * 8  # a backend with the wrong secret refuses it
        refused = await api.webhooks.test(endpoint.id, event_type="batch.completed")
        assert (refused.status_code, refused.success) == (400, False)
        assert receiver.refused == [
            "The given webhook signature does not match the expected signature"
        ]


async def test_a_url_that_does_not_answer(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    async with Receiver(api) as receiver:
        url = receiver.url  # closed when the block ends: nothing listens there any more
    endpoint = await api.webhooks.create(name="gone", url=url, event_types=["batch.failed"])
    result = await api.webhooks.test(endpoint.id, event_type="batch.failed")
    assert (result.status_code, result.success) == (0, False)
    ((delivery, status),) = fake.state.webhooks.deliveries
    assert (delivery.url, status, delivery.event["type"]) == (url, 0, "batch.failed")


async def test_rotation_signs_with_both_secrets_while_the_old_one_is_kept(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    async with Receiver(api) as receiver:
        endpoint = await api.webhooks.create(
            name="backend", url=receiver.url, event_types=["batch.completed"]
        )
        old = endpoint.signing_secret
        rotated = await api.webhooks.rotate_secret(
            endpoint.id, keep_old_secret_active_for_24_hours=True
        )
        assert fake.requests[-1].json == {"keep_old_secret_active_for_24_hours": True}
        assert rotated.signing_secret != old
        for secret in (old, rotated.signing_secret):  # a backend on either secret accepts
            receiver.secret = secret
            assert (await api.webhooks.test(endpoint.id, event_type="batch.completed")).success
        delivery, _ = fake.state.webhooks.deliveries[-1]
        assert len(delivery.headers["webhook-signature"].split()) == 2
        again = await api.webhooks.rotate_secret(endpoint.id)
        receiver.secret = rotated.signing_secret  # kept by nobody: refused now
        assert not (await api.webhooks.test(endpoint.id, event_type="batch.completed")).success
        receiver.secret = again.signing_secret
        assert (await api.webhooks.test(endpoint.id, event_type="batch.completed")).success


async def test_batches_call_back_when_they_end(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    async with Receiver(api) as receiver:
        endpoint = await api.webhooks.create(
            name="backend", url=receiver.url, event_types=["batch.completed", "batch.failed"]
        )
        receiver.secret = endpoint.signing_secret
        line = {
            "custom_id": "a",
            "method": "POST",
            "url": "/v1/chat/completions",
            "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]},
        }
        good = fake.state.files.add_file(json.dumps(line).encode(), purpose="batch")
        bad = fake.state.files.add_file(b"{oops\n", purpose="batch")
        ids = []
        for stored in (good, bad):
            batch = await api.batches.create(
                input_file_id=stored["id"], endpoint="/v1/chat/completions", completion_window="24h"
            )
            ids.append(batch.id)
            while batch.status not in ("completed", "failed"):
                assert not receiver.events or receiver.events[-1].data.id != batch.id
                batch = await api.batches.retrieve(batch.id)
            # the event arrived before the answer that shows the batch done
            assert receiver.events[-1].data.id == batch.id
    assert [type(e) for e in receiver.events] == [
        BatchCompletedWebhookEvent,
        BatchFailedWebhookEvent,
    ]
    assert [e.data.id for e in receiver.events] == ids


async def test_raw_response_and_empty_ids(api: AsyncOpenAI) -> None:
    raw = await api.webhooks.with_raw_response.create(
        name="x", url="https://example.com", event_types=["batch.failed"]
    )
    assert isinstance(raw, APIResponse) and raw.status_code == 200 and raw.request_id
    endpoint = raw.parse()
    assert isinstance(endpoint, WebhookEndpointWithSecret)
    types = await api.webhooks.event_types.with_raw_response.list()
    assert isinstance(types.parse(), WebhookEventTypeList)
    deleted = await api.webhooks.with_raw_response.delete(endpoint.id)
    assert deleted.parse().deleted is True
    for call in (
        lambda: api.webhooks.retrieve(""),
        lambda: api.webhooks.update("", name="x"),
        lambda: api.webhooks.delete(""),
        lambda: api.webhooks.rotate_secret(""),
        lambda: api.webhooks.test("", event_type="batch.failed"),
    ):
        with pytest.raises(ValueError, match="webhook_endpoint_id"):
            await call()
