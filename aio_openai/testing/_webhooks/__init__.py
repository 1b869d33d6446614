"""Webhook endpoints of the fake server, and the signed events it delivers to them.

Reached as ``fake.state.webhooks`` (a :class:`WebhooksState`). ``POST /v1/webhook_endpoints``
registers a url for some event types and answers with its ``signing_secret`` (``whsec_`` and
base64 of 32 random bytes); ``rotate_secret`` makes a new one (the old one still signs, beside
it, with ``keep_old_secret_active_for_24_hours``).

The fake really sends webhooks, as OpenAI does: a ``POST`` of the event's JSON with the
Standard Webhooks headers (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``: one
``v1,<base64>`` signature per active secret), to every endpoint subscribed to the event's type:
``batch.completed``, ``batch.failed`` and ``batch.cancelled`` when a batch gets there, and the
test event of ``POST /v1/webhook_endpoints/{id}/test`` (whose answer says what the url
answered). An event is delivered before the answer that shows its cause (the retrieve that
completes the batch), once, without retries; ``state.deliveries`` records each one.

Modules: :mod:`.state` (endpoints, secrets, events to send), :mod:`.checks` (OpenAI's 400s),
:mod:`.delivery` (the sending),
:mod:`.routes`.
"""

from __future__ import annotations

from aio_openai.testing._webhooks.delivery import deliver
from aio_openai.testing._webhooks.routes import add_webhooks_routes
from aio_openai.testing._webhooks.state import Delivery, WebhooksState

__all__ = ["Delivery", "WebhooksState", "add_webhooks_routes", "deliver"]
