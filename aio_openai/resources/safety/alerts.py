"""Safety alerts: ``/safety/alerts/{id}``."""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.safety.safety_alert import SafetyAlert

__all__ = ["Alerts"]


class Alerts(APIResource):
    """``client.safety.alerts``: retrieve."""

    __slots__ = ()

    @endpoint("GET", "/safety/alerts/{id}")
    async def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> SafetyAlert:
        """A safety alert: the flagged response and request, why, and whether the request
        was paused. Raises NotFoundError for an unknown id."""
        return await self._call(Alerts.retrieve, SafetyAlert, options, id=id)
