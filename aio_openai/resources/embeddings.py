"""The Embeddings API: ``/embeddings``.

Vectors are asked for as base64 by default (a quarter of the JSON's size on the wire, as the
official SDK does) and decoded to floats here: little-endian float32, with :mod:`array`.
"""

from __future__ import annotations

import base64
import binascii
import sys
from array import array
from typing import Unpack

import attrs

from .._endpoints import endpoint
from .._exceptions import APIResponseValidationError
from .._http import HTTPResponse
from .._resource import APIResource
from .._response import object_parser, set_request_id
from .._types import NOT_GIVEN, NotGiven, RequestOptions
from ..types.embedding import CreateEmbeddingResponse
from ..types.embedding_create_params import EmbeddingCreateParams

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


def _parse_decoded(response: HTTPResponse) -> CreateEmbeddingResponse:
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


class _CreateArgs(EmbeddingCreateParams, RequestOptions, total=False): ...


class Embeddings(APIResource):
    """``client.embeddings``: ``create``."""

    __slots__ = ()

    @endpoint("POST", "/embeddings", _CreateArgs, metered=True)
    async def create(self, **params: Unpack[_CreateArgs]) -> CreateEmbeddingResponse:
        """Embed one input (a string or a list of token ids) or a batch of them.

        Returns a CreateEmbeddingResponse with one Embedding per input, in order. Vectors are
        lists of floats: fetched as base64 and decoded, unless ``encoding_format`` is given
        (``"float"`` fetches floats; ``"base64"`` leaves the base64 strings, as the official
        SDK does). ``dimensions`` shortens the vectors (text-embedding-3 models and later).
        Raises BadRequestError for a bad input or model, APIConnectionError when no answer.
        """
        if isinstance(params.get("encoding_format", NOT_GIVEN), NotGiven):
            return await self._call_parsed(
                Embeddings.create, _parse_decoded, params, encoding_format="base64"
            )
        return await self._call_parsed(Embeddings.create, _parse_response, params)
