"""The routes of the fake ChatKit API: ``/v1/chatkit/sessions`` and ``/v1/chatkit/threads``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from aio_openai.testing._chatkit.state import ChatKitState
from aio_openai.testing._checks import (
    check_expiry,
    check_integer,
    check_object,
    check_string,
    missing,
)
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._shapes import deleted, list_query

__all__ = ["add_chatkit_routes", "check_session"]


def check_session(body: Mapping[str, Any]) -> None:
    """OpenAI's 400s for a session's body: ``user``, ``workflow.id``, the expiry (1 to 600
    seconds), the rate limit."""
    check_string(body, "user", required=True, min_length=1)
    if body.get("workflow") is None:
        raise missing("workflow")
    check_object(body, "workflow")
    check_string(body["workflow"], "id", param="workflow.id", required=True, min_length=1)
    for key in ("chatkit_configuration", "rate_limits"):
        check_object(body, key)
    check_expiry(body, "expires_after", anchor="created_at", unit="seconds", low=1, high=600)
    limits = body.get("rate_limits") or {}
    if "max_requests_per_1_minute" in limits:
        check_integer(limits, "max_requests_per_1_minute", 1)


def add_chatkit_routes(router: web.UrlDispatcher, state: ChatKitState) -> None:
    """Register the ChatKit routes, serving ``state``."""

    async def create_session(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_session(body)
        return state.create_session(body)

    async def cancel_session(request: web.Request) -> Answer:
        return state.cancel_session(request.match_info["session_id"])

    async def retrieve_thread(request: web.Request) -> Answer:
        return state.thread(request.match_info["thread_id"])

    async def list_threads(request: web.Request) -> Answer:
        query = list_query(request.query)
        return state.list_threads(query, request.query.get("user"))

    async def delete_thread(request: web.Request) -> Answer:
        thread_id = request.match_info["thread_id"]
        state.delete_thread(thread_id)
        return deleted(thread_id, "chatkit.thread.deleted")

    async def list_items(request: web.Request) -> Answer:
        return state.list_items(request.match_info["thread_id"], list_query(request.query))

    thread = "/v1/chatkit/threads/{thread_id}"
    router.add_post("/v1/chatkit/sessions", api_route(create_session))
    router.add_post("/v1/chatkit/sessions/{session_id}/cancel", api_route(cancel_session))
    router.add_get("/v1/chatkit/threads", api_route(list_threads), allow_head=False)
    router.add_get(thread, api_route(retrieve_thread), allow_head=False)
    router.add_delete(thread, api_route(delete_thread))
    router.add_get(thread + "/items", api_route(list_items), allow_head=False)
