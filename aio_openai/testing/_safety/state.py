"""The state of the fake safety records: alerts and cases, put there by tests."""

from __future__ import annotations

import threading
import time
from typing import Any

from aio_openai.testing._checks import APIError
from aio_openai.testing._shapes import new_id

__all__ = ["SafetyState"]

#: The reason an alert gives for each kind of error.
_REASONS = {
    "potentially_unintended_data_transfer": "The response may have sent data out unintended.",
    "potentially_unintended_data_access": "The response may have read data unintended.",
    "potentially_unintended_destructive_activity": "The response may have destroyed something.",
    "other": "The response was flagged by a safety check.",
}


class SafetyState:
    """The safety alerts and cases of a fake server (``fake.state.safety``).

    OpenAI's safety systems raise them; in the fake a test adds them (:meth:`add_alert`,
    :meth:`add_case`) and the client retrieves them. Every operation takes the state's lock;
    an unknown id raises :class:`APIError` (404).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._alerts: dict[str, dict[str, Any]] = {}
        self._cases: dict[str, dict[str, Any]] = {}

    def add_alert(
        self,
        *,
        response_id: str,
        error_type: str = "other",
        model: str = "gpt-4o",
        request_id: str | None = None,
        request_paused: bool = True,
        reason: str | None = None,
        detailed_explanation: str | None = None,
    ) -> dict[str, Any]:
        """A new alert about the response ``response_id`` (its ``reason`` derived from
        ``error_type`` unless given); returns it."""
        if error_type not in _REASONS:
            raise ValueError(f"error_type must be one of {sorted(_REASONS)}, got {error_type!r}")
        record: dict[str, Any] = {
            "id": new_id("salrt_"),
            "object": "safety.alert",
            "created_at": int(time.time()),
            "error_type": error_type,
            "model": model,
            "reason": reason if reason is not None else _REASONS[error_type],
            "request_id": request_id or new_id("req_"),
            "request_paused": request_paused,
            "response_id": response_id,
        }
        if detailed_explanation is not None:
            record["detailed_explanation"] = detailed_explanation
        with self._lock:
            self._alerts[record["id"]] = record
        return dict(record)

    def add_case(
        self, *, entity_identifier: str, notice: str = "warning", reason: str | None = None
    ) -> dict[str, Any]:
        """A new case about ``entity_identifier`` (a user's ``safety_identifier``, say) with
        a ``notice`` of ``"warning"`` or ``"deactivation"``; returns it."""
        if notice not in ("warning", "deactivation"):
            raise ValueError(f"notice must be 'warning' or 'deactivation', got {notice!r}")
        record: dict[str, Any] = {
            "id": new_id("scase_"),
            "object": "safety.case",
            "created_at": int(time.time()),
            "entity_identifier": entity_identifier,
            "notice": {"type": notice},
            "reason": reason,
        }
        with self._lock:
            self._cases[record["id"]] = record
        return dict(record)

    def _find(self, table: dict[str, dict[str, Any]], record_id: str, what: str) -> dict[str, Any]:
        with self._lock:
            record = table.get(record_id)
            if record is None:
                raise APIError(404, f"{what} with id '{record_id}' not found.", param="id")
            return dict(record)

    def alert(self, alert_id: str) -> dict[str, Any]:
        """An alert."""
        return self._find(self._alerts, alert_id, "Safety alert")

    def case(self, case_id: str) -> dict[str, Any]:
        """A case."""
        return self._find(self._cases, case_id, "Safety case")
