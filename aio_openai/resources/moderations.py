"""The Moderations API: ``/moderations``, a free safety check of text and images."""

from __future__ import annotations

from typing import Final, Unpack

from .._endpoints import endpoint
from .._resource import APIResource
from .._types import RequestOptions
from ..types.moderation_create_params import ModerationCreateParams
from ..types.moderation_create_response import ModerationCreateResponse

__all__ = ["DEFAULT_MODERATION_MODEL", "Moderations"]

#: The model OpenAI uses when a request names none: its rate limits are the ones that apply.
DEFAULT_MODERATION_MODEL: Final = "omni-moderation-latest"


class _CreateArgs(ModerationCreateParams, RequestOptions, total=False): ...


class Moderations(APIResource):
    """``client.moderations``: ``create``."""

    __slots__ = ()

    @endpoint("POST", "/moderations", _CreateArgs, metered=DEFAULT_MODERATION_MODEL)
    async def create(self, **params: Unpack[_CreateArgs]) -> ModerationCreateResponse:
        """Classify ``input`` as potentially harmful or not.

        ``input`` is a string, a list of strings (one result each), or a list of text and
        image parts (``{"type": "text", "text": ...}``, ``{"type": "image_url", "image_url":
        {"url": ...}}``: one result for them all). ``model`` defaults to
        omni-moderation-latest on the server. Returns a ModerationCreateResponse whose
        ``results`` hold each input's ``flagged``, ``categories``, ``category_scores`` and
        ``category_applied_input_types``. The rate limiter counts the call against the
        moderation model's request and token limits (the input's text, characters / 4).
        Raises BadRequestError for a bad input.
        """
        return await self._call(Moderations.create, ModerationCreateResponse, params)
