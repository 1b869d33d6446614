"""The route of the fake moderations: ``POST /v1/moderations``."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from aio_openai.testing._checks import APIError, wrong_type
from aio_openai.testing._http import Answer, JSONOperation, api_route, read_json_object
from aio_openai.testing._moderations.checks import moderation_inputs
from aio_openai.testing._moderations.state import DEFAULT_MODEL, ModerationsState

__all__ = ["add_moderations_routes", "moderation_operations"]


def moderation_operations(state: ModerationsState) -> dict[str, JSONOperation]:
    """The JSON operation of ``POST /v1/moderations``: a body in, the answer out."""

    def create(body: dict[str, Any]) -> dict[str, Any]:
        model = body.get("model")
        if model is None:
            model = DEFAULT_MODEL
        if not isinstance(model, str):
            raise wrong_type("model", "a string", model)
        inputs = moderation_inputs(body)
        if model.startswith("text-moderation") and any(
            kind == "image" for parts in inputs for kind, _ in parts
        ):
            raise APIError(400, f"Model {model} does not support image inputs.", param="input")
        return state.moderate(model, inputs)

    return {"/v1/moderations": create}


def add_moderations_routes(router: web.UrlDispatcher, state: ModerationsState) -> None:
    """Register ``POST /v1/moderations``, serving ``state``."""
    create = moderation_operations(state)["/v1/moderations"]

    async def create_moderation(request: web.Request) -> Answer:
        return create(await read_json_object(request, empty=False))

    router.add_post("/v1/moderations", api_route(create_moderation))
