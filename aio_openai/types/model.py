"""Types of the Models API."""

from __future__ import annotations

from typing import Literal

import attrs

from .._models import BaseObject

__all__ = ["Model", "ModelDeleted"]


@attrs.frozen(kw_only=True)
class Model(BaseObject):
    """A model the API offers (``GET /v1/models/{model}``)."""

    id: str
    created: int | None = None
    object: Literal["model"] | str = "model"
    owned_by: str | None = None
    shutdown_date: str | None = None


@attrs.frozen(kw_only=True)
class ModelDeleted(BaseObject):
    """The answer to deleting a fine-tuned model."""

    id: str
    deleted: bool
    object: str = "model"
