"""The state of the fake ChatKit API: sessions, threads and their items.

A session (``cksess_...``) is ``active`` until it is cancelled or its ``expires_at`` passes
(``expired``, by the state's clock). Threads are what a ChatKit front end makes as its user
talks; a test puts them here with :meth:`ChatKitState.add_thread` (its messages, alternately
the user's and the assistant's), then lists, reads and deletes them through the API.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from aio_openai.testing._checks import APIError
from aio_openai.testing._shapes import ListQuery, new_id, page

__all__ = ["DEFAULT_SESSION_SECONDS", "ChatKitState"]

#: How long a session lives when ``expires_after`` does not say (10 minutes, the most).
DEFAULT_SESSION_SECONDS: Final = 600
#: The requests per minute a session allows when ``rate_limits`` does not say.
DEFAULT_RATE: Final = 10


def _configuration(asked: Mapping[str, Any]) -> dict[str, Any]:
    """A session's ChatKit configuration: what was asked, over the defaults."""
    titling = {"enabled": True, **(asked.get("automatic_thread_titling") or {})}
    upload = {"enabled": False, "max_file_size": 512, "max_files": 10}
    upload.update(asked.get("file_upload") or {})
    history = {"enabled": True, "recent_threads": None, **(asked.get("history") or {})}
    return {"automatic_thread_titling": titling, "file_upload": upload, "history": history}


class ChatKitState:
    """ChatKit sessions and threads (``fake.state.chatkit``); ``clock`` gives the time in
    seconds (expiry). Every operation takes the state's lock; an unknown id is a 404."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._lock = threading.Lock()
        self.clock = clock
        self._sessions: dict[str, dict[str, Any]] = {}
        self._threads: dict[str, dict[str, Any]] = {}
        self._items: dict[str, list[dict[str, Any]]] = {}

    # -- sessions --------------------------------------------------------------------------

    def create_session(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """A new active session from a checked body."""
        after = body.get("expires_after") or {}
        seconds = int(after.get("seconds", DEFAULT_SESSION_SECONDS))
        rate = int((body.get("rate_limits") or {}).get("max_requests_per_1_minute", DEFAULT_RATE))
        asked = body["workflow"]
        workflow = {
            "id": asked["id"],
            "version": asked.get("version"),
            "state_variables": asked.get("state_variables"),
            "tracing": {"enabled": True, **(asked.get("tracing") or {})},
        }
        record = {
            "id": new_id("cksess_"),
            "object": "chatkit.session",
            "client_secret": new_id("ek_"),
            "expires_at": int(self.clock()) + seconds,
            "workflow": workflow,
            "user": body["user"],
            "rate_limits": {"max_requests_per_1_minute": rate},
            "max_requests_per_1_minute": rate,
            "status": "active",
            "chatkit_configuration": _configuration(body.get("chatkit_configuration") or {}),
        }
        with self._lock:
            self._sessions[record["id"]] = record
        return dict(record)

    def _session(self, session_id: str) -> dict[str, Any]:
        record = self._sessions.get(session_id)
        if record is None:
            raise APIError(404, f"Session with id '{session_id}' not found.", param="session_id")
        if record["status"] == "active" and record["expires_at"] <= self.clock():
            record["status"] = "expired"
        return record

    def session(self, session_id: str) -> dict[str, Any]:
        """A session's record, its status as of now."""
        with self._lock:
            return dict(self._session(session_id))

    def cancel_session(self, session_id: str) -> dict[str, Any]:
        """Cancel a session (its client secret stops working); a session no longer active
        stays as it is."""
        with self._lock:
            record = self._session(session_id)
            if record["status"] == "active":
                record["status"] = "cancelled"
            return dict(record)

    # -- threads ---------------------------------------------------------------------------

    def add_thread(
        self, user: str, messages: Sequence[str] = (), *, title: str | None = None
    ) -> str:
        items: list[dict[str, Any]] = []
        """A thread of ``user`` holding ``messages`` (the user's, the assistant's, the
        user's, ...); its id."""
        now = int(self.clock())
        thread_id = new_id("cthr_")
        thread: dict[str, Any] = {
            "id": thread_id,
            "object": "chatkit.thread",
            "created_at": now,
            "status": {"type": "active"},
            "title": title,
            "user": user,
        }
        for index, text in enumerate(messages):
            item: dict[str, Any] = {
                "id": new_id("cthi_"),
                "object": "chatkit.thread_item",
                "created_at": now,
                "thread_id": thread_id,
            }
            if index % 2 == 0:
                item["type"] = "chatkit.user_message"
                item["content"] = [{"type": "input_text", "text": text}]
                item["attachments"] = []
                item["inference_options"] = None
            else:
                item["type"] = "chatkit.assistant_message"
                item["content"] = [{"type": "output_text", "text": text, "annotations": []}]
            items.append(item)
        with self._lock:
            self._threads[thread_id] = thread
            self._items[thread_id] = items
        return thread_id

    def _thread(self, thread_id: str) -> dict[str, Any]:
        thread = self._threads.get(thread_id)
        if thread is None:
            raise APIError(404, f"Thread with id '{thread_id}' not found.", param="thread_id")
        return thread

    def thread(self, thread_id: str) -> dict[str, Any]:
        """A thread's record."""
        with self._lock:
            return dict(self._thread(thread_id))

    def list_threads(self, query: ListQuery, user: str | None = None) -> dict[str, Any]:
        """One page of the threads (``user``'s only, if given)."""
        with self._lock:
            threads = [dict(t) for t in self._threads.values() if user in (None, t["user"])]
        return page(threads, query)

    def delete_thread(self, thread_id: str) -> None:
        """Remove a thread and its items."""
        with self._lock:
            self._thread(thread_id)
            del self._threads[thread_id], self._items[thread_id]

    def list_items(self, thread_id: str, query: ListQuery) -> dict[str, Any]:
        """One page of a thread's items."""
        with self._lock:
            self._thread(thread_id)
            items = [dict(item) for item in self._items[thread_id]]
        return page(items, query)
