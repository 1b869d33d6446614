"""The run state machine of the fake Assistants API, and how fast runs move on.

::

    queued --> in_progress --> completed
                    |
                    +--> requires_action --(submit_tool_outputs)--> queued
                         (function tools whose outputs are not in yet)

    queued | in_progress | requires_action --(cancel)--> cancelling --> cancelled

The passing statuses (``queued``, ``in_progress``, ``cancelling``) move on by themselves
(:meth:`Run.advance`), at the pace of :class:`RunPacing`: after ``polls`` retrieves of the run
(:meth:`Run.count_poll`), or after ``seconds`` (:meth:`Run.catch_up`); ``polls=0`` settles a run
at once (:meth:`Run.settle`). ``requires_action`` waits for :meth:`Run.submit_tool_outputs`.
Entering ``completed`` writes the assistant's reply (scripted, else an echo of the last user
message) into the thread, with a ``message_creation`` step and the usage; entering
``requires_action`` makes one call per function tool (the first only without
``parallel_tool_calls``), its arguments made from the function's JSON schema and the last user
message (see :mod:`..._arguments`), in a ``tool_calls`` step. A run with the ``file_search``
tool (v1: ``retrieval``) whose last user message carries files (v2 ``attachments`` for file
search, v1 ``file_ids``) searches them first (a completed ``tool_calls`` step with one
``file_search`` call), and its reply cites the first file: it ends with ``【0:0†source】``,
which a ``file_citation`` annotation of its text points at.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs

from aio_openai.testing._arguments import fill
from aio_openai.testing._assistants.records import (
    message_text,
    new_id,
    new_message,
    new_step,
    run_usage,
)
from aio_openai.testing._checks import APIError
from aio_openai.testing._fake_model import DEFAULT_REPLY

__all__ = ["ACTIVE", "CITATION_MARK", "PASSING", "Run", "RunPacing", "SettledRun"]

#: The statuses a run leaves by itself, as its pace says.
PASSING: Final = frozenset({"queued", "in_progress", "cancelling"})
#: The statuses of a run that is not finished (a thread has at most one such run).
ACTIVE: Final = PASSING | {"requires_action"}
_CANCELLABLE: Final = frozenset({"queued", "in_progress", "requires_action"})
#: Time pacing's tolerance for a clock that reads a hair early.
_EPSILON: Final = 1e-9
#: The tools that search files (v2, v1).
_SEARCH_TOOLS: Final = frozenset({"file_search", "retrieval"})
#: The passage a reply cites a file with, as OpenAI writes it.
CITATION_MARK: Final = "【0:0†source】"


@attrs.frozen(kw_only=True)
class RunPacing:
    """How fast fake runs move on.

    - ``polls``: retrieves of a run that show each of its passing statuses (``queued``,
      ``in_progress``, ``cancelling``) before it moves on; 0 settles a run at once; None paces
      by time instead.
    - ``seconds``: how long each passing status lasts when ``polls`` is None.
    - ``poll_after_ms``: the ``openai-poll-after-ms`` header of run answers.
    """

    polls: int | None = None
    seconds: float = 0.4
    poll_after_ms: int = 100

    def __attrs_post_init__(self) -> None:
        if self.polls is not None and self.polls < 0:
            raise ValueError(f"polls must be >= 0 or None, got {self.polls}")
        if not self.seconds >= 0:
            raise ValueError(f"seconds must be >= 0, got {self.seconds}")
        if self.poll_after_ms < 0:
            raise ValueError(f"poll_after_ms must be >= 0, got {self.poll_after_ms}")


@attrs.define
class Run:
    """A run: its record, the tables it writes to, and where it stands in its pacing.

    ``messages`` are its thread's (it reads the prompt there and adds its reply), ``steps``
    its own; ``since`` is when its status began (by the state's clock) and ``views`` how
    many retrieves have shown it.
    """

    record: dict[str, Any]
    messages: dict[str, dict[str, Any]]
    steps: dict[str, dict[str, Any]]
    since: float
    views: int = 1
    outputs_submitted: bool = False
    tool_step: dict[str, Any] | None = None

    # -- pacing ----------------------------------------------------------------------------

    def count_poll(self, polls: int, replies: Mapping[str, str]) -> None:
        """One more retrieve: a passing status shown ``polls`` times moves on."""
        if self.record["status"] in PASSING:
            if self.views >= polls:
                self.advance(replies)
                self.views = 1
            else:
                self.views += 1

    def catch_up(self, now: float, seconds: float, replies: Mapping[str, str]) -> None:
        """With time pacing, move on by every ``seconds`` passed since the status began."""
        while self.record["status"] in PASSING and now - self.since >= seconds - _EPSILON:
            self.since += seconds
            self.advance(replies)

    def settle(self, replies: Mapping[str, str]) -> None:
        """Move on until the run stops: finished, or waiting for tool outputs."""
        while self.record["status"] in PASSING:
            self.advance(replies)

    # -- transitions -----------------------------------------------------------------------

    def advance(self, replies: Mapping[str, str]) -> None:
        """Move a passing status on to the next (see the module's diagram)."""
        record = self.record
        status = record["status"]
        now = int(time.time())
        if status == "queued":
            record["status"] = "in_progress"
            if record["started_at"] is None:
                record["started_at"] = now
        elif status == "cancelling":
            record.update(
                status="cancelled", cancelled_at=now, expires_at=None, required_action=None
            )
            for step in self.steps.values():
                if step["status"] == "in_progress":
                    step.update(status="cancelled", cancelled_at=now)
        elif status == "in_progress":
            functions = [t for t in record["tools"] if t.get("type") == "function"]
            if functions and not self.outputs_submitted:
                self._require_action(functions)
            else:
                self._complete(replies)

    def cancel(self, since: float) -> None:
        """Start cancelling (``cancelling`` from ``since``); 400 once the run finished."""
        status = self.record["status"]
        if status not in _CANCELLABLE:
            raise APIError(400, f"Cannot cancel run with status '{status}'.")
        self.record["status"] = "cancelling"
        self._restart(since)

    def expected_outputs(self) -> list[str]:
        """The ids of the tool calls awaiting outputs; 400 unless ``requires_action``."""
        record = self.record
        if record["status"] != "requires_action" or self.tool_step is None:
            raise APIError(400, f'Runs in status "{record["status"]}" do not accept tool outputs.')
        return [c["id"] for c in record["required_action"]["submit_tool_outputs"]["tool_calls"]]

    def submit_tool_outputs(self, given: Mapping[str, str], since: float) -> None:
        """Complete the tool step with ``given`` (call id: output); ``queued`` again."""
        expected = self.expected_outputs()
        if sorted(given) != sorted(expected):
            raise APIError(
                400,
                f"Expected tool outputs for call_ids {expected}, got {sorted(given)}",
                param="tool_outputs",
            )
        step = self.tool_step
        assert step is not None  # expected_outputs refused a run without one
        calls = step["step_details"]["tool_calls"]
        for call in calls:
            call["function"]["output"] = given[call["id"]]
        arguments = "".join(c["function"]["arguments"] for c in calls)
        step.update(
            status="completed",
            completed_at=int(time.time()),
            usage=self._usage(arguments),
        )
        self.record.update(status="queued", required_action=None)
        self.outputs_submitted = True
        self._restart(since)

    # -- what entering a status does -------------------------------------------------------

    def _restart(self, since: float) -> None:
        self.views = 1
        self.since = since

    def _require_action(self, functions: list[dict[str, Any]]) -> None:
        record = self.record
        if not record["parallel_tool_calls"]:
            functions = functions[:1]
        last_user = self._last_user_text()
        calls: list[dict[str, Any]] = []
        for f in functions:
            parameters = f["function"].get("parameters")
            arguments = fill(parameters, last_user) if parameters else {}
            calls.append(
                {
                    "id": new_id("call_"),
                    "type": "function",
                    "function": {
                        "name": f["function"]["name"],
                        "arguments": json.dumps(arguments, separators=(",", ":")),
                    },
                }
            )
        record.update(
            status="requires_action",
            required_action={
                "type": "submit_tool_outputs",
                "submit_tool_outputs": {"tool_calls": calls},
            },
        )
        step_calls = [
            {"id": c["id"], "type": "function", "function": {**c["function"], "output": None}}
            for c in calls
        ]
        self.tool_step = self._add_step(
            {"type": "tool_calls", "tool_calls": step_calls}, status="in_progress"
        )

    def _complete(self, replies: Mapping[str, str]) -> None:
        record = self.record
        last_user = self._last_user_text()
        reply = replies.get(last_user, last_user or DEFAULT_REPLY)
        cited = self._search()
        if cited is not None:
            reply += CITATION_MARK
        spent = self._usage(reply)
        message = new_message(
            record["thread_id"], {"role": "assistant", "content": reply}, run=record
        )
        if cited is not None:
            end = len(reply)
            message["content"][0]["text"]["annotations"] = [
                {
                    "type": "file_citation",
                    "text": CITATION_MARK,
                    "start_index": end - len(CITATION_MARK),
                    "end_index": end,
                    "file_citation": {"file_id": cited},
                }
            ]
        self.messages[message["id"]] = message
        now = int(time.time())
        self._add_step(
            {"type": "message_creation", "message_creation": {"message_id": message["id"]}},
            status="completed",
            completed_at=now,
            usage=spent,
        )
        total = dict(spent)
        if self.tool_step is not None and self.tool_step["usage"] is not None:
            for key in total:
                total[key] += self.tool_step["usage"][key]
        record.update(status="completed", completed_at=now, expires_at=None, usage=total)

    def _search(self) -> str | None:
        """With a file search tool and files on the last user message, a completed step
        searching them; the file the reply cites (None: no search)."""
        if not any(t.get("type") in _SEARCH_TOOLS for t in self.record["tools"]):
            return None
        user = next((m for m in reversed(self.messages.values()) if m["role"] == "user"), None)
        if user is None:
            return None
        files: list[str] = list(user.get("file_ids") or ())
        for attachment in user.get("attachments") or ():
            tools = attachment.get("tools") if isinstance(attachment, dict) else None
            kinds = {tool.get("type") for tool in tools or () if isinstance(tool, dict)}
            if kinds & _SEARCH_TOOLS and isinstance(attachment.get("file_id"), str):
                files.append(attachment["file_id"])
        if not files:
            return None
        call = {"id": new_id("call_"), "type": "file_search", "file_search": {}}
        self._add_step(
            {"type": "tool_calls", "tool_calls": [call]},
            status="completed",
            completed_at=int(time.time()),
        )
        return files[0]

    def _last_user_text(self) -> str:
        """The text of the thread's last user message ("" if there is none)."""
        messages = self.messages.values()
        return next((message_text(m) for m in reversed(messages) if m["role"] == "user"), "")

    def _usage(self, output: str) -> dict[str, int]:
        return run_usage(self.record["instructions"], self.messages.values(), output)

    def _add_step(
        self,
        details: dict[str, Any],
        *,
        status: str,
        completed_at: int | None = None,
        usage: dict[str, int] | None = None,
    ) -> dict[str, Any]:
        step = new_step(self.record, details, status=status, completed_at=completed_at, usage=usage)
        self.steps[step["id"]] = step
        return step


@attrs.frozen(kw_only=True)
class SettledRun:
    """A run carried through, with what its events show.

    ``steps`` are all its steps in order, ``messages`` those its steps wrote (by id);
    ``thread`` is the thread it created (``create_and_run``), ``after_step`` the tool step its
    outputs completed (``submit_tool_outputs``).
    """

    run: Mapping[str, Any]
    steps: Sequence[Mapping[str, Any]]
    messages: Mapping[str, Mapping[str, Any]]
    thread: Mapping[str, Any] | None = None
    after_step: Mapping[str, Any] | None = None
