"""The files store of the fake server: uploaded bytes with their purpose and status.

Reached as ``fake.state.files`` (a :class:`FilesState`). Other fake APIs read it: a batch's
``input_file_id`` names a file here, and its output and error files are stored here; a
container copies the files its ``file_ids`` name. Tests add files with
:meth:`FilesState.add_file` (the bytes, a ``purpose``, a ``filename``) and read them back
with :meth:`FilesState.content`.

The routes serve the Files API: uploads (``POST /v1/files``, multipart, checked as OpenAI
checks them: the purpose, ``.jsonl`` and 200 MB for batch input, 512 MB at most, the
expiry), retrieve, list, delete and content.
"""

from __future__ import annotations

from aio_openai.testing._files.routes import add_files_routes
from aio_openai.testing._files.state import FilesState

__all__ = ["FilesState", "add_files_routes"]
