"""The routes of the fake Fine-tuning API: ``/v1/fine_tuning/...``.

A call that ends a job sends the webhook events it causes before answering.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from aio_openai.testing._checks import invalid_value
from aio_openai.testing._fine_tuning.checks import (
    check_create,
    check_grader_run,
    check_grader_validate,
    check_permissions,
)
from aio_openai.testing._fine_tuning.graders import run_grader
from aio_openai.testing._fine_tuning.state import FineTuningState
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._shapes import ListQuery, list_query
from aio_openai.testing._webhooks import WebhooksState, deliver

__all__ = ["add_fine_tuning_routes"]

_JOB = "/v1/fine_tuning/jobs/{fine_tuning_job_id}"
_PERMISSIONS = "/v1/fine_tuning/checkpoints/{fine_tuned_model_checkpoint}/permissions"
_PERMISSION_ORDERS = {"ascending": "asc", "descending": "desc"}


def _permission_query(query: Mapping[str, str]) -> ListQuery:
    """A permissions list's query: ``order`` is ``ascending``/``descending`` (default
    descending), ``limit`` defaults to 10."""
    order = query.get("order", "descending")
    if order not in _PERMISSION_ORDERS:
        raise invalid_value("order", order, tuple(_PERMISSION_ORDERS))
    plain = {k: v for k, v in query.items() if k != "order"}
    plain.setdefault("limit", "10")
    paging = list_query(plain, before=False)
    return ListQuery(paging.limit, _PERMISSION_ORDERS[order], paging.after)


def add_fine_tuning_routes(
    router: web.UrlDispatcher, state: FineTuningState, webhooks: WebhooksState
) -> None:
    """Register the jobs, checkpoint permissions and graders routes, serving ``state``; the
    events go out through ``webhooks``."""

    async def create(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_create(body)
        answer = state.create(body)
        await deliver(webhooks, webhooks.take_due())
        return answer

    async def retrieve(request: web.Request) -> Answer:
        answer = state.retrieve(request.match_info["fine_tuning_job_id"])
        await deliver(webhooks, webhooks.take_due())
        return answer

    async def list_jobs(request: web.Request) -> Answer:
        metadata = {
            key[len("metadata[") : -1]: value
            for key, value in request.query.items()
            if key.startswith("metadata[") and key.endswith("]")
        }
        return state.list_jobs(list_query(request.query, before=False), metadata)

    async def cancel(request: web.Request) -> Answer:
        answer = state.cancel(request.match_info["fine_tuning_job_id"])
        await deliver(webhooks, webhooks.take_due())
        return answer

    async def pause(request: web.Request) -> Answer:
        return state.pause(request.match_info["fine_tuning_job_id"])

    async def resume(request: web.Request) -> Answer:
        return state.resume(request.match_info["fine_tuning_job_id"])

    async def list_events(request: web.Request) -> Answer:
        query = list_query(request.query, before=False)
        return state.list_events(request.match_info["fine_tuning_job_id"], query)

    async def list_checkpoints(request: web.Request) -> Answer:
        query = list_query(request.query, before=False)
        return state.list_checkpoints(request.match_info["fine_tuning_job_id"], query)

    async def create_permissions(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        checkpoint = request.match_info["fine_tuned_model_checkpoint"]
        return state.create_permissions(checkpoint, check_permissions(body))

    async def list_permissions(request: web.Request) -> Answer:
        checkpoint = request.match_info["fine_tuned_model_checkpoint"]
        query = _permission_query(request.query)
        return state.list_permissions(checkpoint, query, request.query.get("project_id"))

    async def delete_permission(request: web.Request) -> Answer:
        ids = request.match_info
        return state.delete_permission(ids["fine_tuned_model_checkpoint"], ids["permission_id"])

    async def run(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_grader_run(body)
        return run_grader(body)

    async def validate(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_grader_validate(body)
        return {"grader": body["grader"]}

    router.add_post("/v1/fine_tuning/jobs", api_route(create))
    router.add_get("/v1/fine_tuning/jobs", api_route(list_jobs), allow_head=False)
    router.add_get(_JOB, api_route(retrieve), allow_head=False)
    router.add_post(_JOB + "/cancel", api_route(cancel))
    router.add_post(_JOB + "/pause", api_route(pause))
    router.add_post(_JOB + "/resume", api_route(resume))
    router.add_get(_JOB + "/events", api_route(list_events), allow_head=False)
    router.add_get(_JOB + "/checkpoints", api_route(list_checkpoints), allow_head=False)
    router.add_post(_PERMISSIONS, api_route(create_permissions))
    router.add_get(_PERMISSIONS, api_route(list_permissions), allow_head=False)
    router.add_delete(_PERMISSIONS + "/{permission_id}", api_route(delete_permission))
    router.add_post("/v1/fine_tuning/alpha/graders/run", api_route(run))
    router.add_post("/v1/fine_tuning/alpha/graders/validate", api_route(validate))
