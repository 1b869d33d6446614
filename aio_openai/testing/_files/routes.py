"""The routes of the fake files store: upload (multipart), retrieve, list, delete and the
content of a file."""

from __future__ import annotations

from aiohttp import web

from aio_openai.testing._files.checks import check_create
from aio_openai.testing._files.state import FilesState
from aio_openai.testing._forms import read_form
from aio_openai.testing._http import Answer, api_route
from aio_openai.testing._shapes import deleted, list_query

__all__ = ["add_files_routes"]


def add_files_routes(router: web.UrlDispatcher, state: FilesState) -> None:
    """Register ``POST|GET /v1/files``, ``GET|DELETE /v1/files/{file_id}`` and
    ``GET /v1/files/{file_id}/content``, serving ``state``."""

    async def create(request: web.Request) -> Answer:
        upload, purpose, seconds = check_create(await read_form(request, ("file",)))
        return state.add_file(
            upload.data, purpose=purpose, filename=upload.filename, expires_in=seconds
        )

    async def retrieve(request: web.Request) -> Answer:
        return state.get(request.match_info["file_id"])

    async def list_files(request: web.Request) -> Answer:
        return state.list_files(
            list_query(request.query, before=False), request.query.get("purpose")
        )

    async def delete(request: web.Request) -> Answer:
        file_id = request.match_info["file_id"]
        state.delete(file_id)
        return deleted(file_id, "file")

    async def content(request: web.Request) -> Answer:
        data = state.content(request.match_info["file_id"])
        return web.Response(body=data, content_type="application/octet-stream")

    router.add_post("/v1/files", api_route(create))
    router.add_get("/v1/files", api_route(list_files))
    router.add_get("/v1/files/{file_id}", api_route(retrieve))
    router.add_delete("/v1/files/{file_id}", api_route(delete))
    router.add_get("/v1/files/{file_id}/content", api_route(content))
