"""The Batch API of the fake server: batches run through the fake's own endpoints.

Reached as ``fake.state.batches`` (a :class:`BatchesState`). A batch's ``input_file_id``
names a file of ``fake.state.files`` uploaded with purpose ``batch`` (in tests:
``fake.state.files.add_file(jsonl, purpose="batch")``); each line is checked as OpenAI checks
it and run through the JSON operation the route of its url serves (chat completions,
completions, embeddings, moderations, responses), the model check included; the answers go
to an output file and the failed requests to an error file (purpose ``batch_output``), with
``request_counts`` and ``usage``. Statuses move on over retrieves (``configure(polls=...)``),
see :mod:`.state`; ``expire(batch_id)`` lets a batch's window run out. Webhook endpoints get
the ``batch.*`` events.

Modules: :mod:`.state` (the records and their statuses), :mod:`.lines` (the input file read,
each request run), :mod:`.checks` (OpenAI's 400s), :mod:`.routes`.
"""

from __future__ import annotations

from aio_openai.testing._batches.routes import add_batches_routes
from aio_openai.testing._batches.state import BatchesState

__all__ = ["BatchesState", "add_batches_routes"]
