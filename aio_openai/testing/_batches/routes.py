"""The routes of the fake Batch API: ``/v1/batches`` and a batch's ``cancel``.

A call that moves a batch to its end sends the webhook events it causes before answering.
"""

from __future__ import annotations

from aiohttp import web

from aio_openai.testing._batches.checks import check_create
from aio_openai.testing._batches.state import BatchesState
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._shapes import list_query
from aio_openai.testing._webhooks import WebhooksState, deliver

__all__ = ["add_batches_routes"]


def add_batches_routes(
    router: web.UrlDispatcher, state: BatchesState, webhooks: WebhooksState
) -> None:
    """Register ``/v1/batches``, ``/v1/batches/{batch_id}`` and its ``cancel``, serving
    ``state``; the events go out through ``webhooks``."""

    async def create(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_create(body)
        answer = state.create(body)
        await deliver(webhooks, webhooks.take_due())
        return answer

    async def retrieve(request: web.Request) -> Answer:
        answer = state.retrieve(request.match_info["batch_id"])
        await deliver(webhooks, webhooks.take_due())
        return answer

    async def list_batches(request: web.Request) -> Answer:
        return state.list_batches(list_query(request.query, before=False))

    async def cancel(request: web.Request) -> Answer:
        answer = state.cancel(request.match_info["batch_id"])
        await deliver(webhooks, webhooks.take_due())
        return answer

    router.add_post("/v1/batches", api_route(create))
    router.add_get("/v1/batches", api_route(list_batches), allow_head=False)
    router.add_get("/v1/batches/{batch_id}", api_route(retrieve), allow_head=False)
    router.add_post("/v1/batches/{batch_id}/cancel", api_route(cancel))
