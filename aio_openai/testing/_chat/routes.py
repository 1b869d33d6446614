"""The routes of chat completions (``POST /v1/chat/completions``) and embeddings."""

from __future__ import annotations

from aiohttp import web

from aio_openai.testing._chat.checks import (
    PARSE_ERROR,
    check_chat,
    check_model,
    embedding_dimensions,
    embedding_encoding,
    embedding_inputs,
)
from aio_openai.testing._chat.model import chunks
from aio_openai.testing._chat.state import ChatState
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._sse import frame, send_events

__all__ = ["add_chat_routes"]


def add_chat_routes(router: web.UrlDispatcher, state: ChatState) -> None:
    """Register ``POST /v1/chat/completions`` and ``POST /v1/embeddings``, serving ``state``."""

    async def create_completion(request: web.Request) -> Answer:
        body = await read_json_object(request, parse_error=PARSE_ERROR, empty=False)
        check_model(body)
        check_chat(body)
        answer = state.complete(body)
        if not body.get("stream"):
            return answer
        options = body.get("stream_options") or {}
        size, line_end = state.stream_format()
        include_usage = bool(options.get("include_usage"))
        frames = [
            frame(c, line_end=line_end)
            for c in chunks(answer, size=size, include_usage=include_usage)
        ]
        frames.append(frame("[DONE]", line_end=line_end))
        return await send_events(request, frames)

    async def create_embeddings(request: web.Request) -> Answer:
        body = await read_json_object(request, parse_error=PARSE_ERROR, empty=False)
        model = check_model(body)
        items = embedding_inputs(body)
        encoding = embedding_encoding(body)
        dimensions = embedding_dimensions(body, model)
        return state.embed(model, items, dimensions, encoding)

    router.add_post("/v1/chat/completions", api_route(create_completion))
    router.add_post("/v1/embeddings", api_route(create_embeddings))
