"""Types of the Embeddings API (``CreateEmbeddingResponse`` and ``Embedding``)."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from .._convert import converter
from .._models import BaseObject

__all__ = ["CreateEmbeddingResponse", "Embedding", "Usage"]


@attrs.frozen(kw_only=True)
class Embedding(BaseObject):
    """One input's embedding vector.

    A list of floats, unless ``encoding_format="base64"`` was asked for explicitly: then the
    base64 string of little-endian float32 values the API sent, as the official SDK leaves it.
    """

    embedding: list[float] | str
    index: int = 0
    object: Literal["embedding"] | str = "embedding"


@attrs.frozen(kw_only=True)
class Usage(BaseObject):
    """Tokens the inputs used."""

    prompt_tokens: int = 0
    total_tokens: int = 0


@attrs.frozen(kw_only=True)
class CreateEmbeddingResponse(BaseObject):
    """The answer to ``embeddings.create``: one Embedding per input, in input order."""

    data: list[Embedding] = attrs.field(factory=list)
    model: str | None = None
    object: Literal["list"] | str = "list"
    usage: Usage | None = None


def _structure_vector(value: Any, _: Any) -> list[float] | str:
    if isinstance(value, list | str):
        return value
    raise TypeError(f"expected a list of numbers or a base64 string, got {type(value).__name__}")


converter.register_structure_hook_func(lambda tp: tp == (list[float] | str), _structure_vector)
