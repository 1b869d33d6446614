"""The parameters of ``embeddings.create``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, Required, TypedDict

from .._types import NotGiven

__all__ = ["EmbeddingCreateParams"]


class EmbeddingCreateParams(TypedDict, total=False):
    """One input (a string or a list of token ids) or a batch of them, and the model.

    ``dimensions`` shortens the vectors (text-embedding-3 models and later);
    ``encoding_format`` chooses floats or base64 strings.
    """

    input: Required[str | Iterable[str] | Iterable[int] | Iterable[Iterable[int]]]
    model: Required[str]
    dimensions: int | NotGiven
    encoding_format: Literal["float", "base64"] | NotGiven
    user: str | NotGiven
