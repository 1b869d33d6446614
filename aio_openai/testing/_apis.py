"""Every fake API, registered in one place: its state on :class:`FakeState` and its routes.

A fake API is a package ``testing/_<api>/``:

- ``state.py``: a state class holding the API's data and the operations the routes call.
  Every operation takes the state's lock, so tests may use the state from any thread;
  unknown ids and refused requests raise :class:`._checks.APIError` (404, 400). Tests reach
  the state as ``fake.state.<api>``.
- ``routes.py``: ``add_<api>_routes(router, state)``. A route parses the request (ids,
  :func:`._http.read_json_object`, the query), checks the body (the API's ``checks.py``,
  built on :mod:`._checks`), calls state operations and returns the JSON value to send;
  :func:`._http.api_route` serializes it, or answers an :class:`APIError` with OpenAI's error
  body. A streamed answer is sent with :func:`._sse.send_events`. Routes never take a lock.
- more modules where the API needs them, one concern each: ``records.py`` (stored objects),
  ``render.py`` (answer shapes), ``stream.py`` (events), ``model.py`` (what the fake model
  says). Shared shapes (cursor pages, deletions) are in :mod:`._shapes`.

To add one, write the package, then add its state in :meth:`APIStates.__init__` and its
routes in :func:`add_api_routes`. ``tests/unit/test_fake_layout.py`` keeps the pattern.
"""

from __future__ import annotations

from aiohttp import web

from aio_openai.testing._assistants import AssistantsState, add_assistants_routes
from aio_openai.testing._chat import ChatState, add_chat_routes
from aio_openai.testing._realtime import RealtimeState, add_realtime_routes
from aio_openai.testing._responses import ResponsesState, add_responses_routes

__all__ = ["APIStates", "add_api_routes"]


class APIStates:
    """The state of each fake API, one attribute per API (:class:`FakeState` derives from it)."""

    def __init__(self) -> None:
        #: Assistants, threads, messages, runs and steps (see :mod:`._assistants`).
        self.assistants = AssistantsState()
        #: Chat completion replies, streaming and embeddings (see :mod:`._chat`).
        self.chat = ChatState()
        #: Responses, conversations and their items (see :mod:`._responses`).
        self.responses = ResponsesState()
        #: Realtime sessions over WebSockets (see :mod:`._realtime`).
        self.realtime = RealtimeState()

    def knows_model(self, model_id: str) -> bool:
        """Whether a request may name ``model_id`` (FakeState checks its served models; a
        route that checks a model itself asks here)."""
        return True


def add_api_routes(router: web.UrlDispatcher, apis: APIStates) -> None:
    """Register the routes of every fake API, each serving its state."""
    add_chat_routes(router, apis.chat)
    add_assistants_routes(router, apis.assistants)
    add_responses_routes(router, apis.responses, apis.knows_model)
    add_realtime_routes(router, apis.realtime, apis.knows_model)
