"""The routes of the fake containers: ``/v1/containers`` and the files of each."""

from __future__ import annotations

from aiohttp import web

from aio_openai.testing._containers.checks import check_create
from aio_openai.testing._containers.state import ContainersState
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._shapes import deleted, list_query

__all__ = ["add_containers_routes"]


def add_containers_routes(router: web.UrlDispatcher, state: ContainersState) -> None:
    """Register the container and container file routes (but uploading and reading a file's
    content), serving ``state``."""

    async def create(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_create(body)
        return state.create(body)

    async def retrieve(request: web.Request) -> Answer:
        return state.retrieve(request.match_info["container_id"])

    async def list_containers(request: web.Request) -> Answer:
        query = list_query(request.query, before=False)
        return state.list_containers(query, request.query.get("name"))

    async def delete(request: web.Request) -> Answer:
        container_id = request.match_info["container_id"]
        state.delete(container_id)
        return deleted(container_id, "container.deleted")

    async def list_files(request: web.Request) -> Answer:
        query = list_query(request.query, before=False)
        return state.list_files(request.match_info["container_id"], query)

    async def retrieve_file(request: web.Request) -> Answer:
        ids = request.match_info
        return state.file(ids["container_id"], ids["file_id"])

    async def delete_file(request: web.Request) -> Answer:
        ids = request.match_info
        state.delete_file(ids["container_id"], ids["file_id"])
        return deleted(ids["file_id"], "container.file.deleted")

    container = "/v1/containers/{container_id}"
    router.add_post("/v1/containers", api_route(create))
    router.add_get("/v1/containers", api_route(list_containers), allow_head=False)
    router.add_get(container, api_route(retrieve), allow_head=False)
    router.add_delete(container, api_route(delete))
    router.add_get(container + "/files", api_route(list_files), allow_head=False)
    router.add_get(container + "/files/{file_id}", api_route(retrieve_file), allow_head=False)
    router.add_delete(container + "/files/{file_id}", api_route(delete_file))
