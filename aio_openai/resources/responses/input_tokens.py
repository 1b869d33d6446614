"""``client.responses.input_tokens``: the input tokens a request would use."""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.responses.input_token_count_params import InputTokenCountParams
from ...types.responses.input_token_count_response import InputTokenCountResponse

__all__ = ["InputTokens"]


class _CountArgs(InputTokenCountParams, RequestOptions, total=False): ...


class InputTokens(APIResource):
    """``client.responses.input_tokens``: count."""

    __slots__ = ()

    @endpoint("POST", "/responses/input_tokens", _CountArgs)
    async def count(self, **params: Unpack[_CountArgs]) -> InputTokenCountResponse:
        """Count the input tokens of a ``responses.create`` request without running it: the
        same ``model``, ``input``, ``instructions``, ``tools``, ``previous_response_id`` or
        ``conversation`` (whose history counts too), ... Returns an InputTokenCountResponse
        (``input_tokens``). Raises NotFoundError for an unknown ``previous_response_id`` or
        conversation.
        """
        return await self._call(InputTokens.count, InputTokenCountResponse, params)
