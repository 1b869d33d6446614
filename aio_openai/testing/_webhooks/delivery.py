"""Sending webhooks: each due delivery POSTed to its url, the answer's status recorded."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import aiohttp

from aio_openai.testing._webhooks.state import Delivery, WebhooksState

__all__ = ["DELIVERY_TIMEOUT", "deliver"]

#: Seconds a webhook url has to answer (OpenAI's is shorter in practice; tests answer at once).
DELIVERY_TIMEOUT: Final = 10.0


async def deliver(state: WebhooksState, deliveries: Iterable[Delivery]) -> list[int]:
    """Send ``deliveries`` one after the other; return the status each url answered (0 when
    it could not be reached or did not answer in time), also recorded on ``state``."""
    deliveries = list(deliveries)
    if not deliveries:
        return []
    statuses = []
    timeout = aiohttp.ClientTimeout(total=DELIVERY_TIMEOUT)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        for delivery in deliveries:
            try:
                async with session.post(
                    delivery.url, data=delivery.body, headers=dict(delivery.headers)
                ) as response:
                    await response.read()
                    status = response.status
            except (TimeoutError, aiohttp.ClientError, ValueError):
                status = 0
            state.record(delivery, status)
            statuses.append(status)
    return statuses
