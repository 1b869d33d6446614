"""The state of the fake Assistants API: its tables and the operations the routes call.

Every operation takes the state's lock and raises :class:`.._checks.APIError` for an unknown
id (404) or a request the state refuses (400); records it returns are rendered by the routes
(:mod:`.render`). Runs move on when they are looked at (see :mod:`.runs`): a lookup of a
thread brings its runs up to the clock, a retrieve of a run counts a poll.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs

from aio_openai.testing._assistants.checks import tool_outputs
from aio_openai.testing._assistants.records import (
    new_assistant,
    new_message,
    new_run,
    new_thread,
)
from aio_openai.testing._assistants.runs import ACTIVE, Run, RunPacing, SettledRun
from aio_openai.testing._checks import APIError
from aio_openai.testing._shapes import list_query, page

__all__ = ["AssistantsState"]

_VERSIONS: Final = ("v1", "v2")


class AssistantsState:
    """The assistants, threads, messages, runs and run steps of a fake server.

    Reached as ``fake.state.assistants``. ``configure()`` sets the pace of runs, ``replies``
    maps a last user message to the assistant's reply (the default echoes it), ``chunk_size``
    is the characters of a streamed message delta, and ``clock`` (``time.monotonic``) is what
    time pacing reads. Safe to use from any thread.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.RLock()
        self.clock = clock
        self.pacing = RunPacing()
        self.replies: dict[str, str] = {}
        self.chunk_size = 4  # characters of a streamed message delta
        self.versions: frozenset[str] = frozenset(_VERSIONS)
        self.assistants: dict[str, dict[str, Any]] = {}
        self.threads: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, dict[str, dict[str, Any]]] = {}
        self.runs: dict[str, dict[str, Run]] = {}
        self.steps: dict[str, dict[str, dict[str, Any]]] = {}

    def configure(
        self,
        *,
        versions: Iterable[str] | None = None,
        **pacing: Any,
    ) -> RunPacing:
        """Change the pace of runs (see :class:`RunPacing`) and the versions served.

        ``polls=1``: each status is shown once; ``polls=0``: runs settle at once; ``polls=None``
        with ``seconds``: by time. ``versions`` (default both) are the ``assistants=vN`` header
        values accepted. Returns the new pacing.
        """
        unknown = set(pacing) - {"polls", "seconds", "poll_after_ms"}
        if unknown:
            raise TypeError(f"unknown pacing options: {sorted(unknown)}")
        with self._lock:
            self.pacing = attrs.evolve(self.pacing, **pacing)
            if versions is not None:
                self.versions = frozenset(versions)
            return self.pacing

    def clear(self) -> None:
        """Forget every assistant, thread, message, run and step."""
        with self._lock:
            for table in (self.assistants, self.threads, self.messages, self.runs, self.steps):
                table.clear()

    # -- lookups (under the lock) ----------------------------------------------------------

    def _assistant(self, assistant_id: str) -> dict[str, Any]:
        found = self.assistants.get(assistant_id)
        if found is None:
            raise APIError(404, f"No assistant found with id '{assistant_id}'.")
        return found

    def _thread(self, thread_id: str) -> dict[str, Any]:
        found = self.threads.get(thread_id)
        if found is None:
            raise APIError(404, f"No thread found with id '{thread_id}'.")
        self._refresh(thread_id)
        return found

    def _message(self, thread_id: str, message_id: str) -> dict[str, Any]:
        self._thread(thread_id)
        found = self.messages[thread_id].get(message_id)
        if found is None:
            raise APIError(404, f"No message found with id '{message_id}'.")
        return found

    def _run(self, thread_id: str, run_id: str) -> Run:
        self._thread(thread_id)
        found = self.runs[thread_id].get(run_id)
        if found is None:
            raise APIError(404, f"No run found with id '{run_id}'.")
        return found

    def _active_run(self, thread_id: str) -> dict[str, Any] | None:
        for run in self.runs[thread_id].values():
            if run.record["status"] in ACTIVE:
                return run.record
        return None

    # -- assistants ------------------------------------------------------------------------

    def create_assistant(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Store a new assistant from a checked create body."""
        record = new_assistant(body)
        with self._lock:
            self.assistants[record["id"]] = record
        return record

    def assistant(self, assistant_id: str) -> dict[str, Any]:
        """An assistant; 404 if there is none."""
        with self._lock:
            return self._assistant(assistant_id)

    def list_assistants(self) -> list[dict[str, Any]]:
        """Every assistant, oldest first."""
        with self._lock:
            return list(self.assistants.values())

    def update_assistant(self, assistant_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Change the given fields of an assistant."""
        with self._lock:
            record = self._assistant(assistant_id)
            for key, value in body.items():
                if key == "tools":
                    value = list(value or [])
                elif key == "metadata":
                    value = value or {}
                record[key] = value
            return record

    def delete_assistant(self, assistant_id: str) -> None:
        """Forget an assistant."""
        with self._lock:
            self._assistant(assistant_id)
            del self.assistants[assistant_id]

    # -- threads and messages --------------------------------------------------------------

    def create_thread(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Store a new thread, with its first messages, from a checked body."""
        record = new_thread(body)
        with self._lock:
            thread_id = record["id"]
            self.threads[thread_id] = record
            self.messages[thread_id] = {}
            self.runs[thread_id] = {}
            for message in body.get("messages") or ():
                self._add_message(thread_id, message)
        return record

    def thread(self, thread_id: str) -> dict[str, Any]:
        """A thread (its runs brought up to the clock); 404 if there is none."""
        with self._lock:
            return self._thread(thread_id)

    def update_thread(self, thread_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Change a thread's ``metadata`` and ``tool_resources`` from a checked body."""
        with self._lock:
            record = self._thread(thread_id)
            if "metadata" in body:
                record["metadata"] = body["metadata"] or {}
            if "tool_resources" in body:
                record["tool_resources"] = body["tool_resources"]
            return record

    def delete_thread(self, thread_id: str) -> None:
        """Remove a thread with its messages, runs and steps."""
        with self._lock:
            self._thread(thread_id)
            del self.threads[thread_id]
            del self.messages[thread_id]
            for run_id in self.runs.pop(thread_id):
                self.steps.pop(run_id, None)

    def _add_message(self, thread_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        record = new_message(thread_id, body)
        self.messages[thread_id][record["id"]] = record
        return record

    def create_message(self, thread_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Add a message to a thread; 400 while a run of the thread is active."""
        with self._lock:
            self._thread(thread_id)
            active = self._active_run(thread_id)
            if active is not None:
                raise APIError(
                    400,
                    f"Can't add messages to {thread_id} while a run {active['id']} is active.",
                )
            return self._add_message(thread_id, body)

    def message(self, thread_id: str, message_id: str) -> dict[str, Any]:
        """A message of a thread; 404 if there is no such thread or message."""
        with self._lock:
            return self._message(thread_id, message_id)

    def list_messages(self, thread_id: str, run_id: str | None = None) -> list[dict[str, Any]]:
        """A thread's messages, oldest first (``run_id``: only those that run wrote)."""
        with self._lock:
            self._thread(thread_id)
            return [
                m
                for m in self.messages[thread_id].values()
                if run_id is None or m["run_id"] == run_id
            ]

    def update_message(
        self, thread_id: str, message_id: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Change a message's ``metadata`` from a checked body."""
        with self._lock:
            record = self._message(thread_id, message_id)
            if "metadata" in body:
                record["metadata"] = body["metadata"] or {}
            return record

    def delete_message(self, thread_id: str, message_id: str) -> None:
        """Remove a message from its thread."""
        with self._lock:
            self._message(thread_id, message_id)
            del self.messages[thread_id][message_id]

    # -- runs ------------------------------------------------------------------------------

    def create_run(self, thread_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Start a run on a thread from a checked body; 400 while another run is active."""
        with self._lock:
            self._thread(thread_id)
            assistant = self._assistant(body["assistant_id"])
            active = self._active_run(thread_id)
            if active is not None:
                raise APIError(400, f"Thread {thread_id} already has an active run {active['id']}.")
            for message in body.get("additional_messages") or ():
                self._add_message(thread_id, message)
            return self._start_run(thread_id, assistant, body)

    def create_thread_and_run(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Create a thread from ``body["thread"]`` and start a run on it."""
        with self._lock:
            assistant = self._assistant(body["assistant_id"])
            thread_body = dict(body.get("thread") or {})
            if body.get("tool_resources") is not None:
                thread_body.setdefault("tool_resources", body["tool_resources"])
            thread = self.create_thread(thread_body)
            return self._start_run(thread["id"], assistant, body)

    def _start_run(
        self, thread_id: str, assistant: Mapping[str, Any], body: Mapping[str, Any]
    ) -> dict[str, Any]:
        record = new_run(thread_id, assistant, body)
        steps: dict[str, dict[str, Any]] = {}
        run = Run(record, self.messages[thread_id], steps, since=self.clock())
        self.runs[thread_id][record["id"]] = run
        self.steps[record["id"]] = steps
        self._settle_if_instant(run)
        return record

    def retrieve_run(self, thread_id: str, run_id: str) -> dict[str, Any]:
        """A run, as one more poll of it sees it (the pace counts retrieves)."""
        with self._lock:
            run = self._run(thread_id, run_id)
            polls = self.pacing.polls
            if polls is not None:
                run.count_poll(polls, self.replies)
            return run.record

    def get_run(self, thread_id: str, run_id: str) -> dict[str, Any]:
        """A run, without counting a poll."""
        with self._lock:
            return self._run(thread_id, run_id).record

    def list_runs(self, thread_id: str) -> list[dict[str, Any]]:
        """A thread's runs, oldest first."""
        with self._lock:
            self._thread(thread_id)
            return [run.record for run in self.runs[thread_id].values()]

    def update_run(self, thread_id: str, run_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Change a run's ``metadata`` from a checked body."""
        with self._lock:
            record = self._run(thread_id, run_id).record
            if "metadata" in body:
                record["metadata"] = body["metadata"] or {}
            return record

    def cancel_run(self, thread_id: str, run_id: str) -> dict[str, Any]:
        """Ask a run to stop: ``cancelling``, later ``cancelled``; 400 once it finished."""
        with self._lock:
            run = self._run(thread_id, run_id)
            run.cancel(self.clock())
            self._settle_if_instant(run)
            return run.record

    def submit_tool_outputs(
        self, thread_id: str, run_id: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Give a ``requires_action`` run its tool outputs; it is ``queued`` again."""
        with self._lock:
            run = self._run(thread_id, run_id)
            run.expected_outputs()
            run.submit_tool_outputs(tool_outputs(body["tool_outputs"]), self.clock())
            self._settle_if_instant(run)
            return run.record

    def settle_run(
        self, thread_id: str, run_id: str, *, with_thread: bool = False, resumed: bool = False
    ) -> SettledRun:
        """Carry a run through at once, for a stream of its events.

        ``with_thread``: the events show its thread's creation; ``resumed``: it goes on
        after its tool outputs, the events start after its tool step.
        """
        with self._lock:
            run = self.runs[thread_id][run_id]
            run.settle(self.replies)
            steps = list(run.steps.values())
            written = (
                s["step_details"]["message_creation"]["message_id"]
                for s in steps
                if s["type"] == "message_creation"
            )
            return SettledRun(
                run=run.record,
                steps=steps,
                messages={m: run.messages[m] for m in written},
                thread=self.threads[thread_id] if with_thread else None,
                after_step=run.tool_step if resumed else None,
            )

    def list_steps(self, thread_id: str, run_id: str) -> list[dict[str, Any]]:
        """A run's steps, oldest first."""
        with self._lock:
            self._run(thread_id, run_id)
            return list(self.steps[run_id].values())

    def step(self, thread_id: str, run_id: str, step_id: str) -> dict[str, Any]:
        """A step of a run; 404 if there is no such thread, run or step."""
        with self._lock:
            self._run(thread_id, run_id)
            found = self.steps[run_id].get(step_id)
            if found is None:
                raise APIError(404, f"No run step found with id '{step_id}'.")
            return found

    # -- pacing ----------------------------------------------------------------------------

    def _refresh(self, thread_id: str) -> None:
        """With time pacing, bring the thread's runs up to now."""
        seconds = self.pacing.seconds
        if self.pacing.polls is not None:
            return
        now = self.clock()
        for run in self.runs.get(thread_id, {}).values():
            run.catch_up(now, seconds, self.replies)

    def _settle_if_instant(self, run: Run) -> None:
        if self.pacing.polls == 0:
            run.settle(self.replies)

    # -- lists -----------------------------------------------------------------------------

    def page(
        self,
        items: list[dict[str, Any]],
        query: Mapping[str, str],
        render: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> dict[str, Any]:
        """One page of ``items`` (oldest first) as the query asks: limit, order, after, before."""
        return page(items, list_query(query), render)
