"""The state of the fake evals: evals, their runs and each run's output items."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from itertools import count
from typing import Any, Final

import attrs

from aio_openai.testing._chat.state import ChatState
from aio_openai.testing._checks import APIError
from aio_openai.testing._evals.graders import TemplateError, grade
from aio_openai.testing._evals.sources import Row, rows, sample_row
from aio_openai.testing._files.state import FilesState
from aio_openai.testing._shapes import ListQuery, new_id, page

__all__ = ["EvalsState"]

_REPORT_URL: Final = "https://platform.openai.com/evaluations/{eval_id}?run_id={run_id}"
_FINISHED: Final = ("completed", "failed", "canceled")
#: The ``sample`` a custom data source's schema adds when it asks for one.
_SAMPLE_SCHEMA: Final = {
    "type": "object",
    "properties": {
        "model": {"type": "string"},
        "choices": {"type": "array"},
        "output_text": {"type": "string"},
        "output_json": {"type": "object"},
    },
    "required": ["model", "choices"],
}


def _schema(item: Mapping[str, Any], with_sample: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {"item": dict(item)}
    if with_sample:
        properties["sample"] = _SAMPLE_SCHEMA
    return {"type": "object", "properties": properties, "required": list(properties)}


def _config(config: Mapping[str, Any]) -> dict[str, Any]:
    """The data source config an eval shows for the one it was created with."""
    if config["type"] == "custom":
        schema = _schema(config["item_schema"], bool(config.get("include_sample_schema")))
        return {"type": "custom", "schema": schema}
    messages = {"type": "array", "items": {"type": "object"}}
    item = {"type": "object", "properties": {"input": messages, "output": {"type": "object"}}}
    shown = {"type": config["type"], "schema": _schema(item, True)}
    return {**shown, "metadata": config.get("metadata")}


@attrs.define
class _Run:
    record: dict[str, Any]
    #: What the run shows once it completes, and its output items, made at its creation.
    outcome: dict[str, Any]
    items: list[dict[str, Any]]
    looks_left: int


@attrs.define
class _Eval:
    record: dict[str, Any]
    updated: int
    runs: dict[str, _Run] = attrs.field(factory=dict)


def _outcome(results: list[list[dict[str, Any]]], criteria: list[dict[str, Any]]) -> dict[str, Any]:
    errored = sum(any("error" in (r["sample"] or {}) for r in item) for item in results)
    passed = sum(all(r["passed"] for r in item) for item in results)
    per = [
        {
            "testing_criteria": criterion["name"],
            "passed": sum(item[i]["passed"] for item in results),
            "failed": sum(not item[i]["passed"] for item in results),
        }
        for i, criterion in enumerate(criteria)
    ]
    counts = {
        "total": len(results),
        "errored": errored,
        "failed": len(results) - passed - errored,
        "passed": passed,
    }
    return {"result_counts": counts, "per_testing_criteria_results": per}


class EvalsState:
    """The evals of a fake server (``fake.state.evals``).

    A run grades every item of its data source when it is created (see :mod:`.sources` and
    :mod:`.graders`): ``looks`` (0 by default, :meth:`configure`) is how many retrieves it
    takes to complete. With 0 it is created ``completed``; with n it is created ``queued``,
    each retrieve moves it on (``in_progress``) and the n-th shows it ``completed``, its
    result counts and output items appearing then. A run that is not finished can be
    canceled (``canceled``, no output items); a finished one cannot (400). Every operation
    takes the state's lock; unknown ids raise :class:`APIError` (404).
    """

    def __init__(self, files: FilesState, chat: ChatState) -> None:
        self._lock = threading.Lock()
        self._files = files
        self._chat = chat
        self._evals: dict[str, _Eval] = {}
        self._clock = count()
        self.looks = 0

    def configure(self, *, looks: int) -> None:
        """How many retrieves a run takes to complete (0: it is created completed)."""
        if not isinstance(looks, int) or looks < 0:
            raise ValueError(f"looks must be an int >= 0, got {looks!r}")
        with self._lock:
            self.looks = looks

    # -- evals -------------------------------------------------------------------------------

    def _get(self, eval_id: str) -> _Eval:
        found = self._evals.get(eval_id)
        if found is None:
            raise APIError(404, f"Eval with id '{eval_id}' not found.", param="eval_id")
        return found

    def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """A new eval from a checked body."""
        record: dict[str, Any] = {
            "object": "eval",
            "id": new_id("eval_"),
            "name": body.get("name") or "Untitled eval",
            "data_source_config": _config(body["data_source_config"]),
            "testing_criteria": [dict(c) for c in body["testing_criteria"]],
            "created_at": int(time.time()),
            "metadata": dict(body.get("metadata") or {}),
        }
        with self._lock:
            self._evals[record["id"]] = _Eval(record, next(self._clock))
            return dict(record)

    def retrieve(self, eval_id: str) -> dict[str, Any]:
        """An eval."""
        with self._lock:
            return dict(self._get(eval_id).record)

    def update(self, eval_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Change an eval's ``name`` and ``metadata`` (as given) and return it."""
        with self._lock:
            found = self._get(eval_id)
            if body.get("name") is not None:
                found.record["name"] = body["name"]
            if "metadata" in body:
                found.record["metadata"] = dict(body["metadata"] or {})
            found.updated = next(self._clock)
            return dict(found.record)

    def list_evals(self, query: ListQuery, order_by: str = "created_at") -> dict[str, Any]:
        """One page of the evals, by creation or by last update."""
        with self._lock:
            evals = list(self._evals.values())
            if order_by == "updated_at":
                evals.sort(key=lambda e: e.updated)
            return page([dict(e.record) for e in evals], query)

    def delete(self, eval_id: str) -> None:
        """Remove an eval and its runs."""
        with self._lock:
            self._get(eval_id)
            del self._evals[eval_id]

    # -- runs --------------------------------------------------------------------------------

    def _run(self, eval_id: str, run_id: str) -> _Run:
        found = self._get(eval_id).runs.get(run_id)
        if found is None:
            raise APIError(404, f"Eval run with id '{run_id}' not found.", param="run_id")
        return found

    def _grade(
        self, eval_id: str, run_id: str, data_source: Mapping[str, Any], criteria: list[Any]
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        source_rows: list[Row] = rows(data_source, self._files.content, self._stored)
        items, results, usage = [], [], {"invocation_count": 0}
        for index, row in enumerate(source_rows):
            try:
                sampled = sample_row(data_source, row, self._chat.complete)
            except TemplateError as error:
                raise APIError(400, str(error), param="data_source.input_messages") from None
            context = {"item": row.item, "sample": sampled.context}
            graded = [grade(criterion, context) for criterion in criteria]
            results.append(graded)
            if sampled.usage is not None:
                usage["invocation_count"] += 1
                for key, value in sampled.usage.items():
                    usage[key] = usage.get(key, 0) + value
            items.append(
                {
                    "object": "eval.run.output_item",
                    "id": new_id("outputitem_"),
                    "run_id": run_id,
                    "eval_id": eval_id,
                    "created_at": int(time.time()),
                    "status": "pass" if all(r["passed"] for r in graded) else "fail",
                    "datasource_item_id": index,
                    "datasource_item": row.item,
                    "results": graded,
                    "sample": sampled.shown,
                }
            )
        outcome = _outcome(results, criteria)
        per_model = []
        if usage["invocation_count"]:
            per_model = [{"model_name": data_source["model"], **usage}]
        return {**outcome, "status": "completed", "per_model_usage": per_model}, items

    def _stored(
        self, model: str | None, metadata: dict[str, str]
    ) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
        found = self._chat.completions(model, metadata)
        return [(record, self._chat.messages(record["id"])) for record in found]

    def create_run(self, eval_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """A new run of an eval over a checked body's data source, graded now (see the
        class's doc for when it shows as completed)."""
        found = self.retrieve(eval_id)
        run_id = new_id("evalrun_")
        data_source = body["data_source"]
        outcome, items = self._grade(eval_id, run_id, data_source, found["testing_criteria"])
        model = data_source.get("model") or ""
        record: dict[str, Any] = {
            "object": "eval.run",
            "id": run_id,
            "eval_id": eval_id,
            "report_url": _REPORT_URL.format(eval_id=eval_id, run_id=run_id),
            "status": "queued",
            "model": model,
            "name": body.get("name") or model or f"{data_source['type']}-run",
            "created_at": int(time.time()),
            "result_counts": {"total": 0, "errored": 0, "failed": 0, "passed": 0},
            "per_model_usage": None,
            "per_testing_criteria_results": None,
            "data_source": dict(data_source),
            "metadata": dict(body.get("metadata") or {}),
            "error": None,
        }
        with self._lock:
            run = _Run(record, outcome, items, self.looks)
            if run.looks_left == 0:
                record.update(outcome)
            self._get(eval_id).runs[run_id] = run
            return dict(record)

    def retrieve_run(self, eval_id: str, run_id: str) -> dict[str, Any]:
        """A run, one look further on."""
        with self._lock:
            run = self._run(eval_id, run_id)
            if run.record["status"] not in _FINISHED:
                run.looks_left -= 1
                if run.looks_left <= 0:
                    run.record.update(run.outcome)
                else:
                    run.record["status"] = "in_progress"
            return dict(run.record)

    def list_runs(self, eval_id: str, query: ListQuery, status: str | None) -> dict[str, Any]:
        """One page of an eval's runs, of ``status`` only if given."""
        with self._lock:
            runs = self._get(eval_id).runs.values()
            records = [dict(r.record) for r in runs if status in (None, r.record["status"])]
        return page(records, query)

    def cancel_run(self, eval_id: str, run_id: str) -> dict[str, Any]:
        """Cancel a run that has not finished; 400 for one that has."""
        with self._lock:
            run = self._run(eval_id, run_id)
            status = run.record["status"]
            if status in _FINISHED:
                raise APIError(400, f"Cannot cancel a run with status '{status}'.", param="run_id")
            run.record["status"] = "canceled"
            run.items = []
            return dict(run.record)

    def delete_run(self, eval_id: str, run_id: str) -> None:
        """Remove a run and its output items."""
        with self._lock:
            self._run(eval_id, run_id)
            del self._evals[eval_id].runs[run_id]

    # -- output items ----------------------------------------------------------------------

    def _items(self, eval_id: str, run_id: str) -> list[dict[str, Any]]:
        run = self._run(eval_id, run_id)
        return run.items if run.record["status"] == "completed" else []

    def output_item(self, eval_id: str, run_id: str, item_id: str) -> dict[str, Any]:
        """An output item of a completed run."""
        with self._lock:
            for item in self._items(eval_id, run_id):
                if item["id"] == item_id:
                    return dict(item)
        raise APIError(404, f"Output item with id '{item_id}' not found.", param="output_item_id")

    def list_output_items(
        self, eval_id: str, run_id: str, query: ListQuery, status: str | None
    ) -> dict[str, Any]:
        """One page of a run's output items (none before it completes), of ``status``
        (``pass`` or ``fail``) only if given."""
        with self._lock:
            items = self._items(eval_id, run_id)
            records = [dict(i) for i in items if status in (None, i["status"])]
        return page(records, query)
