"""The routes of the fake videos: ``/v1/videos`` and its edits, extensions, remixes,
characters and downloads."""

from __future__ import annotations

from typing import Any, Final

from aiohttp import web

from aio_openai.testing._checks import invalid_value
from aio_openai.testing._forms import Upload, read_form
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._shapes import deleted, list_query
from aio_openai.testing._videos.checks import (
    SIZES,
    check_character,
    check_create,
    check_prompt,
    check_reference_image,
    check_seconds,
    check_source_video,
    video_reference,
)
from aio_openai.testing._videos.state import Source, VideosState

__all__ = ["VARIANTS", "add_videos_routes"]

#: The files of a video, and their content types.
VARIANTS: Final = {"video": "video/mp4", "thumbnail": "image/png", "spritesheet": "image/png"}


async def _read_body(
    request: web.Request, files: tuple[str, ...]
) -> tuple[dict[str, Any], list[Upload]]:
    """A body's fields and the uploads of its file field: a form (as the SDKs send it) or
    JSON (which OpenAI takes too)."""
    if request.content_type == "multipart/form-data":
        form = await read_form(request, files)
        return form.fields, [u for name in files for u in form.files.get(name, [])]
    return await read_json_object(request, empty=False), []


def _source_body(info_seconds: float, width: int, height: int) -> dict[str, Any]:
    """The length and size of a video made from an uploaded one."""
    size = f"{width}x{height}"
    return {"seconds": max(1, round(info_seconds)), "size": size if size in SIZES else None}


def add_videos_routes(router: web.UrlDispatcher, state: VideosState) -> None:
    """Register the video routes, serving ``state``."""

    async def create(request: web.Request) -> Answer:
        body, uploads = await _read_body(request, ("input_reference",))
        check_create(body)
        source = Source("prompt")
        if uploads:
            check_reference_image(uploads[0], body.get("size") or "720x1280")
            source = Source("prompt", filename=uploads[0].filename)
        elif (body.get("input_reference") or {}).get("file_id") is not None:
            filename = state.reference_file(body["input_reference"]["file_id"])
            source = Source("prompt", filename=filename)
        return state.create(body, source)

    async def retrieve(request: web.Request) -> Answer:
        return state.retrieve(request.match_info["video_id"])

    async def list_videos(request: web.Request) -> Answer:
        return state.list_videos(list_query(request.query, before=False))

    async def delete(request: web.Request) -> Answer:
        video_id = request.match_info["video_id"]
        state.delete(video_id)
        return deleted(video_id, "video.deleted")

    async def content(request: web.Request) -> Answer:
        variant = request.query.get("variant", "video")
        if variant not in VARIANTS:
            raise invalid_value("variant", variant, tuple(VARIANTS))
        data = state.content(request.match_info["video_id"], variant)
        return web.Response(body=data, content_type=VARIANTS[variant])

    async def remix(request: web.Request) -> Answer:
        video_id = request.match_info["video_id"]
        state.get(video_id)  # 404 before reading the body
        body, _ = await _read_body(request, ())
        prompt = check_prompt(body)
        return state.derive(video_id, "remix", prompt)

    async def derived(request: web.Request, kind: str) -> Answer:
        body, uploads = await _read_body(request, ("video",))
        prompt = check_prompt(body)
        if kind == "extension":
            check_seconds(body, required=True)
        extra = int(body.get("seconds") or 0) if kind == "extension" else 0
        video_id = video_reference(body, len(uploads))
        if video_id is not None:
            return state.derive(video_id, kind, prompt, extra, param="video.id")
        info = check_source_video(uploads[0])
        made = _source_body(info.seconds, info.width, info.height)
        made.update(prompt=prompt, seconds=made["seconds"] + extra)
        return state.create(made, Source(kind, filename=uploads[0].filename))

    async def edit(request: web.Request) -> Answer:
        return await derived(request, "edit")

    async def extend(request: web.Request) -> Answer:
        return await derived(request, "extension")

    async def create_character(request: web.Request) -> Answer:
        form = await read_form(request, ("video",))
        check_character(form.fields, form.files.get("video", []))
        return state.create_character(form.fields["name"])

    async def get_character(request: web.Request) -> Answer:
        return state.character(request.match_info["character_id"])

    video = "/v1/videos/{video_id}"
    router.add_post("/v1/videos", api_route(create))
    router.add_get("/v1/videos", api_route(list_videos), allow_head=False)
    router.add_post("/v1/videos/edits", api_route(edit))
    router.add_post("/v1/videos/extensions", api_route(extend))
    router.add_post("/v1/videos/characters", api_route(create_character))
    router.add_get(
        "/v1/videos/characters/{character_id}", api_route(get_character), allow_head=False
    )
    router.add_get(video, api_route(retrieve), allow_head=False)
    router.add_delete(video, api_route(delete))
    router.add_get(video + "/content", api_route(content), allow_head=False)
    router.add_post(video + "/remix", api_route(remix))
