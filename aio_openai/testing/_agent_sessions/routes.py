"""The routes of the fake agent sessions: ``/v1/agents/sessions/...``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from aiohttp import web

from aio_openai.testing._agent_sessions.checks import check_create, check_events, check_update
from aio_openai.testing._agent_sessions.state import SETTLED, AgentSessionsState, Subscription
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._shapes import deleted, list_query
from aio_openai.testing._sse import frame, send_events

__all__ = ["add_agent_sessions_routes"]

_BASE = "/v1/agents/sessions"
_TURN_ENDS = (
    "agent.session.turn.completed",
    "agent.session.turn.failed",
    "agent.session.turn.cancelled",
)


async def _follow(subscription: Subscription, *, turn: bool = True) -> AsyncIterator[bytes]:
    """A subscription's events (frames) until the session settles: fails, runs out of
    budget, or is idle after a turn (with ``turn=False``, idle at all)."""
    turn_ended = False
    while True:
        event = await subscription.queue.get()
        yield frame(event)
        turn_ended = turn_ended or event["type"] in _TURN_ENDS
        if event["type"] in SETTLED and (
            turn_ended or not turn or event["type"] != "agent.session.idle"
        ):
            return


def add_agent_sessions_routes(router: web.UrlDispatcher, state: AgentSessionsState) -> None:
    """Register the agent-session routes, serving ``state``."""

    async def create(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_create(body)
        if body.get("stream") is not True:
            return state.create(body)[0]
        # followed live: the first turn's function calls wait for their results
        subscription = Subscription(asyncio.get_running_loop())
        record, _ = state.create(body, subscription)
        try:
            frames = _follow(subscription, turn=body.get("input") is not None)
            return await send_events(request, frames, error_event="error")
        finally:
            state.unsubscribe(record["id"], subscription)

    async def retrieve(request: web.Request) -> Answer:
        return state.retrieve(request.match_info["session_id"])

    async def update(request: web.Request) -> Answer:
        body = await read_json_object(request)
        check_update(body)
        return state.update(request.match_info["session_id"], body)

    async def list_sessions(request: web.Request) -> Answer:
        query = list_query(request.query, before=False)
        metadata = {
            key[len("metadata[") : -1]: value
            for key, value in request.query.items()
            if key.startswith("metadata[") and key.endswith("]")
        }
        return state.list_sessions(query, request.query.get("agent_id"), metadata)

    async def delete(request: web.Request) -> Answer:
        session_id = request.match_info["session_id"]
        state.delete(session_id)
        return deleted(session_id, "agent.session.deleted")

    async def submit(request: web.Request) -> Answer:
        session_id = request.match_info["session_id"]
        state.retrieve(session_id)  # 404 before reading the body
        state.submit(session_id, check_events(await read_json_object(request, empty=False)))
        return web.Response(status=204)

    async def stream(request: web.Request) -> Answer:
        session_id = request.match_info["session_id"]
        subscription = state.subscribe(session_id, asyncio.get_running_loop())
        try:
            return await send_events(request, _follow(subscription), error_event="error")
        finally:
            state.unsubscribe(session_id, subscription)

    async def items(request: web.Request) -> Answer:
        return state.items(
            request.match_info["session_id"], list_query(request.query, before=False)
        )

    async def turns(request: web.Request) -> Answer:
        return state.turns(
            request.match_info["session_id"], list_query(request.query, before=False)
        )

    async def turn(request: web.Request) -> Answer:
        ids = request.match_info
        return state.turn(ids["session_id"], ids["turn_id"])

    async def turn_items(request: web.Request) -> Answer:
        ids = request.match_info
        query = list_query(request.query, before=False)
        return state.items(ids["session_id"], query, ids["turn_id"])

    async def traces(request: web.Request) -> Answer:
        return state.traces(
            request.match_info["session_id"], list_query(request.query, before=False)
        )

    async def artifacts(request: web.Request) -> Answer:
        query = list_query(request.query, before=False)
        environment = request.query.get("environment_id")
        return state.artifacts(request.match_info["session_id"], query, environment)

    async def artifact(request: web.Request) -> Answer:
        ids = request.match_info
        return state.artifact(ids["session_id"], ids["artifact_id"])

    async def delete_artifact(request: web.Request) -> Answer:
        ids = request.match_info
        state.delete_artifact(ids["session_id"], ids["artifact_id"])
        return deleted(ids["artifact_id"], "agent.session.artifact.deleted")

    async def artifact_content(request: web.Request) -> Answer:
        ids = request.match_info
        content = state.artifact_content(ids["session_id"], ids["artifact_id"])
        return web.Response(body=content, content_type="application/octet-stream")

    async def subagents(request: web.Request) -> Answer:
        query = list_query(request.query, before=False)
        return state.subagents(request.match_info["session_id"], query)

    async def subagent(request: web.Request) -> Answer:
        ids = request.match_info
        return state.subagent(ids["session_id"], ids["subagent_id"])

    async def subagent_items(request: web.Request) -> Answer:
        ids = request.match_info
        query = list_query(request.query, before=False)
        return state.subagent_items(ids["session_id"], ids["subagent_id"], query)

    async def subagent_turns(request: web.Request) -> Answer:
        ids = request.match_info
        query = list_query(request.query, before=False)
        return state.subagent_turns(ids["session_id"], ids["subagent_id"], query)

    async def subagent_turn(request: web.Request) -> Answer:
        ids = request.match_info
        return state.subagent_turn(ids["session_id"], ids["subagent_id"], ids["turn_id"])

    async def subagent_turn_items(request: web.Request) -> Answer:
        ids = request.match_info
        query = list_query(request.query, before=False)
        return state.subagent_items(ids["session_id"], ids["subagent_id"], query, ids["turn_id"])

    one = _BASE + "/{session_id}"
    sub = one + "/subagents/{subagent_id}"
    router.add_post(_BASE, api_route(create))
    router.add_get(_BASE, api_route(list_sessions))
    router.add_get(one, api_route(retrieve))
    router.add_post(one, api_route(update))
    router.add_delete(one, api_route(delete))
    router.add_post(one + "/events", api_route(submit))
    router.add_get(one + "/events", api_route(stream))
    router.add_get(one + "/items", api_route(items))
    router.add_get(one + "/turns", api_route(turns))
    router.add_get(one + "/turns/{turn_id}", api_route(turn))
    router.add_get(one + "/turns/{turn_id}/items", api_route(turn_items))
    router.add_get(one + "/traces", api_route(traces))
    router.add_get(one + "/artifacts", api_route(artifacts))
    router.add_get(one + "/artifacts/{artifact_id}", api_route(artifact))
    router.add_delete(one + "/artifacts/{artifact_id}", api_route(delete_artifact))
    router.add_get(one + "/artifacts/{artifact_id}/content", api_route(artifact_content))
    router.add_get(one + "/subagents", api_route(subagents))
    router.add_get(sub, api_route(subagent))
    router.add_get(sub + "/items", api_route(subagent_items))
    router.add_get(sub + "/turns", api_route(subagent_turns))
    router.add_get(sub + "/turns/{turn_id}", api_route(subagent_turn))
    router.add_get(sub + "/turns/{turn_id}/items", api_route(subagent_turn_items))
