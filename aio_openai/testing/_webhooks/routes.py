"""The routes of the fake webhook endpoints: ``/v1/webhook_endpoints``, its ``rotate_secret``
and ``test``, and ``/v1/webhook_event_types``."""

from __future__ import annotations

from aiohttp import web

from aio_openai.testing._checks import check_boolean
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._shapes import list_query
from aio_openai.testing._webhooks.checks import EVENT_TYPES, check_endpoint
from aio_openai.testing._webhooks.delivery import deliver
from aio_openai.testing._webhooks.state import WebhooksState

__all__ = ["add_webhooks_routes"]


def add_webhooks_routes(router: web.UrlDispatcher, state: WebhooksState) -> None:
    """Register the webhook endpoint routes, serving ``state``."""

    async def create(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_endpoint(body, create=True)
        return state.create(body)

    async def retrieve(request: web.Request) -> Answer:
        return state.retrieve(request.match_info["endpoint_id"])

    async def update(request: web.Request) -> Answer:
        endpoint_id = request.match_info["endpoint_id"]
        body = await read_json_object(request)
        state.retrieve(endpoint_id)
        check_endpoint(body, create=False)
        return state.update(endpoint_id, body)

    async def list_endpoints(request: web.Request) -> Answer:
        return state.list_endpoints(list_query(request.query, before=False))

    async def delete(request: web.Request) -> Answer:
        return state.delete(request.match_info["endpoint_id"])

    async def rotate_secret(request: web.Request) -> Answer:
        body = await read_json_object(request)
        check_boolean(body, "keep_old_secret_active_for_24_hours")
        keep_old = bool(body.get("keep_old_secret_active_for_24_hours"))
        return state.rotate_secret(request.match_info["endpoint_id"], keep_old=keep_old)

    async def test(request: web.Request) -> Answer:
        endpoint_id = request.match_info["endpoint_id"]
        body = await read_json_object(request)
        delivery = state.test_delivery(endpoint_id, body.get("event_type"))
        (status,) = await deliver(state, [delivery])
        return {
            "object": "webhook_endpoint.test",
            "webhook_endpoint_id": endpoint_id,
            "event_type": delivery.event["type"],
            "status_code": status,
            "success": 200 <= status < 300,
        }

    async def event_types(request: web.Request) -> Answer:
        return {"object": "list", "data": list(EVENT_TYPES)}

    endpoint = "/v1/webhook_endpoints/{endpoint_id}"
    router.add_post("/v1/webhook_endpoints", api_route(create))
    router.add_get("/v1/webhook_endpoints", api_route(list_endpoints), allow_head=False)
    router.add_get(endpoint, api_route(retrieve), allow_head=False)
    router.add_post(endpoint, api_route(update))
    router.add_delete(endpoint, api_route(delete))
    router.add_post(endpoint + "/rotate_secret", api_route(rotate_secret))
    router.add_post(endpoint + "/test", api_route(test))
    router.add_get("/v1/webhook_event_types", api_route(event_types), allow_head=False)
