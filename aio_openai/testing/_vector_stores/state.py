"""The state of the fake vector stores: stores, their files (chunked from the files store's
bytes), file batches, processing paced by looks, expiry by the state's clock, search."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs

from aio_openai._types import NOT_GIVEN, NotGiven
from aio_openai.testing._checks import APIError
from aio_openai.testing._files.state import FilesState
from aio_openai.testing._shapes import ListQuery, new_id, page
from aio_openai.testing._vector_stores.index import (
    Chunk,
    chunk_text,
    matches,
    score,
    static_strategy,
    terms,
)

__all__ = ["VectorStoresState"]

_DAY: Final = 86400
_DEFAULT_RESULTS: Final = 10
_STATUSES: Final = ("in_progress", "completed", "failed", "cancelled")


@attrs.define
class _File:
    """A file of a vector store: its record, its chunks, its text and the looks it had."""

    record: dict[str, Any]
    filename: str
    chunks: list[Chunk]
    size: int
    error: dict[str, str] | None
    looks: int = 0


@attrs.define
class _Batch:
    record: dict[str, Any]
    files: list[_File]


@attrs.define
class _Store:
    record: dict[str, Any]
    files: dict[str, _File] = attrs.field(factory=dict)
    batches: dict[str, _Batch] = attrs.field(factory=dict)


def _counts(files: Iterable[_File]) -> dict[str, int]:
    counts = dict.fromkeys(_STATUSES, 0)
    for file in files:
        counts[file.record["status"]] += 1
    return {**counts, "total": sum(counts.values())}


class VectorStoresState:
    """The vector stores of a fake server (``fake.state.vector_stores``).

    ``files`` is the server's files store, where ``file_id`` s are read. A file added to a
    vector store is ``in_progress`` for ``polls`` looks (a retrieve of it, of its batch or of
    its vector store), then ``completed`` (``failed`` when its bytes are not UTF-8 text);
    ``polls=0`` settles it at once. Answers of retrieves carry ``openai-poll-after-ms:
    poll_after_ms`` (None: no header). ``clock`` (seconds since the epoch) dates the records
    and expires stores. Every operation takes the state's lock; unknown ids raise
    :class:`APIError` (404).
    """

    def __init__(self, files: FilesState, *, clock: Callable[[], float] = time.time) -> None:
        self._lock = threading.Lock()
        self._files = files
        self._stores: dict[str, _Store] = {}
        self.clock = clock
        self.polls = 1
        self.poll_after_ms: int | None = 100

    def configure(
        self,
        *,
        polls: int | None = None,
        poll_after_ms: int | NotGiven | None = NOT_GIVEN,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """Set the looks a file stays ``in_progress`` (0: settles at once), the
        ``openai-poll-after-ms`` header (None: none) and the clock."""
        if polls is not None and (
            isinstance(polls, bool) or not isinstance(polls, int) or polls < 0
        ):
            raise ValueError(f"polls must be an int >= 0, got {polls!r}")
        with self._lock:
            if polls is not None:
                self.polls = polls
            if not isinstance(poll_after_ms, NotGiven):
                self.poll_after_ms = poll_after_ms
            if clock is not None:
                self.clock = clock

    # -- stores ----------------------------------------------------------------------------

    def _get(self, store_id: str) -> _Store:
        store = self._stores.get(store_id)
        if store is None:
            raise APIError(404, f"No vector store found with id '{store_id}'.", param="id")
        return store

    def _live(self, store_id: str) -> _Store:
        """A store that has not expired (400 if it has), made active now."""
        store = self._get(store_id)
        self._expire(store)
        if store.record["status"] == "expired":
            raise APIError(400, f"Vector store {store_id} is expired.", param="vector_store_id")
        store.record["last_active_at"] = int(self.clock())
        self._set_expiry(store.record)
        return store

    def _set_expiry(self, record: dict[str, Any]) -> None:
        policy = record.get("expires_after")
        if policy is None:
            record.pop("expires_at", None)
        else:
            record["expires_at"] = record["last_active_at"] + policy["days"] * _DAY

    def _expire(self, store: _Store) -> None:
        expires_at = store.record.get("expires_at")
        if expires_at is not None and self.clock() >= expires_at:
            store.record["status"] = "expired"

    def _render(self, store: _Store) -> dict[str, Any]:
        self._expire(store)
        record = store.record
        files = store.files.values()
        record["file_counts"] = _counts(files)
        record["usage_bytes"] = sum(f.record["usage_bytes"] for f in files)
        if record["status"] != "expired":
            busy = record["file_counts"]["in_progress"]
            record["status"] = "in_progress" if busy else "completed"
        return dict(record)

    def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """A new vector store from a checked body, with the files ``file_ids``."""
        contents = self._read_files(body.get("file_ids") or (), "file_ids")
        now = int(self.clock())
        record: dict[str, Any] = {
            "id": new_id("vs_"),
            "object": "vector_store",
            "created_at": now,
            "name": body.get("name") or "",
            "usage_bytes": 0,
            "status": "completed",
            "last_active_at": now,
            "metadata": dict(body.get("metadata") or {}),
        }
        if body.get("description") is not None:
            record["description"] = body["description"]
        if body.get("expires_after") is not None:
            record["expires_after"] = dict(body["expires_after"])
        self._set_expiry(record)
        store = _Store(record)
        strategy = body.get("chunking_strategy")
        with self._lock:
            self._stores[record["id"]] = store
            for file_id, (filename, data) in contents.items():
                self._add(store, file_id, filename, data, None, strategy)
            return self._render(store)

    def retrieve(self, store_id: str) -> dict[str, Any]:
        """A vector store (a look at each of its files in progress)."""
        with self._lock:
            store = self._get(store_id)
            for file in store.files.values():
                self._look(file)
            return self._render(store)

    def update(self, store_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Change a store's name, metadata or expiry policy (null removes a policy)."""
        with self._lock:
            store = self._get(store_id)
            record = store.record
            if body.get("name") is not None:
                record["name"] = body["name"]
            if "metadata" in body:
                record["metadata"] = dict(body["metadata"] or {})
            if "expires_after" in body:
                if body["expires_after"] is None:
                    record.pop("expires_after", None)
                else:
                    record["expires_after"] = dict(body["expires_after"])
                self._set_expiry(record)
            return self._render(store)

    def list_stores(self, query: ListQuery) -> dict[str, Any]:
        """One page of the vector stores."""
        with self._lock:
            return page([self._render(s) for s in self._stores.values()], query)

    def delete(self, store_id: str) -> None:
        """Remove a vector store (its files stay in the files store)."""
        with self._lock:
            self._get(store_id)
            del self._stores[store_id]

    # -- files -----------------------------------------------------------------------------

    def _read_files(self, file_ids: Iterable[str], param: str) -> dict[str, tuple[str, bytes]]:
        """The filename and bytes of each file of the files store (400 for an unknown one,
        naming ``param`` and, for a list, the index)."""
        found = {}
        for index, file_id in enumerate(file_ids):
            try:
                stored = self._files.get(file_id)
            except APIError:
                raise APIError(
                    400,
                    f"File '{file_id}' not found.",
                    param=param if param == "file_id" else f"{param}[{index}]",
                ) from None
            found[file_id] = (stored["filename"], self._files.content(file_id))
        return found

    def _add(
        self,
        store: _Store,
        file_id: str,
        filename: str,
        data: bytes,
        attributes: Mapping[str, Any] | None,
        strategy: Mapping[str, Any] | None,
    ) -> _File:
        chunking = static_strategy(strategy)
        error = None
        chunks: list[Chunk] = []
        try:
            chunks = chunk_text(data.decode("utf-8"), chunking)
        except UnicodeDecodeError:
            error = {"code": "unsupported_file", "message": f"{filename} is not a text file."}
        record: dict[str, Any] = {
            "id": file_id,
            "object": "vector_store.file",
            "created_at": int(self.clock()),
            "usage_bytes": 0,
            "vector_store_id": store.record["id"],
            "status": "in_progress",
            "last_error": None,
            "attributes": dict(attributes or {}),
            "chunking_strategy": chunking,
        }
        file = _File(record, filename, chunks, len(data), error)
        store.files.pop(file_id, None)  # added again: it goes last
        store.files[file_id] = file
        if self.polls == 0:
            self._settle(file)
        return file

    def _settle(self, file: _File) -> None:
        if file.error is None:
            file.record.update(status="completed", usage_bytes=file.size)
        else:
            file.record.update(status="failed", last_error=dict(file.error))

    def _look(self, file: _File) -> None:
        if file.record["status"] == "in_progress":
            file.looks += 1
            if file.looks > self.polls:
                self._settle(file)

    def _file(self, store_id: str, file_id: str) -> _File:
        file = self._get(store_id).files.get(file_id)
        if file is None:
            raise APIError(
                404,
                f"No file found with id '{file_id}' in vector store '{store_id}'.",
                param="file_id",
            )
        return file

    def add_file(self, store_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Add the file ``file_id`` of a checked body to a vector store."""
        ((filename, data),) = self._read_files([body["file_id"]], "file_id").values()
        with self._lock:
            store = self._live(store_id)
            file = self._add(
                store,
                body["file_id"],
                filename,
                data,
                body.get("attributes"),
                body.get("chunking_strategy"),
            )
            return dict(file.record)

    def file(self, store_id: str, file_id: str) -> dict[str, Any]:
        """A file of a vector store (a look at it)."""
        with self._lock:
            file = self._file(store_id, file_id)
            self._look(file)
            return dict(file.record)

    def update_file(self, store_id: str, file_id: str, attributes: Any) -> dict[str, Any]:
        """Replace a file's attributes."""
        with self._lock:
            file = self._file(store_id, file_id)
            file.record["attributes"] = dict(attributes or {})
            return dict(file.record)

    def list_files(
        self, store_id: str, query: ListQuery, status: str | None, batch_id: str | None = None
    ) -> dict[str, Any]:
        """One page of a store's (or a batch's) files, of ``status`` only if given."""
        with self._lock:
            store = self._get(store_id)
            files = store.files.values() if batch_id is None else self._batch(store, batch_id).files
            records = [dict(f.record) for f in files if status in (None, f.record["status"])]
        return page(records, query)

    def delete_file(self, store_id: str, file_id: str) -> None:
        """Remove a file from a vector store."""
        with self._lock:
            self._file(store_id, file_id)
            del self._stores[store_id].files[file_id]

    def file_content(self, store_id: str, file_id: str) -> dict[str, Any]:
        """The parsed text of a file: its chunks, in order."""
        with self._lock:
            file = self._file(store_id, file_id)
            data = [{"type": "text", "text": chunk.text} for chunk in file.chunks]
        return {
            "object": "vector_store.file_content.page",
            "data": data,
            "has_more": False,
            "next_page": None,
        }

    # -- batches ---------------------------------------------------------------------------

    def _batch(self, store: _Store, batch_id: str) -> _Batch:
        batch = store.batches.get(batch_id)
        if batch is None:
            raise APIError(404, f"No file batch found with id '{batch_id}'.", param="batch_id")
        return batch

    def _render_batch(self, batch: _Batch) -> dict[str, Any]:
        record = batch.record
        counts = _counts(batch.files)
        record["file_counts"] = counts
        if record["status"] != "cancelled":
            if counts["in_progress"]:
                record["status"] = "in_progress"
            elif counts["failed"] == counts["total"] and counts["total"]:
                record["status"] = "failed"
            else:
                record["status"] = "completed"
        return dict(record)

    def create_batch(self, store_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """A batch adding the files of a checked body (``file_ids`` sharing ``attributes``
        and ``chunking_strategy``, or ``files`` each with its own)."""
        if body.get("files") is not None:
            entries = [dict(f) for f in body["files"]]
            param = "files"
        else:
            shared = {k: body.get(k) for k in ("attributes", "chunking_strategy")}
            entries = [{"file_id": i, **shared} for i in body["file_ids"]]
            param = "file_ids"
        contents = self._read_files([e["file_id"] for e in entries], param)
        with self._lock:
            store = self._live(store_id)
            files = [
                self._add(
                    store,
                    e["file_id"],
                    *contents[e["file_id"]],
                    e.get("attributes"),
                    e.get("chunking_strategy"),
                )
                for e in entries
            ]
            record: dict[str, Any] = {
                "id": new_id("vsfb_"),
                "object": "vector_store.files_batch",
                "created_at": int(self.clock()),
                "vector_store_id": store_id,
                "status": "in_progress",
            }
            batch = _Batch(record, files)
            store.batches[record["id"]] = batch
            return self._render_batch(batch)

    def batch(self, store_id: str, batch_id: str) -> dict[str, Any]:
        """A file batch (a look at each of its files in progress)."""
        with self._lock:
            batch = self._batch(self._get(store_id), batch_id)
            for file in batch.files:
                self._look(file)
            return self._render_batch(batch)

    def cancel_batch(self, store_id: str, batch_id: str) -> dict[str, Any]:
        """Cancel a batch in progress: its files in progress are cancelled (400 for a batch
        that has finished)."""
        with self._lock:
            batch = self._batch(self._get(store_id), batch_id)
            status = self._render_batch(batch)["status"]
            if status != "in_progress":
                raise APIError(400, f"Cannot cancel a file batch with status '{status}'.")
            for file in batch.files:
                if file.record["status"] == "in_progress":
                    file.record["status"] = "cancelled"
            batch.record["status"] = "cancelled"
            return self._render_batch(batch)

    # -- search ----------------------------------------------------------------------------

    def search(self, store_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """The chunks of a store's processed files ranked by the share of the query's terms
        they hold: those of files passing ``filters``, scoring above 0 and at least
        ``ranking_options.score_threshold``, at most ``max_num_results``."""
        queries = body["query"] if isinstance(body["query"], list) else [body["query"]]
        wanted = terms(" ".join(queries))
        threshold = (body.get("ranking_options") or {}).get("score_threshold") or 0.0
        limit = body.get("max_num_results") or _DEFAULT_RESULTS
        with self._lock:
            store = self._live(store_id)
            found = [
                (score(wanted, chunk), file, chunk)
                for file in store.files.values()
                if file.record["status"] == "completed"
                and matches(body.get("filters"), file.record["attributes"])
                for chunk in file.chunks
            ]
        ranked = sorted(
            (hit for hit in found if hit[0] > 0 and hit[0] >= threshold),
            key=lambda hit: -hit[0],
        )
        data = [
            {
                "file_id": file.record["id"],
                "filename": file.filename,
                "score": round(value, 4),
                "attributes": dict(file.record["attributes"]),
                "content": [{"type": "text", "text": chunk.text}],
            }
            for value, file, chunk in ranked[:limit]
        ]
        return {
            "object": "vector_store.search_results.page",
            "search_query": queries,
            "data": data,
            "has_more": False,
            "next_page": None,
        }
