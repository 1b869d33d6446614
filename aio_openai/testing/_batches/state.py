"""The state of the fake Batch API: each batch's record and where it stands.

::

    validating --> in_progress --> finalizing --> completed
         |              |               |
         +--> failed    +--(cancel)-----+--> cancelling --> cancelled
    (any of the passing ones) --(expire)--> expired

Leaving ``validating`` reads the input file (:func:`.lines.read_requests`): a bad file fails
the batch with its ``errors``. Leaving ``in_progress`` runs every request through the fake's
own JSON operation of the batch's endpoint (the same one its route serves). Leaving
``finalizing`` (or ``cancelling``, with what had run) writes the output and error files into
the files store and the ``usage``. Each passing status (``validating``, ``in_progress``,
``finalizing``, ``cancelling``) lasts ``polls`` retrieves of the batch; ``polls=0`` settles a
batch as soon as it is created. ``batch.completed``, ``batch.failed``, ``batch.cancelled`` and
``batch.expired`` events go to the webhook endpoints.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from aio_openai.testing._batches.lines import Request, expired_line, read_requests, run_request
from aio_openai.testing._checks import APIError, check_polls
from aio_openai.testing._files.state import FilesState
from aio_openai.testing._http import JSONOperation
from aio_openai.testing._shapes import ListQuery, new_id, page
from aio_openai.testing._webhooks.state import WebhooksState

__all__ = ["COMPLETION_WINDOW", "PASSING", "BatchesState"]

#: The statuses a batch leaves by itself.
PASSING: Final = frozenset({"validating", "in_progress", "finalizing", "cancelling"})
_CANCELLABLE: Final = frozenset({"validating", "in_progress", "finalizing"})
#: Seconds from a batch's creation to its ``expires_at`` (the "24h" completion window).
COMPLETION_WINDOW: Final = 24 * 3600
_EVENTS: Final = {
    "completed": "batch.completed",
    "failed": "batch.failed",
    "cancelled": "batch.cancelled",
    "expired": "batch.expired",
}


@attrs.define
class _Batch:
    record: dict[str, Any]
    views: int = 1
    requests: list[Request] = attrs.field(factory=list)
    outputs: list[dict[str, Any]] = attrs.field(factory=list)
    errors: list[dict[str, Any]] = attrs.field(factory=list)


def _usage(outputs: list[dict[str, Any]]) -> dict[str, Any]:
    """A batch's token usage: the sum of its answers' (chat, completions, responses, ...)."""
    read = written = 0
    for line in outputs:
        usage = line["response"]["body"].get("usage") or {}
        read += usage.get("prompt_tokens") or usage.get("input_tokens") or 0
        written += usage.get("completion_tokens") or usage.get("output_tokens") or 0
    return {
        "input_tokens": read,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": written,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": read + written,
    }


def _shown(record: Mapping[str, Any]) -> dict[str, Any]:
    """A batch as the API answers: the times and files that are not set yet are left out."""
    return {k: v for k, v in record.items() if v is not None}


class BatchesState:
    """The batches of a fake server (``fake.state.batches``).

    ``files`` holds the input files and receives the output ones; ``operations`` are the fake's
    JSON operations by url path (``"/v1/chat/completions"``, ...); ``knows_model`` says
    whether a request may name a model (as the server's model check does); ``webhooks``
    receives the events. Every operation takes the state's lock; an unknown batch raises
    :class:`APIError` (404).
    """

    def __init__(
        self,
        files: FilesState,
        webhooks: WebhooksState,
        operations: Mapping[str, JSONOperation],
        knows_model: Callable[[str], bool],
    ) -> None:
        self._lock = threading.Lock()
        self._files = files
        self._webhooks = webhooks
        self._operations = operations
        self._knows_model = knows_model
        self._batches: dict[str, _Batch] = {}
        self.polls = 1

    def configure(self, *, polls: int) -> None:
        """Set how many retrieves each passing status lasts (0: a batch settles at once)."""
        checked = check_polls(polls)
        with self._lock:
            self.polls = checked

    def _get(self, batch_id: str) -> _Batch:
        batch = self._batches.get(batch_id)
        if batch is None:
            raise APIError(404, f"No batch found with id '{batch_id}'.", param="batch_id")
        return batch

    # -- operations ------------------------------------------------------------------------

    def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """A new batch (``validating``) from a checked body; 400 for an input file that is
        not there or not a ``batch`` file."""
        file_id = body["input_file_id"]
        try:
            stored = self._files.get(file_id)
        except APIError:
            raise APIError(
                400,
                f"Invalid 'input_file_id': file '{file_id}' not found.",
                param="input_file_id",
            ) from None
        if stored["purpose"] != "batch":
            raise APIError(
                400,
                f"Invalid 'input_file_id': the file's purpose is '{stored['purpose']}', but a"
                " batch's input file must be uploaded with purpose 'batch'.",
                param="input_file_id",
            )
        now = int(time.time())
        record: dict[str, Any] = {
            "id": new_id("batch_"),
            "object": "batch",
            "endpoint": body["endpoint"],
            "model": None,
            "errors": None,
            "input_file_id": file_id,
            "completion_window": body["completion_window"],
            "status": "validating",
            "output_file_id": None,
            "error_file_id": None,
            "created_at": now,
            "in_progress_at": None,
            "expires_at": now + COMPLETION_WINDOW,
            "finalizing_at": None,
            "completed_at": None,
            "failed_at": None,
            "expired_at": None,
            "cancelling_at": None,
            "cancelled_at": None,
            "request_counts": {"total": 0, "completed": 0, "failed": 0},
            "usage": None,
            "metadata": body.get("metadata"),
        }
        batch = _Batch(record)
        with self._lock:
            self._batches[record["id"]] = batch
            shown = _shown(record)
            if self.polls == 0:
                self._settle(batch)
        return shown

    def retrieve(self, batch_id: str) -> dict[str, Any]:
        """A batch, one retrieve further in its pace."""
        with self._lock:
            batch = self._get(batch_id)
            if batch.record["status"] in PASSING:
                if self.polls == 0:
                    self._settle(batch)
                elif batch.views >= self.polls:
                    self._advance(batch)
                    batch.views = 1
                else:
                    batch.views += 1
            return _shown(batch.record)

    def list_batches(self, query: ListQuery) -> dict[str, Any]:
        """One page of the batches."""
        with self._lock:
            records = [_shown(b.record) for b in self._batches.values()]
        return page(records, query)

    def cancel(self, batch_id: str) -> dict[str, Any]:
        """Start cancelling a batch; 409 for one that is done (a cancelling one is as is)."""
        with self._lock:
            batch = self._get(batch_id)
            status = batch.record["status"]
            if status in _CANCELLABLE:
                batch.record["status"] = "cancelling"
                batch.record["cancelling_at"] = int(time.time())
                batch.views = 1
                if self.polls == 0:
                    self._settle(batch)
            elif status != "cancelling":
                raise APIError(
                    409,
                    f"Cannot cancel a batch with status '{status}'.",
                    code="batch_not_cancellable",
                )
            return _shown(batch.record)

    def expire(self, batch_id: str) -> dict[str, Any]:
        """Let a batch's completion window run out now: a batch not done is ``expired``, its
        requests not run written to the error file (``batch_expired``)."""
        with self._lock:
            batch = self._get(batch_id)
            if batch.record["status"] in PASSING:
                ran = {line["custom_id"] for line in batch.outputs + batch.errors}
                batch.errors += [expired_line(r) for r in batch.requests if r.custom_id not in ran]
                self._finish(batch, "expired")
            return _shown(batch.record)

    # -- transitions -----------------------------------------------------------------------

    def _settle(self, batch: _Batch) -> None:
        while batch.record["status"] in PASSING:
            self._advance(batch)

    def _advance(self, batch: _Batch) -> None:
        record = batch.record
        now = int(time.time())
        status = record["status"]
        if status == "validating":
            content = self._files.content(record["input_file_id"])
            requests, errors, model = read_requests(content, record["endpoint"])
            if errors:
                record["errors"] = {"object": "list", "data": errors}
                record["failed_at"] = now
                self._finish(batch, "failed", write=False)
                return
            batch.requests = requests
            record.update(status="in_progress", in_progress_at=now, model=model)
            record["request_counts"] = {"total": len(requests), "completed": 0, "failed": 0}
        elif status == "in_progress":
            self._run(batch)
            record.update(status="finalizing", finalizing_at=now)
        elif status == "finalizing":
            record["completed_at"] = now
            self._finish(batch, "completed")
        elif status == "cancelling":
            record["cancelled_at"] = now
            self._finish(batch, "cancelled")

    def _run(self, batch: _Batch) -> None:
        endpoint = batch.record["endpoint"]
        operation = self._operations.get(endpoint)
        for request in batch.requests:
            ok, line = run_request(request, operation, self._knows_model, endpoint)
            (batch.outputs if ok else batch.errors).append(line)
        batch.record["request_counts"] = {
            "total": len(batch.requests),
            "completed": len(batch.outputs),
            "failed": len(batch.errors),
        }

    def _write(self, batch: _Batch, lines: list[dict[str, Any]], kind: str) -> str | None:
        if not lines:
            return None
        content = b"".join(json.dumps(line).encode() + b"\n" for line in lines)
        name = f"{batch.record['id']}_{kind}.jsonl"
        return str(self._files.add_file(content, purpose="batch_output", filename=name)["id"])

    def _finish(self, batch: _Batch, status: str, *, write: bool = True) -> None:
        record = batch.record
        record["status"] = status
        if status == "expired":
            record["expired_at"] = int(time.time())
        if write:
            record["output_file_id"] = self._write(batch, batch.outputs, "output")
            record["error_file_id"] = self._write(batch, batch.errors, "error")
            record["usage"] = _usage(batch.outputs)
        self._webhooks.publish(_EVENTS[status], {"id": record["id"]})
