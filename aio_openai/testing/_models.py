"""The ``/v1/models`` routes of the fake server, serving the models of a :class:`FakeState`.

The model table is the fake server's own state (:class:`._state.FakeState`), its bodies
serialized once, so a models answer costs no serialization.
"""

from __future__ import annotations

import json
from typing import Final
from urllib.parse import unquote

from aiohttp import web

from aio_openai.testing._http import json_error, json_response
from aio_openai.testing._state import FakeState, ProtectedModelError

__all__ = ["add_models_routes"]

#: Number of leading ``rel_url.raw_parts`` (``"/"``, ``"v1"``, ``"models"``) before a model id.
_MODEL_ID_PART: Final = 3


def _model_id(request: web.Request) -> str:
    """Return the model id of a ``/v1/models/{model}`` request, percent-decoded exactly once.

    aiohttp's ``match_info`` decodes in two passes; the raw path is the unambiguous source.
    """
    return unquote("/".join(request.rel_url.raw_parts[_MODEL_ID_PART:]))


def _model_not_found(model_id: str) -> web.Response:
    """Return OpenAI's 404 for an unknown model."""
    return json_error(
        404,
        f"The model '{model_id}' does not exist",
        param="model",
        code="model_not_found",
    )


def add_models_routes(router: web.UrlDispatcher, state: FakeState) -> None:
    """Register ``GET /v1/models``, ``GET /v1/models/{model}`` and ``DELETE`` of a model."""

    async def list_models(request: web.Request) -> web.StreamResponse:
        """``GET /v1/models``: every model."""
        return json_response(state.model_list_body())

    async def retrieve_model(request: web.Request) -> web.StreamResponse:
        """``GET /v1/models/{model}``: one model, or 404."""
        model_id = _model_id(request)
        body = state.model_body(model_id)
        if body is None:
            return _model_not_found(model_id)
        return json_response(body)

    async def delete_model(request: web.Request) -> web.StreamResponse:
        """``DELETE /v1/models/{model}``: remove a model a test added; 403 for OpenAI's own."""
        model_id = _model_id(request)
        try:
            state.delete_model(model_id)
        except KeyError:
            return _model_not_found(model_id)
        except ProtectedModelError:
            return json_error(
                403,
                "You do not have permission to delete this model",
                code="insufficient_permissions",
            )
        body = json.dumps({"id": model_id, "object": "model", "deleted": True}, ensure_ascii=False)
        return json_response(body.encode())

    router.add_get("/v1/models", list_models, allow_head=False)
    router.add_get("/v1/models/{model:[\\s\\S]+}", retrieve_model, allow_head=False)
    router.add_delete("/v1/models/{model:[\\s\\S]+}", delete_model)
