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
  A JSON ``POST`` endpoint a batch can run is also a :data:`._http.JSONOperation` (body in,
  answer out), listed by ``<api>_operations(state)``: its route serves the same function.
- more modules where the API needs them, one concern each: ``records.py`` (stored objects),
  ``render.py`` (answer shapes), ``stream.py`` (events), ``model.py`` (what the fake model
  says). Shared shapes (ids, cursor pages, deletions) are in :mod:`._shapes`.

To add one, write the package, then add its state in :meth:`APIStates.__init__` and its
routes in :func:`add_api_routes`. ``tests/unit/test_fake_layout.py`` keeps the pattern.
"""

from __future__ import annotations

from aiohttp import web

from aio_openai.testing._admin import AdminState, add_admin_routes
from aio_openai.testing._agent_sessions import AgentSessionsState, add_agent_sessions_routes
from aio_openai.testing._agents import AgentsState, add_agents_routes
from aio_openai.testing._assistants import AssistantsState, add_assistants_routes
from aio_openai.testing._audio import AudioState, add_audio_routes
from aio_openai.testing._batches import BatchesState, add_batches_routes
from aio_openai.testing._chat import ChatState, add_chat_routes, chat_operations
from aio_openai.testing._chatkit import ChatKitState, add_chatkit_routes
from aio_openai.testing._containers import ContainersState, add_containers_routes
from aio_openai.testing._evals import EvalsState, add_evals_routes
from aio_openai.testing._files import FilesState, add_files_routes
from aio_openai.testing._fine_tuning import FineTuningState, add_fine_tuning_routes
from aio_openai.testing._generic import GenericState
from aio_openai.testing._images import ImagesState, add_images_routes
from aio_openai.testing._moderations import (
    ModerationsState,
    add_moderations_routes,
    moderation_operations,
)
from aio_openai.testing._realtime import RealtimeState, add_realtime_routes
from aio_openai.testing._realtime_calls import RealtimeCallsState, add_realtime_calls_routes
from aio_openai.testing._responses import (
    ResponsesState,
    add_responses_routes,
    responses_operations,
)
from aio_openai.testing._safety import SafetyState, add_safety_routes
from aio_openai.testing._skills import SkillsState, add_skills_routes
from aio_openai.testing._uploads import UploadsState, add_uploads_routes
from aio_openai.testing._vector_stores import VectorStoresState, add_vector_stores_routes
from aio_openai.testing._videos import VideosState, add_videos_routes
from aio_openai.testing._webhooks import WebhooksState, add_webhooks_routes

__all__ = ["APIStates", "add_api_routes"]


class APIStates:
    """The state of each fake API, one attribute per API (:class:`FakeState` derives from it)."""

    def __init__(self) -> None:
        #: Assistants, threads, messages, runs and steps (see :mod:`._assistants`).
        self.assistants = AssistantsState()
        #: Chat completion replies, streaming, legacy completions and embeddings
        #: (see :mod:`._chat`).
        self.chat = ChatState()
        #: Responses, conversations and their items (see :mod:`._responses`).
        self.responses = ResponsesState()
        #: The word lists of moderations (see :mod:`._moderations`).
        self.moderations = ModerationsState()
        #: Stored files: batch input and output, container files (see :mod:`._files`).
        self.files = FilesState()
        #: Uploads in parts, completed into files (see :mod:`._uploads`).
        self.uploads = UploadsState(self.files)
        #: Vector stores: files chunked and indexed, file batches, search (see
        #: :mod:`._vector_stores`).
        self.vector_stores = VectorStoresState(self.files)
        #: Webhook endpoints and the events sent to them (see :mod:`._webhooks`).
        self.webhooks = WebhooksState()
        #: Containers and their files (see :mod:`._containers`).
        self.containers = ContainersState(self.files)
        #: Agents, automations, vaults, environments (see :mod:`._agents`).
        self.agents = AgentsState(self.files)
        #: Speech, transcriptions, custom voices (see :mod:`._audio`).
        self.audio = AudioState(self.knows_model)
        #: Generated pictures (see :mod:`._images`).
        self.images = ImagesState(self.knows_model)
        #: Agent sessions, their turns, items, traces, artifacts, subagents (see
        #: :mod:`._agent_sessions`).
        self.agent_sessions = AgentSessionsState(self.agents)
        #: Batches, run through the JSON operations of the other APIs (see :mod:`._batches`).
        self.batches = BatchesState(
            self.files,
            self.webhooks,
            {
                **chat_operations(self.chat),
                **moderation_operations(self.moderations),
                **responses_operations(self.responses),
            },
            self.knows_model,
        )
        #: Realtime sessions over WebSockets (see :mod:`._realtime`).
        self.realtime = RealtimeState()
        #: Videos with progress, their downloads and characters (see :mod:`._videos`).
        self.videos = VideosState(self.files)
        #: Safety alerts and cases (see :mod:`._safety`, which serves decisions and content
        #: provenance checks too).
        self.safety = SafetyState()
        #: Evals, their runs graded on the files and the chat model (see :mod:`._evals`).
        self.evals = EvalsState(self.files, self.chat)
        #: Skills and their versions, zips kept (see :mod:`._skills`).
        self.skills = SkillsState()
        #: Fine-tuning jobs, their events and checkpoints, checkpoint permissions, graders
        #: (see :mod:`._fine_tuning`); a succeeded job's models are served (serve_model).
        self.fine_tuning = FineTuningState(self.files, self.webhooks, self.serve_model)
        #: What the generic mode created, for the operations no other fake API serves (see
        #: :mod:`._generic`; its route is added last, by ``_app.build_app``).
        self.generic = GenericState()
        #: Client secrets, Realtime calls and Live sessions over REST (see
        #: :mod:`._realtime_calls`).
        self.realtime_calls = RealtimeCallsState()
        #: ChatKit sessions and threads (see :mod:`._chatkit`).
        self.chatkit = ChatKitState()
        #: The organization (projects, users, keys) and the usage the fake served (see
        #: :mod:`._admin`).
        self.admin = AdminState()

    def knows_model(self, model_id: str) -> bool:
        """Whether a request may name ``model_id`` (FakeState checks its served models; a
        route that checks a model itself asks here)."""
        return True

    def serve_model(self, model_id: str) -> None:
        """Serve one more model, made by an API (a fine-tuned model): FakeState adds it to
        the models it serves; without a server's models, nothing."""


