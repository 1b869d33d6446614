"""The routes of chat completions (``/v1/chat/completions``: create; the stored ones' retrieve,
update, list, delete and messages), legacy completions (``POST /v1/completions``) and
embeddings (``POST /v1/embeddings``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from aiohttp import web

from aio_openai.testing._chat.checks import (
    PARSE_ERROR,
    check_chat,
    check_model,
    check_text_completion,
    check_update,
    embedding_dimensions,
    embedding_encoding,
    embedding_inputs,
    metadata_filter,
)
from aio_openai.testing._chat.legacy import text_chunks
from aio_openai.testing._chat.model import chunks
from aio_openai.testing._chat.state import ChatState
from aio_openai.testing._http import Answer, JSONOperation, Route, api_route, read_json_object
from aio_openai.testing._shapes import deleted, list_query, page
from aio_openai.testing._sse import frame, send_events

__all__ = ["add_chat_routes", "chat_operations"]

Chunks = Callable[..., Iterator[dict[str, Any]]]


def _ascending(query: Mapping[str, str]) -> Mapping[str, str]:
    """A list query whose ``order`` defaults to ``asc``, as the stored completions' lists do."""
    return query if "order" in query else {**query, "order": "asc"}


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
    """Register ``/v1/chat/completions`` (and its stored completions), ``POST /v1/completions``
    and ``POST /v1/embeddings``, serving ``state``."""
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

    async def list_completions(request: web.Request) -> Answer:
        query = list_query(_ascending(request.query), before=False)
        found = state.completions(request.query.get("model"), metadata_filter(request.query))
        return page(found, query)

    async def get_completion(request: web.Request) -> Answer:
        return state.retrieve(request.match_info["completion_id"])

    async def update_completion(request: web.Request) -> Answer:
        completion_id = request.match_info["completion_id"]
        body = await read_json_object(request, parse_error=PARSE_ERROR)
        state.retrieve(completion_id)
        check_update(body)
        return state.update(completion_id, body["metadata"])

    async def delete_completion(request: web.Request) -> Answer:
        completion_id = request.match_info["completion_id"]
        state.delete(completion_id)
        return deleted(completion_id, "chat.completion.deleted")

    async def list_messages(request: web.Request) -> Answer:
        messages = state.messages(request.match_info["completion_id"])
        return page(messages, list_query(_ascending(request.query), before=False))

    completion = "/v1/chat/completions/{completion_id}"
    router.add_post("/v1/chat/completions", api_route(streamed("/v1/chat/completions", chunks)))
    router.add_get("/v1/chat/completions", api_route(list_completions), allow_head=False)
    router.add_get(completion, api_route(get_completion), allow_head=False)
    router.add_post(completion, api_route(update_completion))
    router.add_delete(completion, api_route(delete_completion))
    router.add_get(completion + "/messages", api_route(list_messages), allow_head=False)
    router.add_post("/v1/completions", api_route(streamed("/v1/completions", text_chunks)))
    router.add_post("/v1/embeddings", api_route(create_embeddings))
