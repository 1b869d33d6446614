"""The client's resources: one cached property each, the module imported on first use.

:class:`ClientResources` is the base of :class:`~aio_openai.AsyncOpenAI`; a resource added to
the API is one declaration here (its module, its class, its docstring).
"""

from __future__ import annotations

import importlib
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .resources.admin import Admin
    from .resources.audio import Audio
    from .resources.batches import Batches
    from .resources.beta import Beta
    from .resources.chat import Chat
    from .resources.completions import Completions
    from .resources.containers import Containers
    from .resources.content_provenance_checks import ContentProvenanceChecks
    from .resources.conversations import Conversations
    from .resources.decisions import Decisions
    from .resources.embeddings import Embeddings
    from .resources.evals import Evals
    from .resources.files import Files
    from .resources.fine_tuning import FineTuning
    from .resources.images import Images
    from .resources.live import Live
    from .resources.models import Models
    from .resources.moderations import Moderations
    from .resources.realtime import Realtime
    from .resources.responses import Responses
    from .resources.safety import Safety
    from .resources.skills import Skills
    from .resources.uploads import Uploads
    from .resources.vector_stores import VectorStores
    from .resources.videos import Videos
    from .resources.webhooks import Webhooks

__all__ = ["ClientResources"]


def _resource(module: str, name: str, doc: str) -> Any:
    """A client attribute holding the resource ``name`` of ``module`` (imported on first use,
    made once per client): one declaration a resource, with its docstring."""

    def make(client: Any) -> Any:
        return getattr(importlib.import_module(module, __package__), name)(client)

    make.__doc__ = doc
    return cached_property(make)


class ClientResources:
    """The resources of :class:`~aio_openai.AsyncOpenAI` (``client.models``, ``client.chat``...)."""

    models: cached_property[Models] = _resource(
        ".resources.models", "Models", """The Models API: list, retrieve, delete."""
    )

    chat: cached_property[Chat] = _resource(
        ".resources.chat",
        "Chat",
        """The Chat Completions API: ``chat.completions.create`` (streamed or not).""",
    )

    embeddings: cached_property[Embeddings] = _resource(
        ".resources.embeddings", "Embeddings", """The Embeddings API: ``embeddings.create``."""
    )

    completions: cached_property[Completions] = _resource(
        ".resources.completions",
        "Completions",
        """The legacy Completions API: ``completions.create`` (streamed or not).""",
    )

    moderations: cached_property[Moderations] = _resource(
        ".resources.moderations", "Moderations", """The Moderations API: ``moderations.create``."""
    )

    files: cached_property[Files] = _resource(
        ".resources.files",
        "Files",
        """The Files API: create (streamed uploads), retrieve, list, delete, content,
        wait_for_processing.""",
    )

    uploads: cached_property[Uploads] = _resource(
        ".resources.uploads",
        "Uploads",
        """The Uploads API: create, complete, cancel, ``parts.create``, and
        upload_file_chunked (a large file in parts sent concurrently).""",
    )

    vector_stores: cached_property[VectorStores] = _resource(
        ".resources.vector_stores",
        "VectorStores",
        """The Vector Stores API: create, retrieve, update, list, delete, search, ``files``
        and ``file_batches`` (with their poll and upload helpers).""",
    )

    batches: cached_property[Batches] = _resource(
        ".resources.batches", "Batches", """The Batch API: create, retrieve, list, cancel."""
    )

    audio: cached_property[Audio] = _resource(
        ".resources.audio",
        "Audio",
        """The Audio API: ``speech``, ``transcriptions``, ``translations``, ``voices``,
        ``voice_consents``.""",
    )

    images: cached_property[Images] = _resource(
        ".resources.images",
        "Images",
        """The Images API: ``generate``, ``edit``, ``create_variation``.""",
    )

    containers: cached_property[Containers] = _resource(
        ".resources.containers",
        "Containers",
        """The Containers API: create, retrieve, list, delete, and ``files``.""",
    )

    webhooks: cached_property[Webhooks] = _resource(
        ".resources.webhooks",
        "Webhooks",
        """Webhooks: ``unwrap`` and ``verify_signature`` of received events, and the webhook
        endpoints (create, retrieve, update, list, delete, rotate_secret, test,
        ``event_types``).""",
    )

    beta: cached_property[Beta] = _resource(
        ".resources.beta",
        "Beta",
        """The beta APIs: ``beta.assistants`` and ``beta.threads`` (the Assistants API).""",
    )

    responses: cached_property[Responses] = _resource(
        ".resources.responses",
        "Responses",
        """The Responses API: ``responses.create`` (streamed or not), retrieve, delete, cancel,
        ``input_items``, and ``poll``/``create_and_poll`` for background responses.""",
    )

    conversations: cached_property[Conversations] = _resource(
        ".resources.conversations",
        "Conversations",
        """The Conversations API: create, retrieve, update, delete, and ``items``.""",
    )

    realtime: cached_property[Realtime] = _resource(
        ".resources.realtime",
        "Realtime",
        """The Realtime API: ``realtime.connect(...)`` (a session over a WebSocket) and
        ``realtime.translations.connect(...)``.""",
    )

    live: cached_property[Live] = _resource(
        ".resources.live",
        "Live",
        """The Live API over WebSockets: ``live.connect()``, ``live.sideband.connect(...)``,
        ``live.forks.connect(...)``.""",
    )

    fine_tuning: cached_property[FineTuning] = _resource(
        ".resources.fine_tuning",
        "FineTuning",
        """The Fine-tuning API: ``jobs`` (and their ``checkpoints``),
        ``checkpoints.permissions``, ``alpha.graders``.""",
    )

    evals: cached_property[Evals] = _resource(
        ".resources.evals",
        "Evals",
        """The Evals API: create, retrieve, update, list, delete, and ``runs`` (with
        ``output_items``).""",
    )

    videos: cached_property[Videos] = _resource(
        ".resources.videos",
        "Videos",
        """The Videos API: create, retrieve, list, delete, remix, extend, edit, characters,
        download_content, poll, create_and_poll.""",
    )

    skills: cached_property[Skills] = _resource(
        ".resources.skills",
        "Skills",
        """The Skills API: create, retrieve, update, list, delete, ``content`` and ``versions``.""",
    )

    decisions: cached_property[Decisions] = _resource(
        ".resources.decisions",
        "Decisions",
        """The Decisions API: ``decisions.create``.""",
    )

    safety: cached_property[Safety] = _resource(
        ".resources.safety",
        "Safety",
        """Safety: ``alerts`` and ``cases``.""",
    )

    content_provenance_checks: cached_property[ContentProvenanceChecks] = _resource(
        ".resources.content_provenance_checks",
        "ContentProvenanceChecks",
        """Content provenance checks: ``content_provenance_checks.create``.""",
    )

    admin: cached_property[Admin] = _resource(
        ".resources.admin",
        "Admin",
        """The admin API (``admin.organization``: projects, users, groups, roles, invites,
        keys, certificates, limits and alerts, audit logs, usage and costs), sent with the
        client's ``admin_api_key``.""",
    )
