"""The routes of decisions, safety records and content provenance checks: ``/v1/decisions``,
``/v1/safety/alerts/{id}``, ``/v1/safety/cases/{id}``, ``/v1/content_provenance_checks``."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from aio_openai.testing._checks import APIError, missing
from aio_openai.testing._forms import read_form
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._safety.checks import check_decision
from aio_openai.testing._safety.decisions import decide
from aio_openai.testing._safety.provenance import provenance_results
from aio_openai.testing._safety.state import SafetyState

__all__ = ["add_safety_routes"]


def add_safety_routes(router: web.UrlDispatcher, state: SafetyState) -> None:
    """Register the decision, safety and content provenance routes, serving ``state``."""

    async def create_decision(request: web.Request) -> Answer:
        body: dict[str, Any] = await read_json_object(request, empty=False)
        check_decision(body)
        return decide(body)

    async def alert(request: web.Request) -> Answer:
        return state.alert(request.match_info["id"])

    async def case(request: web.Request) -> Answer:
        return state.case(request.match_info["id"])

    async def provenance_check(request: web.Request) -> Answer:
        form = await read_form(request, ("file",))
        uploads = form.files.get("file", [])
        if not uploads:
            raise missing("file")
        if len(uploads) > 1:
            raise APIError(400, "Only one file can be checked at a time.", param="file")
        return {
            "object": "content_provenance_check",
            "created_at": int(time.time()),
            "results": provenance_results(uploads[0].data),
        }

    router.add_post("/v1/decisions", api_route(create_decision))
    router.add_get("/v1/safety/alerts/{id}", api_route(alert), allow_head=False)
    router.add_get("/v1/safety/cases/{id}", api_route(case), allow_head=False)
    router.add_post("/v1/content_provenance_checks", api_route(provenance_check))
