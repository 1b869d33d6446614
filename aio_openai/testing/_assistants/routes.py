"""The routes of the fake Assistants API: ``/v1/assistants`` and ``/v1/threads``.

Each route reads the version its request speaks (``OpenAI-Beta: assistants=vN``), its ids
and body, checks the body (:mod:`.checks`), calls an operation of the state (:mod:`.state`)
and renders the result in that version's shape (:mod:`.render`), or as server-sent events
(:mod:`.stream`). Run answers carry ``openai-poll-after-ms``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web
from aiohttp.typedefs import Handler

from aio_openai.testing._assistants.checks import (
    beta_version,
    check_assistant,
    check_message,
    check_metadata_update,
    check_run,
    check_thread,
    check_tool_outputs_body,
)
from aio_openai.testing._assistants.render import (
    render_assistant,
    render_message,
    render_run,
    render_step,
    render_thread,
)
from aio_openai.testing._assistants.runs import SettledRun
from aio_openai.testing._assistants.state import AssistantsState
from aio_openai.testing._assistants.stream import run_frames
from aio_openai.testing._checks import APIError
from aio_openai.testing._http import POLL_AFTER_HEADER, Answer, api_route, read_json_object
from aio_openai.testing._shapes import deleted, list_query, page
from aio_openai.testing._sse import send_events

__all__ = ["add_assistants_routes"]

_VersionedRoute = Callable[[web.Request, str], Awaitable[Answer]]


class _Routes:
    """The route handlers, serving one state; each takes the request and its version."""

    def __init__(self, state: AssistantsState) -> None:
        self.state = state

    def poll_after(self) -> Mapping[str, str]:
        """The header of run answers."""
        return {POLL_AFTER_HEADER: str(self.state.pacing.poll_after_ms)}

    async def stream(self, request: web.Request, settled: SettledRun, version: str) -> Answer:
        """Answer with the events of a settled run."""
        frames = run_frames(settled, version, self.state.chunk_size)
        return await send_events(request, frames, error_event="error")

    # -- assistants ------------------------------------------------------------------------

    async def create_assistant(self, request: web.Request, version: str) -> Answer:
        body = await read_json_object(request)
        check_assistant(body, version, create=True)
        return render_assistant(self.state.create_assistant(body), version)

    async def list_assistants(self, request: web.Request, version: str) -> Answer:
        items = self.state.list_assistants()
        return page(items, list_query(request.query), lambda a: render_assistant(a, version))

    async def get_assistant(self, request: web.Request, version: str) -> Answer:
        record = self.state.assistant(request.match_info["assistant_id"])
        return render_assistant(record, version)

    async def update_assistant(self, request: web.Request, version: str) -> Answer:
        assistant_id = request.match_info["assistant_id"]
        body = await read_json_object(request)
        self.state.assistant(assistant_id)
        check_assistant(body, version, create=False)
        return render_assistant(self.state.update_assistant(assistant_id, body), version)

    async def delete_assistant(self, request: web.Request, version: str) -> Answer:
        assistant_id = request.match_info["assistant_id"]
        self.state.delete_assistant(assistant_id)
        return deleted(assistant_id, "assistant.deleted")

    # -- threads ---------------------------------------------------------------------------

    async def create_thread(self, request: web.Request, version: str) -> Answer:
        body = await read_json_object(request)
        check_thread(body, version, create=True)
        return render_thread(self.state.create_thread(body), version)

    async def get_thread(self, request: web.Request, version: str) -> Answer:
        return render_thread(self.state.thread(request.match_info["thread_id"]), version)

    async def update_thread(self, request: web.Request, version: str) -> Answer:
        thread_id = request.match_info["thread_id"]
        body = await read_json_object(request)
        self.state.thread(thread_id)
        check_thread(body, version, create=False)
        return render_thread(self.state.update_thread(thread_id, body), version)

    async def delete_thread(self, request: web.Request, version: str) -> Answer:
        thread_id = request.match_info["thread_id"]
        self.state.delete_thread(thread_id)
        return deleted(thread_id, "thread.deleted")

    # -- messages --------------------------------------------------------------------------

    async def create_message(self, request: web.Request, version: str) -> Answer:
        thread_id = request.match_info["thread_id"]
        body = await read_json_object(request)
        self.state.thread(thread_id)
        check_message(body, version)
        return render_message(self.state.create_message(thread_id, body), version)

    async def list_messages(self, request: web.Request, version: str) -> Answer:
        thread_id = request.match_info["thread_id"]
        items = self.state.list_messages(thread_id, request.query.get("run_id"))
        return page(items, list_query(request.query), lambda m: render_message(m, version))

    async def get_message(self, request: web.Request, version: str) -> Answer:
        ids = request.match_info
        return render_message(self.state.message(ids["thread_id"], ids["message_id"]), version)

    async def update_message(self, request: web.Request, version: str) -> Answer:
        thread_id, message_id = request.match_info["thread_id"], request.match_info["message_id"]
        body = await read_json_object(request)
        self.state.message(thread_id, message_id)
        check_metadata_update(body)
        return render_message(self.state.update_message(thread_id, message_id, body), version)

    async def delete_message(self, request: web.Request, version: str) -> Answer:
        thread_id, message_id = request.match_info["thread_id"], request.match_info["message_id"]
        if version == "v1":
            raise APIError(404, f"Invalid URL (DELETE {request.rel_url.raw_path})")
        self.state.delete_message(thread_id, message_id)
        return deleted(message_id, "thread.message.deleted")

    # -- runs ------------------------------------------------------------------------------

    async def create_run(self, request: web.Request, version: str) -> Answer:
        thread_id = request.match_info["thread_id"]
        body = await read_json_object(request)
        self.state.thread(thread_id)
        check_run(body, version, with_thread=False)
        record = self.state.create_run(thread_id, body)
        if not body.get("stream"):
            return render_run(record, version)
        settled = self.state.settle_run(thread_id, record["id"])
        return await self.stream(request, settled, version)

    async def create_thread_and_run(self, request: web.Request, version: str) -> Answer:
        body = await read_json_object(request)
        check_run(body, version, with_thread=True)
        record = self.state.create_thread_and_run(body)
        if not body.get("stream"):
            return render_run(record, version)
        settled = self.state.settle_run(record["thread_id"], record["id"], with_thread=True)
        return await self.stream(request, settled, version)

    async def list_runs(self, request: web.Request, version: str) -> Answer:
        items = self.state.list_runs(request.match_info["thread_id"])
        return page(items, list_query(request.query), lambda r: render_run(r, version))

    async def get_run(self, request: web.Request, version: str) -> Answer:
        ids = request.match_info
        return render_run(self.state.retrieve_run(ids["thread_id"], ids["run_id"]), version)

    async def update_run(self, request: web.Request, version: str) -> Answer:
        thread_id, run_id = request.match_info["thread_id"], request.match_info["run_id"]
        body = await read_json_object(request)
        self.state.get_run(thread_id, run_id)
        check_metadata_update(body)
        return render_run(self.state.update_run(thread_id, run_id, body), version)

    async def cancel_run(self, request: web.Request, version: str) -> Answer:
        ids = request.match_info
        return render_run(self.state.cancel_run(ids["thread_id"], ids["run_id"]), version)

    async def submit_tool_outputs(self, request: web.Request, version: str) -> Answer:
        thread_id, run_id = request.match_info["thread_id"], request.match_info["run_id"]
        body = await read_json_object(request)
        self.state.get_run(thread_id, run_id)
        check_tool_outputs_body(body)
        record = self.state.submit_tool_outputs(thread_id, run_id, body)
        if not body.get("stream"):
            return render_run(record, version)
        settled = self.state.settle_run(thread_id, run_id, resumed=True)
        return await self.stream(request, settled, version)

    # -- steps -----------------------------------------------------------------------------

    async def list_steps(self, request: web.Request, version: str) -> Answer:
        items = self.state.list_steps(request.match_info["thread_id"], request.match_info["run_id"])
        return page(items, list_query(request.query), lambda s: render_step(s, version))

    async def get_step(self, request: web.Request, version: str) -> Answer:
        ids = request.match_info
        step = self.state.step(ids["thread_id"], ids["run_id"], ids["step_id"])
        return render_step(step, version)


def add_assistants_routes(router: web.UrlDispatcher, state: AssistantsState) -> None:
    """Register the ``/v1/assistants`` and ``/v1/threads`` routes, serving ``state``."""
    routes = _Routes(state)

    def route(handler: _VersionedRoute, *, run: bool = False) -> Handler:
        async def versioned(request: web.Request) -> Answer:
            version = beta_version(request.headers.get("OpenAI-Beta"), state.versions)
            return await handler(request, version)

        return api_route(versioned, headers=routes.poll_after if run else None)

    thread = "/v1/threads/{thread_id}"
    run_path = thread + "/runs/{run_id}"
    router.add_post("/v1/assistants", route(routes.create_assistant))
    router.add_get("/v1/assistants", route(routes.list_assistants), allow_head=False)
    router.add_get("/v1/assistants/{assistant_id}", route(routes.get_assistant), allow_head=False)
    router.add_post("/v1/assistants/{assistant_id}", route(routes.update_assistant))
    router.add_delete("/v1/assistants/{assistant_id}", route(routes.delete_assistant))
    router.add_post("/v1/threads", route(routes.create_thread))
    router.add_post("/v1/threads/runs", route(routes.create_thread_and_run, run=True))
    router.add_get(thread, route(routes.get_thread), allow_head=False)
    router.add_post(thread, route(routes.update_thread))
    router.add_delete(thread, route(routes.delete_thread))
    router.add_post(thread + "/messages", route(routes.create_message))
    router.add_get(thread + "/messages", route(routes.list_messages), allow_head=False)
    router.add_get(thread + "/messages/{message_id}", route(routes.get_message), allow_head=False)
    router.add_post(thread + "/messages/{message_id}", route(routes.update_message))
    router.add_delete(thread + "/messages/{message_id}", route(routes.delete_message))
    router.add_post(thread + "/runs", route(routes.create_run, run=True))
    router.add_get(thread + "/runs", route(routes.list_runs), allow_head=False)
    router.add_get(run_path, route(routes.get_run, run=True), allow_head=False)
    router.add_post(run_path, route(routes.update_run, run=True))
    router.add_post(run_path + "/cancel", route(routes.cancel_run, run=True))
    router.add_post(run_path + "/submit_tool_outputs", route(routes.submit_tool_outputs, run=True))
    router.add_get(run_path + "/steps", route(routes.list_steps), allow_head=False)
    router.add_get(run_path + "/steps/{step_id}", route(routes.get_step), allow_head=False)
