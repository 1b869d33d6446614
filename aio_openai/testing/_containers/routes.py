"""The routes of the fake containers: ``/v1/containers`` and the files of each."""

from __future__ import annotations

from aiohttp import web

from aio_openai.testing._containers.checks import check_create, check_file_create
from aio_openai.testing._containers.state import DATA_DIR, ContainersState
from aio_openai.testing._forms import read_form
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._shapes import deleted, list_query

__all__ = ["add_containers_routes"]


def add_containers_routes(router: web.UrlDispatcher, state: ContainersState) -> None:
    """Register the container and container file routes, serving ``state``."""

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

    async def create_file(request: web.Request) -> Answer:
        container_id = request.match_info["container_id"]
        state.retrieve(container_id)  # 404 before reading the body
        if request.content_type == "multipart/form-data":
            form = await read_form(request, ("file",))
            uploads = form.files.get("file", [])
            file_id = check_file_create(form.fields, len(uploads))
            if file_id is None:
                upload = uploads[0]
                return state.add_file(container_id, DATA_DIR + upload.filename, upload.data)
        else:
            file_id = check_file_create(await read_json_object(request, empty=False), 0)
        assert file_id is not None
        return state.copy_file(container_id, file_id)

    async def file_content(request: web.Request) -> Answer:
        ids = request.match_info
        data = state.file_content(ids["container_id"], ids["file_id"])
        return web.Response(body=data, content_type="application/octet-stream")

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
    router.add_post(container + "/files", api_route(create_file))
    router.add_delete(container + "/files/{file_id}", api_route(delete_file))
    router.add_get(
        container + "/files/{file_id}/content", api_route(file_content), allow_head=False
    )