def add_api_routes(router: web.UrlDispatcher, apis: APIStates) -> None:
    """Register the routes of every fake API, each serving its state."""
    add_chat_routes(router, apis.chat)
    add_assistants_routes(router, apis.assistants)
    add_responses_routes(router, apis.responses, apis.knows_model)
    add_moderations_routes(router, apis.moderations)
    add_files_routes(router, apis.files)
    add_uploads_routes(router, apis.uploads)
    add_vector_stores_routes(router, apis.vector_stores)
    add_webhooks_routes(router, apis.webhooks)
    add_containers_routes(router, apis.containers)
    add_agents_routes(router, apis.agents)
    add_batches_routes(router, apis.batches, apis.webhooks)
    add_realtime_routes(router, apis.realtime, apis.knows_model)
    add_realtime_calls_routes(router, apis.realtime_calls, apis.knows_model)
    add_chatkit_routes(router, apis.chatkit)
    add_audio_routes(router, apis.audio)
    add_images_routes(router, apis.images)
    add_videos_routes(router, apis.videos)
    add_safety_routes(router, apis.safety)
    add_evals_routes(router, apis.evals)
    add_skills_routes(router, apis.skills)
    add_agent_sessions_routes(router, apis.agent_sessions)
    add_fine_tuning_routes(router, apis.fine_tuning, apis.webhooks)
    add_admin_routes(router, apis.admin)
