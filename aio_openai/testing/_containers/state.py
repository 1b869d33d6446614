"""The state of the fake containers: their records and files."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any, Final

import attrs

from aio_openai.testing._checks import APIError
from aio_openai.testing._files.state import FilesState
from aio_openai.testing._shapes import ListQuery, new_id, page

__all__ = ["DATA_DIR", "ContainersState"]

#: Where a container keeps the files it was given.
DATA_DIR: Final = "/mnt/data/"
_DEFAULT_MINUTES: Final = 20


@attrs.define
class _Container:
    record: dict[str, Any]
    files: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    contents: dict[str, bytes] = attrs.field(factory=dict)


class ContainersState:
    """The containers of a fake server (``fake.state.containers``).

    ``files`` is the server's files store, where ``file_ids`` are looked up. Every operation
    takes the state's lock; an unknown container or file raises :class:`APIError` (404).
    """

    def __init__(self, files: FilesState) -> None:
        self._lock = threading.Lock()
        self._files = files
        self._containers: dict[str, _Container] = {}

    def _get(self, container_id: str) -> _Container:
        container = self._containers.get(container_id)
        if container is None:
            raise APIError(404, f"Container with id '{container_id}' not found.", param="id")
        return container

    def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """A new running container from a checked body, with copies of its ``file_ids``."""
        copies = []
        for index, file_id in enumerate(body.get("file_ids") or ()):
            try:
                stored = self._files.get(file_id)
            except APIError:
                raise APIError(
                    400, f"File '{file_id}' not found.", param=f"file_ids[{index}]"
                ) from None
            copies.append((stored["filename"], self._files.content(file_id)))
        now = int(time.time())
        record: dict[str, Any] = {
            "id": new_id("cntr_"),
            "object": "container",
            "created_at": now,
            "status": "running",
            "expires_after": dict(
                body.get("expires_after")
                or {"anchor": "last_active_at", "minutes": _DEFAULT_MINUTES}
            ),
            "last_active_at": now,
            "memory_limit": body.get("memory_limit") or "1g",
            "name": body["name"],
        }
        if body.get("network_policy") is not None:
            record["network_policy"] = dict(body["network_policy"])
        with self._lock:
            self._containers[record["id"]] = _Container(record)
        for filename, content in copies:
            self.add_file(record["id"], DATA_DIR + filename, content)
        return dict(record)

    def retrieve(self, container_id: str) -> dict[str, Any]:
        """A container's record."""
        with self._lock:
            return dict(self._get(container_id).record)

    def list_containers(self, query: ListQuery, name: str | None = None) -> dict[str, Any]:
        """One page of the containers (those called ``name`` only, if given)."""
        with self._lock:
            records = [
                dict(c.record)
                for c in self._containers.values()
                if name in (None, c.record["name"])
            ]
        return page(records, query)

    def delete(self, container_id: str) -> None:
        """Remove a container and its files."""
        with self._lock:
            self._get(container_id)
            del self._containers[container_id]

    # -- files -----------------------------------------------------------------------------

    def add_file(
        self, container_id: str, path: str, content: bytes, *, source: str = "user"
    ) -> dict[str, Any]:
        """Put a file at ``path`` in a container (``source``: "user" for an upload,
        "assistant" for one the code wrote); returns its record."""
        record: dict[str, Any] = {
            "id": new_id("cfile_"),
            "object": "container.file",
            "created_at": int(time.time()),
            "bytes": len(content),
            "container_id": container_id,
            "path": path,
            "source": source,
        }
        with self._lock:
            container = self._get(container_id)
            container.files[record["id"]] = record
            container.contents[record["id"]] = bytes(content)
            container.record["last_active_at"] = record["created_at"]
        return dict(record)

    def copy_file(self, container_id: str, file_id: str) -> dict[str, Any]:
        """Put a copy of a file of the files store in a container (400 for an unknown one)."""
        try:
            stored = self._files.get(file_id)
        except APIError:
            raise APIError(400, f"File '{file_id}' not found.", param="file_id") from None
        content = self._files.content(file_id)
        return self.add_file(container_id, DATA_DIR + stored["filename"], content)

    def _file(self, container_id: str, file_id: str) -> tuple[_Container, dict[str, Any]]:
        container = self._get(container_id)
        record = container.files.get(file_id)
        if record is None:
            raise APIError(404, f"File with id '{file_id}' not found.", param="file_id")
        return container, record

    def file(self, container_id: str, file_id: str) -> dict[str, Any]:
        """A file of a container."""
        with self._lock:
            return dict(self._file(container_id, file_id)[1])

    def file_content(self, container_id: str, file_id: str) -> bytes:
        """The bytes of a file of a container."""
        with self._lock:
            container, _ = self._file(container_id, file_id)
            return container.contents[file_id]

    def list_files(self, container_id: str, query: ListQuery) -> dict[str, Any]:
        """One page of a container's files."""
        with self._lock:
            records = [dict(f) for f in self._get(container_id).files.values()]
        return page(records, query)

    def delete_file(self, container_id: str, file_id: str) -> None:
        """Remove a file of a container."""
        with self._lock:
            container, _ = self._file(container_id, file_id)
            del container.files[file_id]
            del container.contents[file_id]
