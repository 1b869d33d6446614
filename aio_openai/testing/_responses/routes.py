"""The routes of the fake Responses and Conversations APIs (``/v1/responses``, ...).

Each route reads its ids and body, checks the body (:mod:`.checks`), calls an operation of
the state (:mod:`.state`) and answers with the record, or with server-sent events
(:mod:`.stream`); ``GET /v1/responses`` is the WebSocket of the same API (:mod:`.socket`).
Retrieve and cancel answers carry ``openai-poll-after-ms`` unless the state's
``poll_after_ms`` is None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web

from aio_openai.testing._checks import missing
from aio_openai.testing._http import (
    POLL_AFTER_HEADER,
    Answer,
    JSONOperation,
    api_route,
    read_json_object,
)
from aio_openai.testing._responses.checks import (
    PARSE_ERROR,
    check_compact,
    check_conversation_create,
    check_conversation_update,
    check_count,
    check_create,
    check_items,
    starting_after,
)
from aio_openai.testing._responses.socket import ResponsesSocket
from aio_openai.testing._responses.state import ResponsesState
from aio_openai.testing._responses.stream import event_frames, stream_events
from aio_openai.testing._shapes import deleted, list_query, page
from aio_openai.testing._sse import send_events
from aio_openai.testing._ws import serve_session

__all__ = ["add_responses_routes", "responses_operations"]

_STREAM_VALUES = ("true", "1")


def responses_operations(state: ResponsesState) -> dict[str, JSONOperation]:
    """The JSON operation of ``POST /v1/responses``: a checked body in, the stored response's
    record out (what a batch's lines run through)."""

    def create(body: dict[str, Any]) -> dict[str, Any]:
        check_create(body)
        return state.create_response(body).record

    return {"/v1/responses": create}


class _Routes:
    """The route handlers, serving one state."""

    def __init__(self, state: ResponsesState) -> None:
        self.state = state

    def poll_after(self) -> Mapping[str, str]:
        """The header of retrieve and cancel answers (none when ``poll_after_ms`` is None)."""
        poll_after_ms = self.state.poll_after_ms
        return {} if poll_after_ms is None else {POLL_AFTER_HEADER: str(poll_after_ms)}

    # -- responses -------------------------------------------------------------------------

    async def create_response(self, request: web.Request) -> Answer:
        body = await read_json_object(request, parse_error=PARSE_ERROR)
        check_create(body, beta=request.query.get("beta") == "true")
        stored = self.state.create_response(body)
        if not body.get("stream"):
            return stored.record
        events = stream_events(stored.final, self.state.chunk_size)
        return await send_events(request, event_frames(events), error_event="error")

    async def get_response(self, request: web.Request) -> Answer:
        response_id = request.match_info["response_id"]
        if request.query.get("stream") not in _STREAM_VALUES:
            return self.state.retrieve_response(response_id)
        start = starting_after(request.query)
        final = self.state.replay_response(response_id)
        events = [
            e for e in stream_events(final, self.state.chunk_size) if e["sequence_number"] > start
        ]
        return await send_events(request, event_frames(events), error_event="error")

    async def delete_response(self, request: web.Request) -> Answer:
        response_id = request.match_info["response_id"]
        self.state.delete_response(response_id)
        return deleted(response_id, "response")

    async def cancel_response(self, request: web.Request) -> Answer:
        return self.state.cancel_response(request.match_info["response_id"])

    async def compact(self, request: web.Request) -> Answer:
        body = await read_json_object(request, parse_error=PARSE_ERROR)
        check_compact(body)
        return self.state.compact(body)

    async def count_input_tokens(self, request: web.Request) -> Answer:
        body = await read_json_object(request, parse_error=PARSE_ERROR)
        check_count(body)
        return self.state.count_input_tokens(body)

    async def list_input_items(self, request: web.Request) -> Answer:
        items = self.state.input_items(request.match_info["response_id"])
        return page(items, list_query(request.query, before=False))

    # -- conversations ---------------------------------------------------------------------

    async def create_conversation(self, request: web.Request) -> Answer:
        body = await read_json_object(request, parse_error=PARSE_ERROR)
        check_conversation_create(body)
        return self.state.create_conversation(body)

    async def get_conversation(self, request: web.Request) -> Answer:
        return self.state.conversation(request.match_info["conversation_id"])

    async def update_conversation(self, request: web.Request) -> Answer:
        conversation_id = request.match_info["conversation_id"]
        body = await read_json_object(request, parse_error=PARSE_ERROR)
        self.state.conversation(conversation_id)
        check_conversation_update(body)
        return self.state.update_conversation(conversation_id, body)

    async def delete_conversation(self, request: web.Request) -> Answer:
        conversation_id = request.match_info["conversation_id"]
        self.state.delete_conversation(conversation_id)
        return deleted(conversation_id, "conversation.deleted")

    async def create_items(self, request: web.Request) -> Answer:
        conversation_id = request.match_info["conversation_id"]
        body = await read_json_object(request, parse_error=PARSE_ERROR)
        self.state.conversation(conversation_id)
        if body.get("items") is None:
            raise missing("items")
        added = self.state.add_items(conversation_id, check_items(body["items"], "items"))
        return {
            "object": "list",
            "data": added,
            "first_id": added[0]["id"] if added else None,
            "last_id": added[-1]["id"] if added else None,
            "has_more": False,
        }

    async def list_items(self, request: web.Request) -> Answer:
        items = self.state.list_items(request.match_info["conversation_id"])
        return page(items, list_query(request.query, before=False))

    async def get_item(self, request: web.Request) -> Answer:
        ids = request.match_info
        return self.state.item(ids["conversation_id"], ids["item_id"])

    async def delete_item(self, request: web.Request) -> Answer:
        ids = request.match_info
        return self.state.delete_item(ids["conversation_id"], ids["item_id"])


def add_responses_routes(
    router: web.UrlDispatcher,
    state: ResponsesState,
    knows_model: Callable[[str], bool] = lambda model: True,
) -> None:
    """Register the ``/v1/responses`` and ``/v1/conversations`` routes, serving ``state``
    (``GET /v1/responses`` is the WebSocket; ``knows_model`` checks its events' models)."""
    routes = _Routes(state)

    async def connect(request: web.Request) -> web.StreamResponse:
        return await serve_session(request, ResponsesSocket(state, knows_model))

    response = "/v1/responses/{response_id}"
    conversation = "/v1/conversations/{conversation_id}"
    router.add_post("/v1/responses", api_route(routes.create_response))
    router.add_get("/v1/responses", connect, allow_head=False)
    router.add_post("/v1/responses/compact", api_route(routes.compact))
    router.add_post("/v1/responses/input_tokens", api_route(routes.count_input_tokens))
    router.add_get(
        response, api_route(routes.get_response, headers=routes.poll_after), allow_head=False
    )
    router.add_delete(response, api_route(routes.delete_response))
    router.add_post(
        response + "/cancel", api_route(routes.cancel_response, headers=routes.poll_after)
    )
    router.add_get(response + "/input_items", api_route(routes.list_input_items), allow_head=False)
    router.add_post("/v1/conversations", api_route(routes.create_conversation))
    router.add_get(conversation, api_route(routes.get_conversation), allow_head=False)
    router.add_post(conversation, api_route(routes.update_conversation))
    router.add_delete(conversation, api_route(routes.delete_conversation))
    router.add_post(conversation + "/items", api_route(routes.create_items))
    router.add_get(conversation + "/items", api_route(routes.list_items), allow_head=False)
    router.add_get(conversation + "/items/{item_id}", api_route(routes.get_item), allow_head=False)
    router.add_delete(conversation + "/items/{item_id}", api_route(routes.delete_item))
