"""Containers of the fake server (the code interpreter's sandboxes) and the files in them.

Reached as ``fake.state.containers`` (a :class:`ContainersState`). A container is created
``running``, with copies of the files its ``file_ids`` name (from ``fake.state.files``, at
``/mnt/data/<filename>``, ``source`` "user"); its files are listed, retrieved and deleted with
it. :meth:`ContainersState.add_file` puts a file in a container (what an upload or the code
interpreter does). Containers do not expire by themselves.

Modules: :mod:`.state`, :mod:`.checks` (OpenAI's 400s), :mod:`.routes`.
"""

from __future__ import annotations

from aio_openai.testing._containers.routes import add_containers_routes
from aio_openai.testing._containers.state import ContainersState

__all__ = ["ContainersState", "add_containers_routes"]
