"""The state of the fake Uploads API: each upload, its parts, and the file it becomes."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Any, Final

from aio_openai.testing._checks import APIError
from aio_openai.testing._files import FilesState
from aio_openai.testing._files.checks import check_file
from aio_openai.testing._shapes import new_id
from aio_openai.testing._uploads.checks import MAX_PART_BYTES

__all__ = ["UploadsState"]

#: Seconds an upload stays open unless ``expires_after`` says otherwise.
DEFAULT_EXPIRY: Final = 3600


class UploadsState:
    """The uploads of a fake server (``fake.state.uploads``), by id.

    ``clock`` gives the time (seconds since the epoch) used for ``created_at`` and expiry;
    tests move it to expire an upload. The completed upload's file is added to ``files``.
    """

    def __init__(self, files: FilesState, *, clock: Callable[[], float] = time.time) -> None:
        self._lock = threading.Lock()
        self._files = files
        self._clock = clock
        self._uploads: dict[str, dict[str, Any]] = {}
        #: Each upload's parts: part id -> bytes, in the order they came.
        self._parts: dict[str, dict[str, bytes]] = {}

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        """Open an upload for a checked body; its Upload object (``pending``)."""
        now = int(self._clock())
        expiry = body.get("expires_after")
        seconds = DEFAULT_EXPIRY if expiry is None else int(expiry["seconds"])
        record: dict[str, Any] = {
            "id": new_id("upload_"),
            "object": "upload",
            "bytes": body["bytes"],
            "created_at": now,
            "expires_at": now + seconds,
            "filename": body["filename"],
            "purpose": body["purpose"],
            "status": "pending",
            "file": None,
        }
        with self._lock:
            self._uploads[record["id"]] = record
            self._parts[record["id"]] = {}
        return dict(record)

    def _pending(self, upload_id: str) -> dict[str, Any]:
        """The upload, which must still take parts (lock held)."""
        record = self._find(upload_id)
        if record["status"] != "pending":
            raise APIError(
                400,
                f"Cannot modify upload {upload_id} with status {record['status']!r}.",
                param="upload_id",
            )
        return record

    def _find(self, upload_id: str) -> dict[str, Any]:
        record = self._uploads.get(upload_id)
        if record is None:
            raise APIError(404, f"No such Upload object: {upload_id}", param="upload_id")
        if record["status"] == "pending" and self._clock() >= record["expires_at"]:
            record["status"] = "expired"
            self._parts[upload_id].clear()
        return record

    def get(self, upload_id: str) -> dict[str, Any]:
        """A copy of the Upload object (``expired`` once its time is past)."""
        with self._lock:
            return dict(self._find(upload_id))

    def add_part(self, upload_id: str, data: bytes) -> dict[str, Any]:
        """Add a part (64 MB at most) to a pending upload; its UploadPart object."""
        if len(data) > MAX_PART_BYTES:
            raise APIError(
                400,
                f"Part is too large: {len(data)} bytes; the maximum is {MAX_PART_BYTES} bytes.",
                param="data",
            )
        part: dict[str, Any] = {
            "id": new_id("part_"),
            "object": "upload.part",
            "created_at": int(self._clock()),
            "upload_id": upload_id,
        }
        with self._lock:
            self._pending(upload_id)
            self._parts[upload_id][part["id"]] = data
        return part

    def parts(self, upload_id: str) -> list[bytes]:
        """The parts an upload holds, in the order they came (for tests)."""
        with self._lock:
            self._find(upload_id)
            return list(self._parts[upload_id].values())

    def complete(self, upload_id: str, part_ids: list[str], md5: str | None) -> dict[str, Any]:
        """Assemble the parts ``part_ids`` (in that order) into a file; the completed Upload
        with its file. Refused when a part is unknown or named twice, when the bytes do not
        add up to those declared, or when ``md5`` is not the file's checksum."""
        with self._lock:
            record = self._pending(upload_id)
            parts = self._parts[upload_id]
            if len(set(part_ids)) != len(part_ids):
                raise APIError(400, "Each part may be named once only.", param="part_ids")
            unknown = [p for p in part_ids if p not in parts]
            if unknown:
                raise APIError(
                    400, f"No such part of upload {upload_id}: {unknown[0]}", param="part_ids"
                )
            size = sum(len(parts[p]) for p in part_ids)
            if size != record["bytes"]:
                raise APIError(
                    400,
                    f"The number of bytes uploaded ({size}) does not match the number of"
                    f" bytes expected ({record['bytes']}).",
                    param="part_ids",
                )
            check_file(record["purpose"], record["filename"], size)
            content = b"".join(parts[p] for p in part_ids)
            if md5 and hashlib.md5(content).hexdigest() != md5.lower():
                raise APIError(
                    400, "The md5 checksum does not match the bytes uploaded.", param="md5"
                )
            parts.clear()
            record["status"] = "completed"
        file = self._files.add_file(content, purpose=record["purpose"], filename=record["filename"])
        with self._lock:
            record["file"] = file
            return dict(record)

    def cancel(self, upload_id: str) -> dict[str, Any]:
        """Cancel a pending upload (its parts are dropped); the cancelled Upload."""
        with self._lock:
            record = self._pending(upload_id)
            record["status"] = "cancelled"
            self._parts[upload_id].clear()
            return dict(record)
