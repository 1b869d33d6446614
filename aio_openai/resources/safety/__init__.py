"""Safety: ``/safety``, what OpenAI's safety systems recorded about the organization's
requests: ``alerts`` (a response flagged while it ran) and ``cases`` (notices about an
entity: a warning or a deactivation)."""

from __future__ import annotations

from ..._resource import APIResource
from .alerts import Alerts
from .cases import Cases

__all__ = ["Alerts", "Cases", "Safety"]


class Safety(APIResource):
    """``client.safety``: ``alerts`` and ``cases``."""

    __slots__ = ()

    @property
    def alerts(self) -> Alerts:
        """Safety alerts: retrieve."""
        return Alerts(self._client, raw=self._raw)

    @property
    def cases(self) -> Cases:
        """Safety cases: retrieve."""
        return Cases(self._client, raw=self._raw)
