"""The state of the fake webhook endpoints: their records and secrets, and the events due."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from aio_openai._webhooks import ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
from aio_openai.testing._checks import APIError, invalid_value, missing
from aio_openai.testing._shapes import ListQuery, new_id, page
from aio_openai.testing._webhooks.checks import EVENT_TYPES

__all__ = ["OLD_SECRET_LIFETIME", "Delivery", "WebhooksState", "new_secret"]

#: Seconds a rotated-out secret keeps signing when asked to.
OLD_SECRET_LIFETIME: Final = 24 * 3600
#: The id prefix of the object a test event names, by the event type's first word.
_TEST_OBJECT_PREFIXES: Final = {
    "batch": "batch_",
    "response": "resp_",
    "eval": "evalrun_",
    "fine_tuning": "ftjob-",
    "video": "video_",
}


def new_secret() -> str:
    """A signing secret as OpenAI writes one: ``whsec_`` and base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(os.urandom(32)).decode()


@attrs.frozen(kw_only=True)
class Delivery:
    """One webhook request to send: where, the signed headers and the JSON body."""

    endpoint_id: str
    url: str
    event: Mapping[str, Any]
    headers: Mapping[str, str]
    body: bytes


@attrs.define
class _Endpoint:
    record: dict[str, Any]
    #: (secret, the unix time it stops signing, None for never), the newest first.
    secrets: list[tuple[str, float | None]]


def _test_data(event_type: str) -> dict[str, Any]:
    if event_type == "realtime.call.incoming":
        return {"call_id": new_id("rtc_"), "sip_headers": []}
    prefix = _TEST_OBJECT_PREFIXES.get(event_type.split(".", 1)[0], "obj_")
    return {"id": new_id(prefix)}


class WebhooksState:
    """The webhook endpoints of a fake server (``fake.state.webhooks``) and what was sent.

    ``deliveries`` lists ``(Delivery, status)`` for every webhook sent (status 0 when the url
    did not answer). Every operation takes the state's lock; an unknown endpoint raises
    :class:`APIError` (404).
    """

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._endpoints: dict[str, _Endpoint] = {}
        self._outbox: list[Delivery] = []
        self.deliveries: list[tuple[Delivery, int]] = []

    # -- endpoints -------------------------------------------------------------------------

    def _get(self, endpoint_id: str) -> _Endpoint:
        endpoint = self._endpoints.get(endpoint_id)
        if endpoint is None:
            raise APIError(404, f"No webhook endpoint found with id '{endpoint_id}'.", param="id")
        return endpoint

    def _shown(self, endpoint: _Endpoint, *, with_secret: bool = False) -> dict[str, Any]:
        secret = endpoint.secrets[0][0]
        shown = {**endpoint.record, "signing_secret_hint": f"whsec_...{secret[-4:]}"}
        if with_secret:
            shown["signing_secret"] = secret
        return shown

    def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """A new endpoint from a checked body, with its signing secret."""
        record = {
            "id": new_id("whep_"),
            "object": "webhook_endpoint",
            "created_at": int(self._clock()),
            "updated_at": None,
            "name": body["name"],
            "url": body["url"],
            "event_types": list(body["event_types"]),
        }
        endpoint = _Endpoint(record, [(new_secret(), None)])
        with self._lock:
            self._endpoints[record["id"]] = endpoint
            return self._shown(endpoint, with_secret=True)

    def retrieve(self, endpoint_id: str) -> dict[str, Any]:
        """An endpoint, its secret shown by its hint only."""
        with self._lock:
            return self._shown(self._get(endpoint_id))

    def update(self, endpoint_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Change the given ``name``, ``url`` and ``event_types`` of an endpoint."""
        with self._lock:
            endpoint = self._get(endpoint_id)
            for key in ("name", "url", "event_types"):
                if body.get(key) is not None:
                    endpoint.record[key] = body[key]
            endpoint.record["updated_at"] = int(self._clock())
            return self._shown(endpoint)

    def list_endpoints(self, query: ListQuery) -> dict[str, Any]:
        """One page of the endpoints."""
        with self._lock:
            endpoints = [self._shown(e) for e in self._endpoints.values()]
        return page(endpoints, query)

    def delete(self, endpoint_id: str) -> dict[str, Any]:
        """Remove an endpoint; OpenAI's deletion answer."""
        with self._lock:
            self._get(endpoint_id)
            del self._endpoints[endpoint_id]
        return {"id": endpoint_id, "object": "webhook_endpoint.deleted", "deleted": True}

    def rotate_secret(self, endpoint_id: str, *, keep_old: bool) -> dict[str, Any]:
        """A new signing secret; the old one signs for 24 more hours if ``keep_old``."""
        now = self._clock()
        with self._lock:
            endpoint = self._get(endpoint_id)
            kept = [
                (s, until) for s, until in endpoint.secrets if until is not None and until > now
            ]
            if keep_old:
                kept.insert(0, (endpoint.secrets[0][0], now + OLD_SECRET_LIFETIME))
            endpoint.secrets = [(new_secret(), None), *kept]
            endpoint.record["updated_at"] = int(now)
            return self._shown(endpoint, with_secret=True)

    # -- events ----------------------------------------------------------------------------

    def _delivery(self, endpoint: _Endpoint, event: Mapping[str, Any]) -> Delivery:
        body = json.dumps(event, separators=(",", ":")).encode()
        webhook_id = new_id("wh_")
        now = self._clock()
        timestamp = int(now)
        signatures = " ".join(
            "v1," + signature(body, secret=secret, webhook_id=webhook_id, timestamp=timestamp)
            for secret, until in endpoint.secrets
            if until is None or until > now
        )
        headers = {
            ID_HEADER: webhook_id,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signatures,
            "Content-Type": "application/json",
        }
        return Delivery(
            endpoint_id=endpoint.record["id"],
            url=endpoint.record["url"],
            event=event,
            headers=headers,
            body=body,
        )

    def _event(self, event_type: str, data: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "id": new_id("evt_"),
            "object": "event",
            "created_at": int(self._clock()),
            "type": event_type,
            "data": dict(data),
        }

    def publish(self, event_type: str, data: Mapping[str, Any]) -> None:
        """Queue the event for every endpoint subscribed to its type (sent by the route that
        caused it, see :meth:`take_due`)."""
        with self._lock:
            event = self._event(event_type, data)
            for endpoint in self._endpoints.values():
                if event_type in endpoint.record["event_types"]:
                    self._outbox.append(self._delivery(endpoint, event))

    def take_due(self) -> list[Delivery]:
        """The queued deliveries, now the caller's to send."""
        with self._lock:
            due, self._outbox = self._outbox, []
        return due

    def test_delivery(self, endpoint_id: str, event_type: Any) -> Delivery:
        """The test event of ``event_type`` for an endpoint (whatever it subscribes to)."""
        if event_type is None:
            raise missing("event_type")
        if event_type not in EVENT_TYPES:
            raise invalid_value("event_type", event_type, EVENT_TYPES)
        with self._lock:
            endpoint = self._get(endpoint_id)
            return self._delivery(endpoint, self._event(event_type, _test_data(event_type)))

    def record(self, delivery: Delivery, status: int) -> None:
        """Note a sent delivery and the status its url answered (0: no answer)."""
        with self._lock:
            self.deliveries.append((delivery, status))
