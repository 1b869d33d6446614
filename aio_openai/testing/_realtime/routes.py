"""The route of the fake Realtime API: ``GET /v1/realtime`` (a WebSocket).

The handshake is checked as the service checks it (after the middlewares' API key check and
faults): ``model`` in the query (or a ``call_id`` to join, served by the default model), a
model the server serves or a realtime model (404 ``model_not_found`` otherwise), then the
upgrade. The header
``OpenAI-Beta: realtime=v1`` asks for the beta protocol.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from aiohttp import web

from aio_openai.testing._http import json_error
from aio_openai.testing._realtime.state import RealtimeState
from aio_openai.testing._ws import serve_session

__all__ = ["DEFAULT_MODEL", "add_realtime_routes", "serves_realtime"]

#: The model of a session joined by ``call_id``.
DEFAULT_MODEL: Final = "gpt-realtime"


#: The realtime models (``gpt-realtime``, ``gpt-4o-mini-realtime-preview``, ...): served by this
#: route whether or not the server lists them, as they serve nothing else.
_REALTIME_MODEL: Final = re.compile(r"(^|-)realtime(-|$)")


def serves_realtime(model: str, knows_model: Callable[[str], bool]) -> bool:
    """Whether a Realtime session may use ``model``: a realtime model, or one the server
    serves."""
    return bool(_REALTIME_MODEL.search(model)) or knows_model(model)


def add_realtime_routes(
    router: web.UrlDispatcher, state: RealtimeState, knows_model: Callable[[str], bool]
) -> None:
    """Register ``GET /v1/realtime``; ``knows_model`` says which other models it serves."""

    async def connect(request: web.Request) -> web.StreamResponse:
        model = request.query.get("model")
        if not model:
            if "call_id" not in request.query:
                return json_error(400, "Missing required parameter: 'model'.", param="model")
            model = DEFAULT_MODEL
        elif not serves_realtime(model, knows_model):
            return json_error(
                404,
                f"The model `{model}` does not exist or you do not have access to it.",
                code="model_not_found",
            )
        beta = "realtime=v1" in request.headers.get("OpenAI-Beta", "")
        session = state.open_session(model, beta=beta)
        return await serve_session(request, session)

    router.add_get("/v1/realtime", connect)
