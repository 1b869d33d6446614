"""The Images API: ``/images``, pictures generated from a prompt, edited, or varied."""

from __future__ import annotations

from typing import Any, Final, Literal, Unpack, overload

from .._convert import converter
from .._endpoints import endpoint
from .._resource import APIResource
from .._streaming import AsyncStream, EventStream
from .._types import NOT_GIVEN, NotGiven, RequestOptions
from ..types.image_create_variation_params import ImageCreateVariationParams
from ..types.image_edit_params import ImageEditParamsBase
from ..types.image_edit_stream_event import ImageEditStreamEvent
from ..types.image_gen_stream_event import ImageGenStreamEvent
from ..types.image_generate_params import ImageGenerateParamsBase
from ..types.images_response import ImagesResponse

__all__ = ["DEFAULT_IMAGE_MODEL", "Images"]

#: The model OpenAI uses when a request names none: its rate limits are the ones that apply.
DEFAULT_IMAGE_MODEL: Final = "dall-e-2"

_gen_structure = converter.get_structure_hook(ImageGenStreamEvent)
_edit_structure = converter.get_structure_hook(ImageEditStreamEvent)


def _parse_gen(event: str | None, data: Any) -> ImageGenStreamEvent:
    item: ImageGenStreamEvent = _gen_structure(data, ImageGenStreamEvent)
    return item


def _parse_edit(event: str | None, data: Any) -> ImageEditStreamEvent:
    item: ImageEditStreamEvent = _edit_structure(data, ImageEditStreamEvent)
    return item


_GEN_EVENTS: Final = EventStream(_parse_gen, frozenset({"image_generation.completed"}))
_EDIT_EVENTS: Final = EventStream(_parse_edit, frozenset({"image_edit.completed"}))


class _GenerateArgs(ImageGenerateParamsBase, RequestOptions, total=False): ...


class _EditArgs(ImageEditParamsBase, RequestOptions, total=False): ...


class _VariationArgs(ImageCreateVariationParams, RequestOptions, total=False): ...


class Images(APIResource):
    """``client.images``: ``generate``, ``edit``, ``create_variation``."""

    __slots__ = ()

    @overload
    async def generate(
        self,
        *,
        stream: Literal[False] | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_GenerateArgs],
    ) -> ImagesResponse: ...

    @overload
    async def generate(
        self, *, stream: Literal[True], **params: Unpack[_GenerateArgs]
    ) -> AsyncStream[ImageGenStreamEvent]: ...

    @overload
    async def generate(
        self, *, stream: bool, **params: Unpack[_GenerateArgs]
    ) -> ImagesResponse | AsyncStream[ImageGenStreamEvent]: ...

    @endpoint(
        "POST",
        "/images/generations",
        _GenerateArgs,
        metered=DEFAULT_IMAGE_MODEL,
        counts_tokens=False,
    )
    async def generate(
        self, *, stream: bool | NotGiven | None = NOT_GIVEN, **params: Unpack[_GenerateArgs]
    ) -> ImagesResponse | AsyncStream[ImageGenStreamEvent]:
        """Make ``n`` images of ``prompt`` with ``model`` (dall-e-2 by default, dall-e-3,
        gpt-image-1, ...), of ``size`` (``"1024x1024"``, ...), as ``response_format`` (``url``
        or ``b64_json``; the GPT image models always answer ``b64_json``) in
        ``output_format``.

        Returns an ImagesResponse (``data``: one Image each). With ``stream=True`` (GPT image
        models), an AsyncStream of ``image_generation.partial_image`` events
        (``partial_images`` of them, 0 to 3) and ``image_generation.completed``. The rate
        limiter counts the call as one request of ``model``. Raises BadRequestError for a bad
        size, format or count.
        """
        if stream:
            return await self._stream(Images.generate, _GEN_EVENTS, params)
        return await self._call(Images.generate, ImagesResponse, params, stream=stream)

    @overload
    async def edit(
        self,
        *,
        stream: Literal[False] | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_EditArgs],
    ) -> ImagesResponse: ...

    @overload
    async def edit(
        self, *, stream: Literal[True], **params: Unpack[_EditArgs]
    ) -> AsyncStream[ImageEditStreamEvent]: ...

    @overload
    async def edit(
        self, *, stream: bool, **params: Unpack[_EditArgs]
    ) -> ImagesResponse | AsyncStream[ImageEditStreamEvent]: ...

    @endpoint(
        "POST",
        "/images/edits",
        _EditArgs,
        metered=DEFAULT_IMAGE_MODEL,
        counts_tokens=False,
        files=("image", "mask", "markup"),
    )
    async def edit(
        self, *, stream: bool | NotGiven | None = NOT_GIVEN, **params: Unpack[_EditArgs]
    ) -> ImagesResponse | AsyncStream[ImageEditStreamEvent]:
        """Edit ``image`` (a PNG, or a list of images for the GPT image models; streamed as
        multipart, as ``files.create`` takes files) as ``prompt`` says, where ``mask`` (a PNG
        whose transparent pixels mark the area) allows.

        Returns an ImagesResponse; with ``stream=True``, an AsyncStream of
        ``image_edit.partial_image`` and ``image_edit.completed`` events. The rate limiter
        counts the call as one request of ``model``. Raises BadRequestError for a bad image,
        size or format.
        """
        if stream:
            return await self._stream(Images.edit, _EDIT_EVENTS, params)
        return await self._call(Images.edit, ImagesResponse, params, stream=stream)

    @endpoint(
        "POST",
        "/images/variations",
        _VariationArgs,
        metered=DEFAULT_IMAGE_MODEL,
        counts_tokens=False,
        files=("image",),
    )
    async def create_variation(self, **params: Unpack[_VariationArgs]) -> ImagesResponse:
        """Make ``n`` variations of ``image`` (a square PNG under 4 MB, streamed as multipart)
        with dall-e-2, of ``size`` (256x256, 512x512 or 1024x1024). Returns an
        ImagesResponse. The rate limiter counts the call as one request. Raises
        BadRequestError for a bad image or size."""
        return await self._call(Images.create_variation, ImagesResponse, params)
