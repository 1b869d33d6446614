"""The routes of chat completions (``POST /v1/chat/completions``), legacy completions
(``POST /v1/completions``) and embeddings (``POST /v1/embeddings``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from aiohttp import web

from aio_openai.testing._chat.checks import (
    PARSE_ERROR,
    check_chat,
    check_model,
    check_text_completion,
    embedding_dimensions,
    embedding_encoding,
    embedding_inputs,
)
from aio_openai.testing._chat.legacy import text_chunks
from aio_openai.testing._chat.model import chunks
from aio_openai.testing._chat.state import ChatState
from aio_openai.testing._http import Answer, JSONOperation, Route, api_route, read_json_object
from aio_openai.testing._sse import frame, send_events

__all__ = ["add_chat_routes", "chat_operations"]

Chunks = Callable[..., Iterator[dict[str, Any]]]


def chat_operations(state: ChatState) -> dict[str, JSONOperation]:
    """The JSON operations of these endpoints, by path: a checked body in, the whole answer
    out (a route streams it when the body asks)."""

    def create_completion(body: dict[str, Any]) -> dict[str, Any]:
        check_model(body)
        check_chat(body)
        return state.complete(body)

    def create_text_completion(body: dict[str, Any]) -> dict[str, Any]:
        check_model(body)
        check_text_completion(body)
        return state.complete_text(body)

    def create_embeddings(body: dict[str, Any]) -> dict[str, Any]:
        model = check_model(body)
        items = embedding_inputs(body)
        encoding = embedding_encoding(body)
        dimensions = embedding_dimensions(body, model)
        return state.embed(model, items, dimensions, encoding)

    return {
        "/v1/chat/completions": create_completion,
        "/v1/completions": create_text_completion,
        "/v1/embeddings": create_embeddings,
    }


def add_chat_routes(router: web.UrlDispatcher, state: ChatState) -> None:
    """Register ``POST /v1/chat/completions``, ``POST /v1/completions`` and
    ``POST /v1/embeddings``, serving ``state``."""
    operations = chat_operations(state)

    def streamed(path: str, pieces: Chunks) -> Route:
        """The route of ``path``: the whole answer, or its ``pieces`` as server-sent events."""
        operation = operations[path]

        async def create(request: web.Request) -> Answer:
            body = await read_json_object(request, parse_error=PARSE_ERROR, empty=False)
            answer = operation(body)
            if not body.get("stream"):
                return answer
            options: Mapping[str, Any] = body.get("stream_options") or {}
            size, line_end = state.stream_format()
            include_usage = bool(options.get("include_usage"))
            frames = [
                frame(c, line_end=line_end)
                for c in pieces(answer, size=size, include_usage=include_usage)
            ]
            frames.append(frame("[DONE]", line_end=line_end))
            return await send_events(request, frames)

        return create

    async def create_embeddings(request: web.Request) -> Answer:
        body = await read_json_object(request, parse_error=PARSE_ERROR, empty=False)
        return operations["/v1/embeddings"](body)

    router.add_post("/v1/chat/completions", api_route(streamed("/v1/chat/completions", chunks)))
    router.add_post("/v1/completions", api_route(streamed("/v1/completions", text_chunks)))
    router.add_post("/v1/embeddings", api_route(create_embeddings))
