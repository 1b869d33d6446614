"""The routes of the fake evals: ``/v1/evals``, their runs and the runs' output items."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from aiohttp import web

from aio_openai.testing._checks import invalid_value
from aio_openai.testing._evals.checks import check_create, check_run_create, check_update
from aio_openai.testing._evals.state import EvalsState
from aio_openai.testing._http import JSON, Answer, api_route, dumps, read_json_object
from aio_openai.testing._shapes import ListQuery, list_query

__all__ = ["add_evals_routes"]

_ORDER_BY: Final = ("created_at", "updated_at")
_RUN_STATUSES: Final = ("queued", "in_progress", "completed", "canceled", "failed")
_ITEM_STATUSES: Final = ("fail", "pass")


def _ascending(query: Mapping[str, str]) -> ListQuery:
    """The paging of an evals list: oldest first unless ``order`` says otherwise."""
    return list_query({"order": "asc", **query}, before=False)


def _choice(query: Mapping[str, str], key: str, allowed: tuple[str, ...]) -> str | None:
    value = query.get(key)
    if value is not None and value not in allowed:
        raise invalid_value(key, value, allowed)
    return value


def _created(value: Mapping[str, object]) -> web.Response:
    """OpenAI's answer to a create of the Evals API: 201 and the new object."""
    return web.Response(status=201, body=dumps(value), content_type=JSON)


def add_evals_routes(router: web.UrlDispatcher, state: EvalsState) -> None:
    """Register the eval, run and output item routes, serving ``state``."""

    async def create(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_create(body)
        return _created(state.create(body))

    async def retrieve(request: web.Request) -> Answer:
        return state.retrieve(request.match_info["eval_id"])

    async def update(request: web.Request) -> Answer:
        eval_id = request.match_info["eval_id"]
        body = await read_json_object(request)
        check_update(body)
        return state.update(eval_id, body)

    async def list_evals(request: web.Request) -> Answer:
        order_by = _choice(request.query, "order_by", _ORDER_BY) or "created_at"
        return state.list_evals(_ascending(request.query), order_by)

    async def delete(request: web.Request) -> Answer:
        eval_id = request.match_info["eval_id"]
        state.delete(eval_id)
        return {"object": "eval.deleted", "deleted": True, "eval_id": eval_id}

    async def create_run(request: web.Request) -> Answer:
        eval_id = request.match_info["eval_id"]
        state.retrieve(eval_id)  # 404 before reading the body
        body = await read_json_object(request, empty=False)
        check_run_create(body)
        return _created(state.create_run(eval_id, body))

    async def retrieve_run(request: web.Request) -> Answer:
        ids = request.match_info
        return state.retrieve_run(ids["eval_id"], ids["run_id"])

    async def list_runs(request: web.Request) -> Answer:
        status = _choice(request.query, "status", _RUN_STATUSES)
        return state.list_runs(request.match_info["eval_id"], _ascending(request.query), status)

    async def cancel_run(request: web.Request) -> Answer:
        ids = request.match_info
        return state.cancel_run(ids["eval_id"], ids["run_id"])

    async def delete_run(request: web.Request) -> Answer:
        ids = request.match_info
        state.delete_run(ids["eval_id"], ids["run_id"])
        return {"object": "eval.run.deleted", "deleted": True, "run_id": ids["run_id"]}

    async def output_item(request: web.Request) -> Answer:
        ids = request.match_info
        return state.output_item(ids["eval_id"], ids["run_id"], ids["output_item_id"])

    async def list_output_items(request: web.Request) -> Answer:
        ids = request.match_info
        status = _choice(request.query, "status", _ITEM_STATUSES)
        query = _ascending(request.query)
        return state.list_output_items(ids["eval_id"], ids["run_id"], query, status)

    one = "/v1/evals/{eval_id}"
    run = one + "/runs/{run_id}"
    router.add_post("/v1/evals", api_route(create))
    router.add_get("/v1/evals", api_route(list_evals), allow_head=False)
    router.add_get(one, api_route(retrieve), allow_head=False)
    router.add_post(one, api_route(update))
    router.add_delete(one, api_route(delete))
    router.add_post(one + "/runs", api_route(create_run))
    router.add_get(one + "/runs", api_route(list_runs), allow_head=False)
    router.add_get(run, api_route(retrieve_run), allow_head=False)
    router.add_post(run, api_route(cancel_run))
    router.add_delete(run, api_route(delete_run))
    router.add_get(run + "/output_items", api_route(list_output_items), allow_head=False)
    router.add_get(run + "/output_items/{output_item_id}", api_route(output_item), allow_head=False)
