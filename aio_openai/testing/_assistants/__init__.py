"""The Assistants API of the fake server: assistants, threads, messages, runs and run steps.

Everything lives in memory in an :class:`AssistantsState` (``fake.state.assistants``), with ids
in OpenAI's forms (``asst_``, ``thread_``, ``msg_``, ``run_``, ``step_``, ``call_``). Each request
must say which version it speaks (``OpenAI-Beta: assistants=v1`` or ``assistants=v2``) and gets
answers in that version's shape: v1 objects carry ``file_ids`` and the ``retrieval`` tool, v2
objects ``tool_resources``/``attachments`` and ``file_search``. Request bodies are checked as
OpenAI checks them: unknown or misplaced arguments, missing required ones and wrong types are
400s naming the ``param``; unknown ids are 404s.

Runs move on without background tasks, when they are looked at. By default each status lasts
``seconds`` (0.4 s: a run is ``completed`` about 0.8 s after it was created); with
``configure(polls=N)`` each status is shown by N retrieves instead (deterministic, for tests;
``polls=0`` settles a run at once). A run goes ``queued`` -> ``in_progress`` -> ``completed``,
adding the assistant's reply (scripted in ``replies``, else an echo of the last user message),
a ``message_creation`` step and usage. A run whose tools include functions stops in
``requires_action`` with one call per function (``parallel_tool_calls=False``: one call), with
arguments made from the function's JSON schema and the last user message (see
:mod:`.._arguments`), and goes on after ``submit_tool_outputs``. A run with the
``file_search`` tool (v1: ``retrieval``) whose last user message carries files searches them
first (a ``tool_calls`` step with one ``file_search`` call) and its reply cites the first file
(``【0:0†source】`` and a ``file_citation`` annotation). ``cancel`` goes through
``cancelling`` to ``cancelled``. Run answers carry the ``openai-poll-after-ms`` header
(``poll_after_ms``, 100 by default).

``stream=True`` on ``runs.create`` and ``create_and_run`` carries the run through at once and
answers with the server-sent events OpenAI sends: (``thread.created``,) ``thread.run.created``,
``thread.run.queued``, ``thread.run.in_progress``, ``thread.run.step.created``,
``thread.run.step.in_progress``, then ``thread.message.created``,
``thread.message.in_progress``, ``thread.message.delta`` (``chunk_size`` characters each; a
citation in a delta of its own, with its annotation), ``thread.message.completed``,
``thread.run.step.completed``, ``thread.run.completed`` (or, with function tools,
``thread.run.step.delta``: each call as it starts, then its arguments ``chunk_size``
characters at a time; and ``thread.run.requires_action``), and ``done``.
``submit_tool_outputs`` with ``stream=True`` answers with the events of the run's
continuation: ``thread.run.step.completed`` of the tool step, ``thread.run.queued``,
``thread.run.in_progress``, the steps after it, the run's final event and ``done``.

Modules: :mod:`.state` (:class:`AssistantsState`: the tables and their operations),
:mod:`.runs` (the run state machine and :class:`RunPacing`), :mod:`.records` (the stored
objects), :mod:`.render` (their v1 and v2 shapes), :mod:`.stream` (a run's events),
:mod:`.checks` (OpenAI's 400s), :mod:`.routes`.
"""

from __future__ import annotations

from aio_openai.testing._assistants.routes import add_assistants_routes
from aio_openai.testing._assistants.runs import RunPacing
from aio_openai.testing._assistants.state import AssistantsState
from aio_openai.testing._http import POLL_AFTER_HEADER

__all__ = ["POLL_AFTER_HEADER", "AssistantsState", "RunPacing", "add_assistants_routes"]
