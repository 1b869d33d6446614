"""The state of the fake Responses and Conversations APIs, and the operations the routes call.

Every operation takes the state's lock and raises :class:`.._checks.APIError` for an unknown
id (404) or a request the state refuses (400). A background response moves on when it is
retrieved: each passing status (``queued``, ``in_progress``) is shown ``polls`` times.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from aio_openai._types import NOT_GIVEN, NotGiven
from aio_openai.testing._checks import APIError
from aio_openai.testing._responses.items import new_id, stored_item
from aio_openai.testing._responses.model import (
    compact,
    context,
    conversation_id,
    input_tokens,
    respond,
    unfinished,
)
from aio_openai.testing._shapes import list_query, page

__all__ = ["ResponsesState", "StoredResponse"]

_PASSING: Final = frozenset({"queued", "in_progress"})


def _not_found(what: str, ident: str, param: str | None = None) -> APIError:
    return APIError(404, f"{what} with id '{ident}' not found.", param=param)


@attrs.define
class StoredResponse:
    """A response's record, what it will be once done, and where it stands in its pacing.

    ``inputs`` are its input items (with what it inherited from ``previous_response_id``),
    ``history`` its whole context; ``conversation`` the conversation it appends to.
    """

    record: dict[str, Any]
    final: dict[str, Any]
    inputs: list[dict[str, Any]]
    history: list[dict[str, Any]]
    conversation: str | None
    views: int = 1


class ResponsesState:
    """The responses, conversations and conversation items of a fake server.

    Reached as ``fake.state.responses``. ``replies`` maps a last user text to the model's
    reply (the default echoes it; with a ``json_schema`` text format, a reply that is JSON is
    sent as it is, another becomes JSON fitting the schema); ``refusals`` maps a last user
    text to a refusal (a ``refusal`` part instead of text); ``configure()`` sets the pace of
    background responses, the ``openai-poll-after-ms`` header and the characters of a
    streamed delta. Safe to use from any thread.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.replies: dict[str, str] = {}
        self.refusals: dict[str, str] = {}
        self.polls = 1
        self.poll_after_ms: int | None = 0
        self.chunk_size = 4
        self.responses: dict[str, StoredResponse] = {}
        self.conversations: dict[str, dict[str, Any]] = {}
        self.items: dict[str, dict[str, dict[str, Any]]] = {}

    def configure(
        self,
        *,
        polls: int | None = None,
        poll_after_ms: int | NotGiven | None = NOT_GIVEN,
        chunk_size: int | None = None,
    ) -> None:
        """Set the retrieves each passing status of a background response lasts (0: settle at
        once), the ``openai-poll-after-ms`` header (None: none), the streamed delta size."""
        if polls is not None and (not isinstance(polls, int) or polls < 0):
            raise ValueError(f"polls must be an int >= 0, got {polls!r}")
        if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
            raise ValueError(f"chunk_size must be an int >= 1, got {chunk_size!r}")
        if (
            not isinstance(poll_after_ms, NotGiven)
            and poll_after_ms is not None
            and (not isinstance(poll_after_ms, int) or poll_after_ms < 0)
        ):
            raise ValueError(f"poll_after_ms must be an int >= 0 or None, got {poll_after_ms!r}")
        with self._lock:
            if polls is not None:
                self.polls = polls
            if chunk_size is not None:
                self.chunk_size = chunk_size
            if not isinstance(poll_after_ms, NotGiven):
                self.poll_after_ms = poll_after_ms

    def clear(self) -> None:
        """Forget every response, conversation and item."""
        with self._lock:
            self.responses.clear()
            self.conversations.clear()
            self.items.clear()

    # -- lookups (under the lock) ----------------------------------------------------------

    def _stored(self, response_id: str) -> StoredResponse:
        found = self.responses.get(response_id)
        if found is None:
            raise _not_found("Response", response_id)
        return found

    def _conversation(self, conversation_id: str, param: str | None = None) -> dict[str, Any]:
        found = self.conversations.get(conversation_id)
        if found is None:
            raise _not_found("Conversation", conversation_id, param)
        return found

    def _item(self, conversation_id: str, item_id: str) -> dict[str, Any]:
        self._conversation(conversation_id)
        found = self.items[conversation_id].get(item_id)
        if found is None:
            raise _not_found("Item", item_id)
        return found

    # -- responses -------------------------------------------------------------------------

    def _history(self, body: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The items a checked body continues: its ``previous_response_id``'s context and
        output, or its ``conversation``'s items (404 for an unknown one)."""
        previous_id = body.get("previous_response_id")
        if previous_id is not None:
            previous = self.responses.get(previous_id)
            if previous is None:
                raise APIError(
                    404,
                    f"Previous response with id '{previous_id}' not found.",
                    param="previous_response_id",
                )
            return [*previous.history, *previous.final["output"]]
        conversation = conversation_id(body)
        if conversation is not None:
            self._conversation(conversation, "conversation")
            return list(self.items[conversation].values())
        return []

    def create_response(self, body: Mapping[str, Any]) -> StoredResponse:
        """Make a response from a checked body; store it unless ``store`` is false."""
        with self._lock:
            history = self._history(body)
            conversation = conversation_id(body)
            turn = respond(body, history, self.replies, self.refusals)
            final = turn.final
            stored = StoredResponse(
                record=final,
                final=final,
                inputs=[*(history if conversation is None else []), *turn.new],
                history=[*history, *turn.new],
                conversation=conversation,
            )
            if final["background"] and self.polls > 0 and not body.get("stream"):
                stored.record = unfinished(final, "queued")
            else:
                self._finish(stored)
            if final["store"]:
                self.responses[final["id"]] = stored
            return stored

    def compact(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """The compacted response of a checked body: its input after the history of its
        ``previous_response_id`` (see :func:`.model.compact`)."""
        with self._lock:
            return compact(body, self._history(body))

    def count_input_tokens(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """The input tokens a checked body would use, as ``create`` would count them."""
        with self._lock:
            _, items = context(body, self._history(body))
        return {"object": "response.input_tokens", "input_tokens": input_tokens(body, items)}

    def _finish(self, stored: StoredResponse) -> None:
        """Show the final record; append the turn to its conversation."""
        stored.record = stored.final
        if stored.conversation is not None and stored.conversation in self.items:
            items = self.items[stored.conversation]
            for item in (*stored.inputs, *stored.final["output"]):
                items[item["id"]] = item

    def retrieve_response(self, response_id: str) -> dict[str, Any]:
        """A response, as one more poll of it sees it (the pace counts retrieves)."""
        with self._lock:
            stored = self._stored(response_id)
            if stored.record["status"] in _PASSING:
                if stored.views >= self.polls:
                    stored.views = 1
                    if stored.record["status"] == "queued":
                        stored.record = {**stored.record, "status": "in_progress"}
                    else:
                        self._finish(stored)
                else:
                    stored.views += 1
            return stored.record

    def replay_response(self, response_id: str) -> dict[str, Any]:
        """A background response to stream again, settled (the stream runs to its end).

        400 for a response made without ``background`` and for a cancelled one (the spec
        has no event to end its stream with).
        """
        with self._lock:
            stored = self._stored(response_id)
            if not stored.record["background"]:
                raise APIError(
                    400,
                    "Only responses created with background=true can be streamed when retrieved.",
                    param="stream",
                )
            if stored.record["status"] == "cancelled":
                raise APIError(
                    400, "This response was cancelled; retrieve it without stream.", param="stream"
                )
            if stored.record["status"] in _PASSING:
                self._finish(stored)
            return stored.final

    def cancel_response(self, response_id: str) -> dict[str, Any]:
        """Cancel a background response; 400 for others and for finished ones."""
        with self._lock:
            stored = self._stored(response_id)
            record = stored.record
            if not record["background"]:
                raise APIError(400, "Only responses created with background=true can be cancelled.")
            if record["status"] == "cancelled":
                return record
            if record["status"] not in _PASSING:
                raise APIError(400, f"Cannot cancel a response with status '{record['status']}'.")
            stored.record = {**record, "status": "cancelled"}
            return stored.record

    def delete_response(self, response_id: str) -> None:
        """Forget a stored response."""
        with self._lock:
            self._stored(response_id)
            del self.responses[response_id]

    def input_items(self, response_id: str) -> list[dict[str, Any]]:
        """The input items of a stored response (what it was given, with what it inherited)."""
        with self._lock:
            return list(self._stored(response_id).inputs)

    # -- conversations ---------------------------------------------------------------------

    def create_conversation(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """A new conversation, with its first items, from a checked body."""
        record: dict[str, Any] = {
            "id": new_id("conv_"),
            "object": "conversation",
            "created_at": int(time.time()),
            "metadata": body.get("metadata") or {},
        }
        with self._lock:
            self.conversations[record["id"]] = record
            self.items[record["id"]] = {}
            self.add_items(record["id"], body.get("items") or ())
        return record

    def conversation(self, conversation_id: str) -> dict[str, Any]:
        """A conversation; 404 if there is none."""
        with self._lock:
            return self._conversation(conversation_id)

    def update_conversation(self, conversation_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Set a conversation's ``metadata`` from a checked body."""
        with self._lock:
            record = self._conversation(conversation_id)
            record["metadata"] = body["metadata"] or {}
            return record

    def delete_conversation(self, conversation_id: str) -> None:
        """Forget a conversation and its items."""
        with self._lock:
            self._conversation(conversation_id)
            del self.conversations[conversation_id]
            del self.items[conversation_id]

    def add_items(self, conversation_id: str, items: Iterable[Mapping[str, Any]]) -> list[Any]:
        """Append checked input items to a conversation; return them as stored."""
        with self._lock:
            self._conversation(conversation_id)
            table = self.items[conversation_id]
            added = [stored_item(item) for item in items]
            for item in added:
                table[item["id"]] = item
            return added

    def list_items(self, conversation_id: str) -> list[dict[str, Any]]:
        """A conversation's items, oldest first."""
        with self._lock:
            self._conversation(conversation_id)
            return list(self.items[conversation_id].values())

    def item(self, conversation_id: str, item_id: str) -> dict[str, Any]:
        """An item of a conversation; 404 if there is no such conversation or item."""
        with self._lock:
            return self._item(conversation_id, item_id)

    def delete_item(self, conversation_id: str, item_id: str) -> dict[str, Any]:
        """Remove an item from a conversation; return the conversation."""
        with self._lock:
            self._item(conversation_id, item_id)
            del self.items[conversation_id][item_id]
            return self._conversation(conversation_id)

    # -- lists -----------------------------------------------------------------------------

    def page(self, items: list[dict[str, Any]], query: Mapping[str, str]) -> dict[str, Any]:
        """One page of ``items`` (oldest first) as the query asks: limit, order, after."""
        return page(items, list_query(query, before=False))
