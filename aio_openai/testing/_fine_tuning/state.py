"""The state of the fake Fine-tuning API: jobs, their events and checkpoints, and who may use
each checkpoint.

::

    validating_files --> queued --> running --> succeeded
           |                          |  ^
           +--> failed   (pause) paused  | (resume)
    (any not ended) --(cancel)--> cancelled

The pace is one rule: each passing status (``validating_files``, ``queued``, ``running``)
lasts ``polls`` retrieves of the job (``configure(polls=...)``, 1 by default: every
``jobs.retrieve`` moves a job one status on); ``polls=0`` settles a job when it is created.
Tests may also move a job by hand: :meth:`FineTuningState.advance` (one status) and
:meth:`FineTuningState.finish` (to its end). Nothing waits on a clock; listing jobs, events
or checkpoints moves nothing. A paused job stays paused until resumed.

Leaving ``validating_files`` reads the training (and validation) file (:mod:`.training`): a
bad one fails the job with its ``error``. Leaving ``running`` trains: a metrics event and a
checkpoint per epoch (the last three epochs' checkpoints are kept, the last one being the
fine-tuned model itself), a results file (purpose ``fine-tune-results``), and the model
``ft:<base>:fake-org:<suffix>:<id>``, served by the fake (``models.list``, chat
completions) as are its checkpoints. Webhook endpoints get ``fine_tuning.job.*`` events.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from aio_openai.testing._checks import APIError, check_polls
from aio_openai.testing._files.state import FilesState
from aio_openai.testing._fine_tuning.training import TrainingFileError, read_examples
from aio_openai.testing._shapes import ListQuery, deleted, new_id, page
from aio_openai.testing._webhooks.state import WebhooksState

__all__ = ["ORGANIZATION", "PASSING", "FineTuningState"]

#: The statuses a job leaves by itself.
PASSING: Final = ("validating_files", "queued", "running")
_ENDED: Final = frozenset({"succeeded", "failed", "cancelled"})
#: The organization of the fake's jobs, and its name in the models' names.
ORGANIZATION: Final = "org-fake"
_ORG_NAME: Final = "fake-org"
_KEPT_CHECKPOINTS: Final = 3
#: The hyperparameters ``"auto"`` (or absent) stands for, once a job's files are validated.
_AUTO: Final[Mapping[str, Any]] = {
    "n_epochs": 3,
    "batch_size": 1,
    "learning_rate_multiplier": 1.8,
    "beta": 0.1,
    "compute_multiplier": 1.0,
    "eval_interval": 1,
    "eval_samples": 1,
    "reasoning_effort": "medium",
}
_WEBHOOK_EVENTS: Final = {
    "succeeded": "fine_tuning.job.succeeded",
    "failed": "fine_tuning.job.failed",
    "cancelled": "fine_tuning.job.cancelled",
}


@attrs.define
class _Job:
    record: dict[str, Any]
    views: int = 1
    examples: int = 0
    tokens: int = 0
    events: list[dict[str, Any]] = attrs.field(factory=list)
    checkpoints: list[dict[str, Any]] = attrs.field(factory=list)


def _method(body: Mapping[str, Any]) -> dict[str, Any]:
    """The job's ``method``: the body's, or supervised with the body's ``hyperparameters``."""
    method = body.get("method")
    if method is None:
        hyper = dict(body.get("hyperparameters") or {})
        return {"type": "supervised", "supervised": {"hyperparameters": hyper}}
    kind = method["type"]
    settings = dict(method.get(kind) or {})
    settings["hyperparameters"] = dict(settings.get("hyperparameters") or {})
    return {"type": kind, kind: settings}


def _hyperparameters(method: Mapping[str, Any]) -> dict[str, Any]:
    return dict(method[method["type"]]["hyperparameters"])


