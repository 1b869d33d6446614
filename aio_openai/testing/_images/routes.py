"""The routes of the fake Images API: generations, edits, variations (whole or streamed),
and the pictures answered as URLs."""

from __future__ import annotations

import base64
import time
from typing import Any

from aiohttp import web

from aio_openai.testing._audio.checks import check_model
from aio_openai.testing._checks import APIError
from aio_openai.testing._forms import read_form
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._images.checks import (
    Request,
    as_json,
    check_image_file,
    required_files,
)
from aio_openai.testing._images.png import png
from aio_openai.testing._images.state import ImagesState
from aio_openai.testing._provenance import mark_png
from aio_openai.testing._sse import frame, send_events

__all__ = ["add_images_routes"]


def _usage(prompt: str, n: int) -> dict[str, Any]:
    text = max(1, (len(prompt) + 3) // 4)
    output = 1056 * n
    return {
        "input_tokens": text,
        "input_tokens_details": {"text_tokens": text, "image_tokens": 0},
        "output_tokens": output,
        "total_tokens": text + output,
    }


def add_images_routes(router: web.UrlDispatcher, state: ImagesState) -> None:
    """Register ``POST /v1/images/generations|edits|variations`` and ``GET
    /fake-images/{name}``, serving ``state``."""

    async def answer(request: web.Request, checked: Request, seed: str, kind: str) -> Answer:
        alpha = checked.background == "transparent"
        created = int(time.time())
        if checked.stream:
            return await send_events(request, _events(checked, seed, kind, alpha, created))
        data = []
        for i in range(checked.n):
            picture = png(checked.width, checked.height, f"{seed}#{i}", alpha=alpha)
            picture = mark_png(picture, model=checked.model, generated_at=created)
            if checked.b64:
                item: dict[str, Any] = {"b64_json": base64.b64encode(picture).decode()}
            else:
                item = {"url": f"{request.url.origin()}/fake-images/{state.keep(picture)}"}
            if checked.model == "dall-e-3":
                item["revised_prompt"] = checked.prompt
            data.append(item)
        body: dict[str, Any] = {"created": created, "data": data}
        if checked.gpt:
            body.update(
                background=checked.background,
                output_format=checked.output_format,
                size=checked.size,
                quality=checked.quality,
                usage=_usage(checked.prompt, checked.n),
            )
        return body

    async def generate(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        checked = Request(body, edit=False, variation=False)
        return await answer(request, checked, checked.prompt, "image_generation")

    async def edit(request: web.Request) -> Answer:
        form = await read_form(request, ("image", "mask", "markup"))
        body = as_json(form.fields)
        if body.get("model"):
            check_model(body, state.knows_model)
        images = required_files(form.files, "image")
        model = body.get("model") or "dall-e-2"
        if model.startswith("dall-e") and len(images) > 1:
            raise APIError(400, f"Model '{model}' takes one image.", param="image")
        sizes = [
            check_image_file(image, f"image {i}", square=model.startswith("dall-e"))
            for i, image in enumerate(images, 1)
        ]
        for mask in form.files.get("mask", []):
            if check_image_file(mask, "mask", square=False) != sizes[0]:
                raise APIError(400, "The mask must have the same size as the image.", param="mask")
        if not body.get("size") and model.startswith("dall-e"):
            body["size"] = f"{sizes[0][0]}x{sizes[0][1]}"
        checked = Request(body, edit=True, variation=False)
        seed = checked.prompt + "".join(str(len(i.data)) for i in images)
        return await answer(request, checked, seed, "image_edit")

    async def variation(request: web.Request) -> Answer:
        form = await read_form(request, ("image",))
        body = as_json(form.fields)
        if body.get("model"):
            check_model(body, state.knows_model)
        image = required_files(form.files, "image")[0]
        check_image_file(image, "image", square=True)
        checked = Request(body, edit=False, variation=True)
        return await answer(request, checked, f"variation of {len(image.data)}", "")

    async def picture(request: web.Request) -> Answer:
        return web.Response(
            body=state.picture(request.match_info["name"]), content_type="image/png"
        )

    router.add_post("/v1/images/generations", api_route(generate))
    router.add_post("/v1/images/edits", api_route(edit))
    router.add_post("/v1/images/variations", api_route(variation))
    router.add_get("/fake-images/{name}", api_route(picture))


def _events(checked: Request, seed: str, kind: str, alpha: bool, created: int) -> list[bytes]:
    """A streamed answer: each image's partial images (drawn a little further each time),
    then the image itself."""
    frames = []
    common = {
        "created_at": created,
        "size": checked.size,
        "quality": checked.quality,
        "background": checked.background,
        "output_format": checked.output_format,
    }
    for i in range(checked.n):
        image_seed = f"{seed}#{i}"
        for index in range(checked.partial_images):
            drawn = (index + 1) / (checked.partial_images + 1)
            picture = png(checked.width, checked.height, image_seed, alpha=alpha, drawn=drawn)
            event: dict[str, Any] = {
                "type": f"{kind}.partial_image",
                "b64_json": base64.b64encode(picture).decode(),
                "partial_image_index": index,
                **common,
            }
            frames.append(frame(event, event=event["type"]))
        picture = png(checked.width, checked.height, image_seed, alpha=alpha)
        picture = mark_png(picture, model=checked.model, generated_at=created)
        done: dict[str, Any] = {
            "type": f"{kind}.completed",
            "b64_json": base64.b64encode(picture).decode(),
            **common,
            "usage": _usage(checked.prompt, 1),
        }
        frames.append(frame(done, event=done["type"]))
    return frames
