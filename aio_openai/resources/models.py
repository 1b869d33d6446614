"""The Models API: ``/models``."""

from __future__ import annotations

from typing import Unpack

from .._endpoints import endpoint
from .._pagination import AsyncPage, AsyncPaginator
from .._resource import APIResource
from .._types import RequestOptions
from ..types.model import Model, ModelDeleted

__all__ = ["Models"]


class Models(APIResource):
    """``client.models``: list, retrieve, delete."""

    __slots__ = ()

    @endpoint("GET", "/models")
    def list(self, **options: Unpack[RequestOptions]) -> AsyncPaginator[Model, AsyncPage[Model]]:
        """List the models the key may use.

        ``await`` it for an AsyncPage[Model], or ``async for model in client.models.list()``.
        Raises APIStatusError subclasses for non-2xx answers, APIConnectionError when no answer.
        """
        return self._list_page(Models.list, Model, options)

    @endpoint("GET", "/models/{model}")
    async def retrieve(self, model: str, **options: Unpack[RequestOptions]) -> Model:
        """Retrieve one model by id. Raises NotFoundError when there is no such model."""
        return await self._call(Models.retrieve, Model, options, model=model)

    @endpoint("DELETE", "/models/{model}")
    async def delete(self, model: str, **options: Unpack[RequestOptions]) -> ModelDeleted:
        """Delete a fine-tuned model you own. Raises PermissionDeniedError for others' models."""
        return await self._call(Models.delete, ModelDeleted, options, model=model)
