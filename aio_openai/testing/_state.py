"""In-memory state of a fake OpenAI server, kept apart from the HTTP routes.

The routes (:mod:`._models` and each fake API's, see :mod:`._apis`) read and change this
state through its operations; tests reach it through
:attr:`FakeOpenAI.state <aio_openai.testing.FakeOpenAI.state>`. The server may run in another
thread than the test, so every change and every rebuild of a cached body happens under one
lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final, Literal, TypedDict

from aio_openai.testing._apis import APIStates
from aio_openai.testing._http import dumps
from aio_openai.testing._seed import SEED_MODELS, SeedModel

__all__ = [
    "FINE_TUNED_OWNER",
    "PROTECTED_MODEL_OWNERS",
    "FakeState",
    "ModelObject",
    "ProtectedModelError",
]

#: Owners whose models belong to OpenAI itself; deleting one of them is refused (HTTP 403).
PROTECTED_MODEL_OWNERS: Final[frozenset[str]] = frozenset({"system", "openai", "openai-internal"})


#: The owner of the models fine-tuning jobs make (the fake's organization).
FINE_TUNED_OWNER: Final = "org-fake"


class ModelObject(TypedDict):
    """A model as the API returns it (``GET /v1/models/{model}``)."""

    id: str
    object: Literal["model"]
    created: int
    owned_by: str


class ProtectedModelError(Exception):
    """Raised by :meth:`FakeState.delete_model` for a model owned by OpenAI."""


class FakeState(APIStates):
    """Everything a fake server knows: the models it serves and the state of each API.

    The state of each API is an attribute (``.chat``, ``.assistants``, ``.responses``, see
    :class:`._apis.APIStates`). Models are stored read-only and their JSON bodies are
    serialized once, when they are added, so that serving them costs no serialization.
    """

    def __init__(
        self, models: Iterable[SeedModel] = SEED_MODELS, *, accept_any_model: bool = False
    ) -> None:
        """Create a state holding ``models`` (by default the :data:`SEED_MODELS`).

        ``accept_any_model`` (see :attr:`accept_any_model`) lets requests name any model.
        """
        super().__init__()
        self._lock = threading.Lock()
        #: When false (the default), a request whose body names a model that is not served
        #: (``"model": "gpt-x"``) gets OpenAI's 404 ``model_not_found``, as from the real
        #: service; when true, any model name is accepted. Can be changed at any time.
        self.accept_any_model = accept_any_model
        self._models: dict[str, Mapping[str, object]] = {}
        self._model_bodies: dict[str, bytes] = {}
        self._model_list_body: bytes | None = None
        for seed in models:
            self.add_model(seed.id, owned_by=seed.owned_by, created=seed.created)

    @property
    def models(self) -> Mapping[str, Mapping[str, object]]:
        """A live, read-only view of the models by id, in the order they were added."""
        return MappingProxyType(self._models)

    def add_model(
        self, model_id: str, *, owned_by: str = "user", created: int | None = None
    ) -> ModelObject:
        """Add a model (replacing one with the same id) and return a copy of it.

        ``created`` defaults to the current time. Raises :class:`ValueError` for an empty id.
        """
        if not model_id:
            raise ValueError("model_id must not be empty")
        model: ModelObject = {
            "id": model_id,
            "object": "model",
            "created": int(time.time()) if created is None else created,
            "owned_by": owned_by,
        }
        body = dumps(model)
        with self._lock:
            self._models[model_id] = MappingProxyType(dict(model))
            self._model_bodies[model_id] = body
            self._model_list_body = None
        return model

    def delete_model(self, model_id: str) -> None:
        """Remove a model.

        Raises :class:`KeyError` if there is no such model and :class:`ProtectedModelError`
        if it is owned by OpenAI (see :data:`PROTECTED_MODEL_OWNERS`).
        """
        with self._lock:
            model = self._models[model_id]
            if model["owned_by"] in PROTECTED_MODEL_OWNERS:
                raise ProtectedModelError(model_id)
            del self._models[model_id]
            del self._model_bodies[model_id]
            self._model_list_body = None

    def serve_model(self, model_id: str) -> None:
        """Serve a model an API made (a fine-tuned model, owned by the fake's organization)."""
        self.add_model(model_id, owned_by=FINE_TUNED_OWNER)

    def knows_model(self, model_id: str) -> bool:
        """Whether requests may name ``model_id``: a served model, or any with
        :attr:`accept_any_model`."""
        return self.accept_any_model or model_id in self._models

    def model_body(self, model_id: str) -> bytes | None:
        """Return the serialized model object, or None if there is no such model."""
        return self._model_bodies.get(model_id)

    def model_list_body(self) -> bytes:
        """Return the serialized ``GET /v1/models`` list, rebuilding it after a change."""
        body = self._model_list_body
        if body is None:
            with self._lock:
                parts = b",".join(self._model_bodies.values())
                body = b'{"object":"list","data":[' + parts + b"]}"
                self._model_list_body = body
        return body
