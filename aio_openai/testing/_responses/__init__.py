"""The Responses and Conversations APIs of the fake server.

Everything lives in memory in a :class:`ResponsesState` (``fake.state.responses``), with ids in
OpenAI's forms (``resp_``, ``conv_``, ``msg_``, ``fc_``, ``fco_``, ``call_``). Requests are
checked as OpenAI checks them: unknown arguments, missing ``model``/``input`` and wrong types
are 400s naming the ``param``; unknown ids are 404s.

The model is deterministic. Its context is the new ``input`` after the history it continues:
the stored response named by ``previous_response_id`` (that response's input and output), or
the items of the ``conversation``. Then:

- after ``function_call_output`` input items, it answers in text with their outputs;
- else, with function ``tools`` (and ``tool_choice`` not ``"none"``), it calls them: the named
  one, else every function (the first only with ``parallel_tool_calls=False``), with arguments
  made from each function's JSON schema and the last user text (see :mod:`.._arguments`) and
  ``call_id`` derived from them;
- else its reply is scripted (``replies[last user text]``) or an echo of the last user text.

``max_output_tokens`` cuts a reply short (``incomplete``, reason ``max_output_tokens``).
``usage`` counts the context and the output at characters / 4. A response with a
``conversation`` appends its input and output items to the conversation when it completes.

``store`` (default true) keeps a response for ``retrieve``, ``input_items``, ``cancel`` and
``previous_response_id``; an unstored one is 404 afterwards. ``background=True`` (which needs
``store``) answers ``queued``; each retrieve shows a passing status (``queued``,
``in_progress``) ``polls`` times (``configure(polls=N)``, 1 by default; 0 settles at once)
before it moves on to ``completed``. Only background responses can be cancelled (400
otherwise, and once they finished). Retrieve answers carry ``openai-poll-after-ms``
(``poll_after_ms``, 0 by default; None leaves the header out).

``stream=True`` answers with the events OpenAI sends, each with its ``sequence_number``:
``response.created``, (``response.queued``,) ``response.in_progress``, then per output item
``response.output_item.added``, for a message ``response.content_part.added``,
``response.output_text.delta`` (``chunk_size`` characters each), ``response.output_text.done``,
``response.content_part.done``; for a function call ``response.function_call_arguments.delta``
and ``.done``; ``response.output_item.done``; and ``response.completed`` (or
``response.incomplete``). A background response can be streamed again with
``GET /v1/responses/{id}?stream=true`` (``starting_after=N`` leaves out the events up to
number N); the stream settles it. A cancelled one is refused (400): the spec has no event to
end its stream with.

Modules: :mod:`.state` (:class:`ResponsesState`), :mod:`.model` (the responses it makes),
:mod:`.items` (stored input items), :mod:`.stream` (the events), :mod:`.checks` (OpenAI's
400s), :mod:`.routes`.
"""

from __future__ import annotations

from aio_openai.testing._http import POLL_AFTER_HEADER
from aio_openai.testing._responses.routes import add_responses_routes, responses_operations
from aio_openai.testing._responses.state import ResponsesState

__all__ = ["POLL_AFTER_HEADER", "ResponsesState", "add_responses_routes", "responses_operations"]
