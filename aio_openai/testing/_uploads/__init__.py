"""The fake Uploads API: a large file sent in parts (``POST /v1/uploads``, its ``parts``,
``complete``, ``cancel``), assembled into a file of the files store when completed.

Reached as ``fake.state.uploads`` (an :class:`UploadsState`); the file an upload makes is in
``fake.state.files``. Checked as OpenAI checks them: the declared byte count (8 GB at most)
must match the parts' total when completing, a part holds 64 MB at most, the parts are named
once each, and an upload expires an hour after its creation (or per ``expires_after``).
"""

from __future__ import annotations

from aio_openai.testing._uploads.routes import add_uploads_routes
from aio_openai.testing._uploads.state import UploadsState

__all__ = ["UploadsState", "add_uploads_routes"]
