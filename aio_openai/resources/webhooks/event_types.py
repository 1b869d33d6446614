"""The event types of webhooks: ``/webhook_event_types``."""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.webhooks.webhook_event_type_list import WebhookEventTypeList

__all__ = ["EventTypes"]


class EventTypes(APIResource):
    """``client.webhooks.event_types``: ``list``."""

    __slots__ = ()

    @endpoint("GET", "/webhook_event_types")
    async def list(self, **options: Unpack[RequestOptions]) -> WebhookEventTypeList:
        """Every event type a webhook endpoint can subscribe to (``data``: their names)."""
        return await self._call(EventTypes.list, WebhookEventTypeList, options)
