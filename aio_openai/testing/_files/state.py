"""The state of the fake files store: each file's bytes and its File object."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any, Final, get_type_hints

from aio_openai.testing._checks import APIError, literal_values
from aio_openai.testing._shapes import ListQuery, new_id, page
from aio_openai.types.file_object import FileObject
from aio_openai.types.file_purpose import FilePurpose

__all__ = ["PURPOSES", "FilesState"]

#: The purposes a file may have (those of uploads, and those of the files the API writes).
PURPOSES: Final = frozenset(
    literal_values(FilePurpose) + literal_values(get_type_hints(FileObject)["purpose"])
)


class FilesState:
    """The files of a fake server (``fake.state.files``), by id, in the order they came.

    Every operation takes the state's lock, so tests may use it from any thread; an unknown id
    raises :class:`APIError` (404), as the API answers.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[str, dict[str, Any]] = {}
        self._contents: dict[str, bytes] = {}

    def add_file(
        self,
        content: bytes,
        *,
        purpose: str,
        filename: str = "file",
        status: str = "processed",
        expires_in: int | None = None,
    ) -> dict[str, Any]:
        """Store ``content`` as a new file and return a copy of its File object (expiring
        ``expires_in`` seconds after its creation, if given).

        ValueError for a purpose the API does not know or content that is not bytes.
        """
        if purpose not in PURPOSES:
            raise ValueError(f"unknown purpose {purpose!r}; expected one of {sorted(PURPOSES)}")
        if not isinstance(content, bytes | bytearray | memoryview):
            raise ValueError(f"content must be bytes, got {type(content).__name__}")
        created = int(time.time())
        record: dict[str, Any] = {
            "id": new_id("file-"),
            "object": "file",
            "bytes": len(content),
            "created_at": created,
            "filename": filename,
            "purpose": purpose,
            "status": status,
        }
        if expires_in is not None:  # the spec's File has no null expiry: absent when none
            record["expires_at"] = created + expires_in
        with self._lock:
            self._files[record["id"]] = record
            self._contents[record["id"]] = content if isinstance(content, bytes) else bytes(content)
        return dict(record)

    def _get(self, file_id: str) -> dict[str, Any]:
        record = self._files.get(file_id)
        if record is None:
            raise APIError(404, f"No such File object: {file_id}", param="id")
        return record

    def get(self, file_id: str) -> dict[str, Any]:
        """A copy of the File object; APIError 404 for an unknown id."""
        with self._lock:
            return dict(self._get(file_id))

    def content(self, file_id: str) -> bytes:
        """The bytes of a file; APIError 404 for an unknown id."""
        with self._lock:
            self._get(file_id)
            return self._contents[file_id]

    def delete(self, file_id: str) -> None:
        """Remove a file; APIError 404 for an unknown id."""
        with self._lock:
            self._get(file_id)
            del self._files[file_id]
            del self._contents[file_id]

    def ids(self) -> list[str]:
        """The ids of every file, oldest first."""
        with self._lock:
            return list(self._files)

    def list_files(self, query: ListQuery, purpose: str | None = None) -> dict[str, Any]:
        """One page of the files (of ``purpose`` only, if given)."""
        with self._lock:
            files: list[Mapping[str, Any]] = [
                dict(f) for f in self._files.values() if purpose in (None, f["purpose"])
            ]
        return page(files, query)
