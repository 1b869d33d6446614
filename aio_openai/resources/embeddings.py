"""The Embeddings API: ``/embeddings``.

Vectors are asked for as base64 by default (a quarter of the JSON's size on the wire, as the
official SDK does) and decoded to floats here: little-endian float32, with :mod:`array`.
"""

from __future__ import annotations

import base64
import binascii
import sys
from array import array
from collections.abc import Iterable
from typing import Any, Literal, Unpack

import attrs

from .._chain import Response
from .._client import object_parser
from .._endpoints import endpoint
from .._exceptions import APIResponseValidationError
from .._response import set_request_id
from .._types import NOT_GIVEN, NotGiven, RequestOptions
from ..types.embedding import CreateEmbeddingResponse
from ._base import APIResource

__all__ = ["Embeddings", "decode_embedding"]

_parse_response = object_parser(CreateEmbeddingResponse)
_BIG_ENDIAN = sys.byteorder == "big"


def decode_embedding(data: str) -> list[float]:
    """A base64 embedding (little-endian float32 values) as a list of floats."""
    raw = base64.b64decode(data, validate=True)
    if len(raw) % 4:
        raise ValueError(f"{len(raw)} bytes is not a whole number of float32 values")
    values = array("f", raw)
    if _BIG_ENDIAN:
        values.byteswap()
    return values.tolist()


def _parse_decoded(response: Response) -> CreateEmbeddingResponse:
    """Parse the answer and decode its base64 vectors (the caller did not ask for base64)."""
    result = _parse_response(response)
    if not any(isinstance(item.embedding, str) for item in result.data):
        return result
    try:
        data = [
            attrs.evolve(item, embedding=decode_embedding(item.embedding))
            if isinstance(item.embedding, str)
            else item
            for item in result.data
        ]
    except (ValueError, binascii.Error) as exc:
        raise APIResponseValidationError(
            response, None, message=f"Invalid base64 embedding in the response: {exc}"
        ) from None
    decoded = attrs.evolve(result, data=data)
    set_request_id(decoded, response.request_id)
    return decoded


class Embeddings(APIResource):
    """``client.embeddings``: ``create``."""

    __slots__ = ()

    @endpoint("POST", "/embeddings", metered=True)
    async def create(
        self,
        *,
        input: str | Iterable[str] | Iterable[int] | Iterable[Iterable[int]],
        model: str,
        dimensions: int | NotGiven = NOT_GIVEN,
        encoding_format: Literal["float", "base64"] | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> CreateEmbeddingResponse:
        """Embed one input (a string or a list of token ids) or a batch of them.

        Returns a CreateEmbeddingResponse with one Embedding per input, in order. Vectors are
        lists of floats: fetched as base64 and decoded, unless ``encoding_format`` is given
        (``"float"`` fetches floats; ``"base64"`` leaves the base64 strings, as the official
        SDK does). ``dimensions`` shortens the vectors (text-embedding-3 models and later).
        Raises BadRequestError for a bad input or model, APIConnectionError when no answer.
        """
        decode = isinstance(encoding_format, NotGiven)
        body: dict[str, Any] = {
            "model": model,
            "input": input if isinstance(input, str | list) else _as_list(input),
            "user": user,
            "dimensions": dimensions,
            "encoding_format": "base64" if decode else encoding_format,
        }
        parser = _parse_decoded if decode else _parse_response
        return await self._client.request(  # type: ignore[no-any-return]
            "POST",
            "/embeddings",
            parser,
            body=body,
            options=options,
            raw=self._raw,
            metered=True,
        )


def _as_list(value: Iterable[Any]) -> list[Any]:
    return [v if isinstance(v, str | int | list) else list(v) for v in value]
