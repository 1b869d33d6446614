"""The Models API: ``/models``."""

from __future__ import annotations

from typing import Unpack

from .._client import object_parser, path_id
from .._endpoints import endpoint
from .._pagination import AsyncPage, AsyncPaginator
from .._types import RequestOptions
from ..types.model import Model, ModelDeleted
from ._base import APIResource

__all__ = ["Models"]

_parse_model = object_parser(Model)
_parse_deleted = object_parser(ModelDeleted)


class Models(APIResource):
    """``client.models``: list, retrieve, delete."""

    __slots__ = ()

    @endpoint("GET", "/models")
    def list(self, **options: Unpack[RequestOptions]) -> AsyncPaginator[Model, AsyncPage[Model]]:
        """List the models the key may use.

        ``await`` it for an AsyncPage[Model], or ``async for model in client.models.list()``.
        Raises APIStatusError subclasses for non-2xx answers, APIConnectionError when no answer.
        """
        return self._client.page("/models", Model, cursor=False, options=options, raw=self._raw)

    @endpoint("GET", "/models/{model}")
    async def retrieve(self, model: str, **options: Unpack[RequestOptions]) -> Model:
        """Retrieve one model by id. Raises NotFoundError when there is no such model."""
        return await self._client.request(  # type: ignore[no-any-return]
            "GET",
            f"/models/{path_id('model', model)}",
            _parse_model,
            options=options,
            raw=self._raw,
        )

    @endpoint("DELETE", "/models/{model}")
    async def delete(self, model: str, **options: Unpack[RequestOptions]) -> ModelDeleted:
        """Delete a fine-tuned model you own. Raises PermissionDeniedError for others' models."""
        return await self._client.request(  # type: ignore[no-any-return]
            "DELETE",
            f"/models/{path_id('model', model)}",
            _parse_deleted,
            options=options,
            raw=self._raw,
        )
