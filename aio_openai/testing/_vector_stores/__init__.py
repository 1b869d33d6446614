"""Vector stores of the fake server: stores, their files, file batches and search.

Reached as ``fake.state.vector_stores`` (a :class:`VectorStoresState`). A file added to a
store (by ``file_ids`` at creation, ``files.create`` or a file batch) is read from
``fake.state.files``, cut into chunks of words as its chunking strategy says (``auto``: 800
with 400 overlapping) and stays ``in_progress`` for ``polls`` looks (retrieves of it, its
batch or its store) before it is ``completed`` (``failed``, ``unsupported_file``, when its
bytes are not UTF-8). A store's ``file_counts`` and ``usage_bytes`` (the bytes of its
completed files) follow; a store with an ``expires_after`` policy expires that many days after
it was last active (by the state's clock), and is then refused for searches and new files.
``search`` ranks the chunks of completed files by the share of the query's terms each holds,
after ``filters`` on the files' attributes, above ``ranking_options.score_threshold``, at
most ``max_num_results``.

Modules: :mod:`.state`, :mod:`.index` (chunks, terms, scores, filters), :mod:`.checks`
(OpenAI's 400s), :mod:`.routes`.
"""

from __future__ import annotations

from aio_openai.testing._vector_stores.routes import add_vector_stores_routes
from aio_openai.testing._vector_stores.state import VectorStoresState

__all__ = ["VectorStoresState", "add_vector_stores_routes"]
