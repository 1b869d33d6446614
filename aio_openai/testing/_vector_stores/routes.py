"""The routes of the fake vector stores: ``/v1/vector_stores``, their files, file batches
and search."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from aio_openai.testing._checks import invalid_value
from aio_openai.testing._http import POLL_AFTER_HEADER, Answer, api_route, read_json_object
from aio_openai.testing._shapes import deleted, list_query
from aio_openai.testing._vector_stores.checks import (
    check_add_file,
    check_create,
    check_create_batch,
    check_search,
    check_update,
    check_update_file,
)
from aio_openai.testing._vector_stores.state import VectorStoresState

__all__ = ["add_vector_stores_routes"]

_FILTERS = ("in_progress", "completed", "failed", "cancelled")


def _status_filter(request: web.Request) -> str | None:
    status = request.query.get("filter")
    if status is not None and status not in _FILTERS:
        raise invalid_value("filter", status, _FILTERS)
    return status


def add_vector_stores_routes(router: web.UrlDispatcher, state: VectorStoresState) -> None:
    """Register the vector store routes, serving ``state``."""

    def poll_after() -> Mapping[str, str]:
        ms = state.poll_after_ms
        return {} if ms is None else {POLL_AFTER_HEADER: str(ms)}

    async def create(request: web.Request) -> Answer:
        body = await read_json_object(request)
        check_create(body)
        return state.create(body)

    async def retrieve(request: web.Request) -> Answer:
        return state.retrieve(request.match_info["vector_store_id"])

    async def update(request: web.Request) -> Answer:
        body = await read_json_object(request)
        check_update(body)
        return state.update(request.match_info["vector_store_id"], body)

    async def list_stores(request: web.Request) -> Answer:
        return state.list_stores(list_query(request.query))

    async def delete(request: web.Request) -> Answer:
        store_id = request.match_info["vector_store_id"]
        state.delete(store_id)
        return deleted(store_id, "vector_store.deleted")

    async def search(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_search(body)
        return state.search(request.match_info["vector_store_id"], body)

    async def add_file(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_add_file(body)
        return state.add_file(request.match_info["vector_store_id"], body)

    async def list_files(request: web.Request) -> Answer:
        query = list_query(request.query)
        status = _status_filter(request)
        return state.list_files(request.match_info["vector_store_id"], query, status)

    async def retrieve_file(request: web.Request) -> Answer:
        ids = request.match_info
        return state.file(ids["vector_store_id"], ids["file_id"])

    async def update_file(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_update_file(body)
        ids = request.match_info
        return state.update_file(ids["vector_store_id"], ids["file_id"], body["attributes"])

    async def delete_file(request: web.Request) -> Answer:
        ids = request.match_info
        state.delete_file(ids["vector_store_id"], ids["file_id"])
        return deleted(ids["file_id"], "vector_store.file.deleted")

    async def file_content(request: web.Request) -> Answer:
        ids = request.match_info
        return state.file_content(ids["vector_store_id"], ids["file_id"])

    async def create_batch(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_create_batch(body)
        return state.create_batch(request.match_info["vector_store_id"], body)

    async def retrieve_batch(request: web.Request) -> Answer:
        ids = request.match_info
        return state.batch(ids["vector_store_id"], ids["batch_id"])

    async def cancel_batch(request: web.Request) -> Answer:
        ids = request.match_info
        return state.cancel_batch(ids["vector_store_id"], ids["batch_id"])

    async def list_batch_files(request: web.Request) -> Answer:
        ids = request.match_info
        query = list_query(request.query)
        status = _status_filter(request)
        return state.list_files(ids["vector_store_id"], query, status, ids["batch_id"])

    store = "/v1/vector_stores/{vector_store_id}"
    file = store + "/files/{file_id}"
    batch = store + "/file_batches/{batch_id}"
    router.add_post("/v1/vector_stores", api_route(create))
    router.add_get("/v1/vector_stores", api_route(list_stores), allow_head=False)
    router.add_get(store, api_route(retrieve, headers=poll_after), allow_head=False)
    router.add_post(store, api_route(update))
    router.add_delete(store, api_route(delete))
    router.add_post(store + "/search", api_route(search))
    router.add_post(store + "/files", api_route(add_file))
    router.add_get(store + "/files", api_route(list_files), allow_head=False)
    router.add_get(file, api_route(retrieve_file, headers=poll_after), allow_head=False)
    router.add_post(file, api_route(update_file))
    router.add_delete(file, api_route(delete_file))
    router.add_get(file + "/content", api_route(file_content), allow_head=False)
    router.add_post(store + "/file_batches", api_route(create_batch))
    router.add_get(batch, api_route(retrieve_batch, headers=poll_after), allow_head=False)
    router.add_post(batch + "/cancel", api_route(cancel_batch))
    router.add_get(batch + "/files", api_route(list_batch_files), allow_head=False)