class FineTuningState:
    """The fine-tuning jobs and checkpoint permissions of a fake server
    (``fake.state.fine_tuning``).

    ``files`` holds the training files and receives the results; ``serve_model(model_id)``
    makes a fine-tuned model (or checkpoint) one the fake serves; ``webhooks`` receives the
    events. Every operation takes the state's lock; an unknown job or checkpoint raises
    :class:`APIError` (404).
    """

    def __init__(
        self, files: FilesState, webhooks: WebhooksState, serve_model: Callable[[str], object]
    ) -> None:
        self._lock = threading.Lock()
        self._files = files
        self._webhooks = webhooks
        self._serve_model = serve_model
        self._jobs: dict[str, _Job] = {}
        #: The permissions of each checkpoint (and fine-tuned model) by its name.
        self._permissions: dict[str, list[dict[str, Any]]] = {}
        self.polls = 1

    def configure(self, *, polls: int) -> None:
        """Set how many retrieves each passing status lasts (0: a job settles at once)."""
        checked = check_polls(polls)
        with self._lock:
            self.polls = checked

    def _get(self, job_id: str) -> _Job:
        job = self._jobs.get(job_id)
        if job is None:
            raise APIError(
                404,
                f"No fine-tuning job found with id '{job_id}'.",
                param="fine_tuning_job_id",
                code="fine_tune_not_found",
            )
        return job

    def _check_file(self, file_id: str, param: str) -> None:
        try:
            stored = self._files.get(file_id)
        except APIError:
            raise APIError(
                400, f"Invalid file '{file_id}': no such file.", param=param, code="invalid_file"
            ) from None
        if stored["purpose"] != "fine-tune":
            raise APIError(
                400,
                f"Invalid file '{file_id}': its purpose is '{stored['purpose']}', but a"
                " fine-tuning file must be uploaded with purpose 'fine-tune'.",
                param=param,
                code="invalid_file_purpose",
            )

    # -- jobs ------------------------------------------------------------------------------

    def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """A new job (``validating_files``) from a checked body; 400 for a training or
        validation file that is not there or not a ``fine-tune`` file."""
        self._check_file(body["training_file"], "training_file")
        if body.get("validation_file") is not None:
            self._check_file(body["validation_file"], "validation_file")
        method = _method(body)
        record: dict[str, Any] = {
            "id": new_id("ftjob-"),
            "object": "fine_tuning.job",
            "created_at": int(time.time()),
            "error": None,
            "estimated_finish": None,
            "fine_tuned_model": None,
            "finished_at": None,
            "hyperparameters": _hyperparameters(method),
            "integrations": body.get("integrations"),
            "metadata": body.get("metadata"),
            "method": method,
            "model": body["model"],
            "organization_id": ORGANIZATION,
            "result_files": [],
            "seed": body.get("seed") if body.get("seed") is not None else 42,
            "status": "validating_files",
            "trained_tokens": None,
            "training_file": body["training_file"],
            "validation_file": body.get("validation_file"),
            "suffix": body.get("suffix"),
        }
        job = _Job(record)
        with self._lock:
            self._jobs[record["id"]] = job
            self._event(job, f"Validating training file: {record['training_file']}")
            if self.polls == 0:
                self._settle(job)
            return self._shown(job)

    def retrieve(self, job_id: str) -> dict[str, Any]:
        """A job, one retrieve further in its pace."""
        with self._lock:
            job = self._get(job_id)
            if job.record["status"] in PASSING:
                if self.polls == 0:
                    self._settle(job)
                elif job.views >= self.polls:
                    self._advance(job)
                    job.views = 1
                else:
                    job.views += 1
            return self._shown(job)

    def advance(self, job_id: str) -> dict[str, Any]:
        """Move a job one status on now (a job that ended or is paused stays as it is)."""
        with self._lock:
            job = self._get(job_id)
            if job.record["status"] in PASSING:
                self._advance(job)
                job.views = 1
            return self._shown(job)

    def finish(self, job_id: str) -> dict[str, Any]:
        """Run a job to its end now (``succeeded``, or ``failed`` for a bad file); a paused
        job is resumed first."""
        with self._lock:
            job = self._get(job_id)
            if job.record["status"] == "paused":
                self._resume(job)
            self._settle(job)
            return self._shown(job)

    def list_jobs(self, query: ListQuery, metadata: Mapping[str, str]) -> dict[str, Any]:
        """One page of the jobs (newest first), those whose metadata has ``metadata``."""
        with self._lock:
            records = [
                self._shown(job)
                for job in self._jobs.values()
                if all((job.record["metadata"] or {}).get(k) == v for k, v in metadata.items())
            ]
        return page(records, query)

    def cancel(self, job_id: str) -> dict[str, Any]:
        """Cancel a job that has not ended; 400 for one that has."""
        with self._lock:
            job = self._get(job_id)
            self._refuse_ended(job, "cancel")
            self._event(job, "Fine-tuning job cancelled")
            self._end(job, "cancelled")
            return self._shown(job)

    def pause(self, job_id: str) -> dict[str, Any]:
        """Pause a running job; 400 for one that is not running."""
        with self._lock:
            job = self._get(job_id)
            self._require(job, "running", "pause")
            job.record["status"] = "paused"
            self._event(job, "Fine-tuning job paused")
            return self._shown(job)

    def resume(self, job_id: str) -> dict[str, Any]:
        """Resume a paused job (``running``); 400 for one that is not paused."""
        with self._lock:
            job = self._get(job_id)
            self._require(job, "paused", "resume")
            self._resume(job)
            return self._shown(job)

    def list_events(self, job_id: str, query: ListQuery) -> dict[str, Any]:
        """One page of a job's events, newest first."""
        with self._lock:
            events = list(self._get(job_id).events)
        return page(events, query)

    def list_checkpoints(self, job_id: str, query: ListQuery) -> dict[str, Any]:
        """One page of a job's checkpoints, newest first."""
        with self._lock:
            checkpoints = list(self._get(job_id).checkpoints)
        return page(checkpoints, query)

    # -- checkpoint permissions ------------------------------------------------------------

    def _granted(self, checkpoint: str) -> list[dict[str, Any]]:
        granted = self._permissions.get(checkpoint)
        if granted is None:
            raise APIError(
                404,
                f"No fine-tuned model checkpoint found with id '{checkpoint}'.",
                param="fine_tuned_model_checkpoint",
                code="model_not_found",
            )
        return granted

    def create_permissions(self, checkpoint: str, project_ids: list[str]) -> dict[str, Any]:
        """Share a checkpoint with projects: a permission for each (a project that has one
        keeps it); the page of those permissions."""
        with self._lock:
            granted = self._granted(checkpoint)
            made = []
            for project_id in dict.fromkeys(project_ids):
                found = [p for p in granted if p["project_id"] == project_id]
                if not found:
                    found = [
                        {
                            "id": new_id("cp_"),
                            "object": "checkpoint.permission",
                            "created_at": int(time.time()),
                            "project_id": project_id,
                        }
                    ]
                    granted.append(found[0])
                made.append(dict(found[0]))
        return page(made, ListQuery(limit=len(made) or 1, order="asc"))

    def list_permissions(
        self, checkpoint: str, query: ListQuery, project_id: str | None
    ) -> dict[str, Any]:
        """One page of a checkpoint's permissions (those of ``project_id`` only, if given)."""
        with self._lock:
            granted = [
                dict(p)
                for p in self._granted(checkpoint)
                if project_id is None or p["project_id"] == project_id
            ]
        return page(granted, query)

    def delete_permission(self, checkpoint: str, permission_id: str) -> dict[str, Any]:
        """Withdraw a permission; 404 for an unknown checkpoint or permission."""
        with self._lock:
            granted = self._granted(checkpoint)
            for i, permission in enumerate(granted):
                if permission["id"] == permission_id:
                    del granted[i]
                    return deleted(permission_id, "checkpoint.permission")
        raise APIError(
            404,
            f"No permission found with id '{permission_id}'.",
            param="permission_id",
            code="not_found",
        )

    # -- transitions -----------------------------------------------------------------------

    def _shown(self, job: _Job) -> dict[str, Any]:
        return {k: v for k, v in job.record.items() if k != "suffix"}

    def _event(
        self,
        job: _Job,
        message: str,
        *,
        level: str = "info",
        kind: str = "message",
        data: Mapping[str, Any] | None = None,
    ) -> None:
        job.events.append(
            {
                "id": new_id("ftevent-"),
                "object": "fine_tuning.job.event",
                "created_at": int(time.time()),
                "level": level,
                "message": message,
                "data": dict(data or {}),
                "type": kind,
            }
        )

    def _refuse_ended(self, job: _Job, action: str) -> None:
        status = job.record["status"]
        if status in _ENDED:
            raise APIError(
                400,
                f"Cannot {action} a fine-tuning job whose status is '{status}'.",
                param="fine_tuning_job_id",
            )

    def _require(self, job: _Job, status: str, action: str) -> None:
        if job.record["status"] != status:
            raise APIError(
                400,
                f"Cannot {action} a fine-tuning job whose status is '{job.record['status']}'"
                f" (only a {status} job).",
                param="fine_tuning_job_id",
            )

    def _resume(self, job: _Job) -> None:
        job.record["status"] = "running"
        job.views = 1
        self._event(job, "Fine-tuning job resumed")

    def _settle(self, job: _Job) -> None:
        while job.record["status"] in PASSING:
            self._advance(job)

    def _advance(self, job: _Job) -> None:
        status = job.record["status"]
        if status == "validating_files":
            self._validate(job)
        elif status == "queued":
            job.record["status"] = "running"
            self._event(job, "Fine-tuning job started")
        elif status == "running":
            self._train(job)

    def _validate(self, job: _Job) -> None:
        record = job.record
        method = record["method"]["type"]
        try:
            for param in ("training_file", "validation_file"):
                if record[param] is not None:
                    examples = read_examples(self._files.content(record[param]), method, param)
                    if param == "training_file":
                        job.examples, job.tokens = examples.count, examples.tokens
        except TrainingFileError as error:
            record["error"] = error.error
            self._event(job, error.error["message"], level="error")
            self._end(job, "failed")
            return
        settings = record["method"][method]["hyperparameters"]
        for key, value in list(settings.items()):
            if value == "auto":
                settings[key] = _AUTO[key]
        for key in ("n_epochs", "batch_size", "learning_rate_multiplier"):
            settings.setdefault(key, _AUTO[key])
        record["hyperparameters"] = dict(settings)
        record["status"] = "queued"
        self._event(job, "Files validated, moving job to queued state")

    def _train(self, job: _Job) -> None:
        record = job.record
        hyper = record["hyperparameters"]
        epochs, batch = int(hyper["n_epochs"]), int(hyper["batch_size"])
        per_epoch = math.ceil(job.examples / batch)
        total = per_epoch * epochs
        suffix = record["suffix"] or ""
        model = f"ft:{record['model']}:{_ORG_NAME}:{suffix}:{record['id'][-8:]}"
        rows = ["step,train_loss,train_accuracy"]
        for epoch in range(1, epochs + 1):
            step = epoch * per_epoch
            loss, accuracy = round(2.0 / (epoch + 1), 4), round(1 - 0.5 / (epoch + 1), 4)
            rows.append(f"{step},{loss},{accuracy}")
            metrics: dict[str, Any] = {
                "step": step,
                "train_loss": loss,
                "train_mean_token_accuracy": accuracy,
            }
            if record["validation_file"] is not None:
                metrics.update(valid_loss=loss * 1.1, valid_mean_token_accuracy=accuracy * 0.95)
            data = {**metrics, "total_steps": total}
            self._event(
                job, f"Step {step}/{total}: training loss={loss}", kind="metrics", data=data
            )
            if epoch > epochs - _KEPT_CHECKPOINTS:
                name = model if epoch == epochs else f"{model}:ckpt-step-{step}"
                self._checkpoint(job, name, step, metrics)
        results = self._files.add_file(
            "\n".join(rows).encode() + b"\n",
            purpose="fine-tune-results",
            filename=f"{record['id']}_results.csv",
        )
        record.update(
            fine_tuned_model=model,
            result_files=[results["id"]],
            trained_tokens=job.tokens * epochs,
        )
        self._event(job, f"New fine-tuned model created: {model}")
        self._event(job, "The job has successfully completed")
        self._end(job, "succeeded")

    def _checkpoint(self, job: _Job, name: str, step: int, metrics: Mapping[str, Any]) -> None:
        job.checkpoints.append(
            {
                "id": new_id("ftckpt_"),
                "object": "fine_tuning.job.checkpoint",
                "created_at": int(time.time()),
                "fine_tuned_model_checkpoint": name,
                "fine_tuning_job_id": job.record["id"],
                "metrics": dict(metrics),
                "step_number": step,
            }
        )
        self._permissions.setdefault(name, [])
        self._serve_model(name)
        self._event(job, f"Checkpoint created at step {step}")

    def _end(self, job: _Job, status: str) -> None:
        job.record.update(status=status, finished_at=int(time.time()))
        self._webhooks.publish(_WEBHOOK_EVENTS[status], {"id": job.record["id"]})
