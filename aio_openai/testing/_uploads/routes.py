"""The routes of the fake Uploads API."""

from __future__ import annotations

from aiohttp import web

from aio_openai.testing._checks import APIError, missing
from aio_openai.testing._forms import read_form
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._uploads.checks import check_complete, check_create
from aio_openai.testing._uploads.state import UploadsState

__all__ = ["add_uploads_routes"]


def add_uploads_routes(router: web.UrlDispatcher, state: UploadsState) -> None:
    """Register ``POST /v1/uploads`` and an upload's ``parts``, ``complete`` and ``cancel``,
    serving ``state``."""

    async def create(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_create(body)
        return state.create(body)

    async def add_part(request: web.Request) -> Answer:
        upload_id = request.match_info["upload_id"]
        state.get(upload_id)  # an unknown upload is a 404 before the body is read
        form = await read_form(request, ("data",))
        if form.fields:
            name = next(iter(form.fields))
            raise APIError(400, f"Unrecognized request argument supplied: {name}")
        data = form.files.get("data")
        if not data:
            raise missing("data")
        if len(data) > 1:
            raise APIError(400, "A part holds one file.", param="data")
        return state.add_part(upload_id, data[0].data)

    async def complete(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_complete(body)
        return state.complete(request.match_info["upload_id"], body["part_ids"], body.get("md5"))

    async def cancel(request: web.Request) -> Answer:
        return state.cancel(request.match_info["upload_id"])

    upload = "/v1/uploads/{upload_id}"
    router.add_post("/v1/uploads", api_route(create))
    router.add_post(upload + "/parts", api_route(add_part))
    router.add_post(upload + "/complete", api_route(complete))
    router.add_post(upload + "/cancel", api_route(cancel))
