"""The Assistants API: ``/assistants``."""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._resource import DEPRECATED, AssistantsResource
from ..._types import RequestOptions
from ...types.beta.assistant import Assistant, AssistantDeleted
from ...types.beta.assistant_create_params import AssistantCreateParams
from ...types.beta.assistant_list_params import AssistantListParams
from ...types.beta.assistant_update_params import AssistantUpdateParams

__all__ = ["Assistants"]


class _CreateArgs(AssistantCreateParams, RequestOptions, total=False): ...


class _UpdateArgs(AssistantUpdateParams, RequestOptions, total=False): ...


class _ListArgs(AssistantListParams, RequestOptions, total=False): ...


class Assistants(AssistantsResource):
    """``client.beta.assistants``: create, retrieve, update, list, delete."""

    __slots__ = ()
    _deprecation = DEPRECATED  # the SDK's message for this resource

    @endpoint("POST", "/assistants", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> Assistant:
        """Create an assistant and return it.

        ``tool_resources`` is the v2 way to give it files, ``file_ids`` the v1 way; tools may be
        attrs objects (``FunctionTool(...)``) or dicts (``{"type": "retrieval"}``).
        Raises BadRequestError for a bad parameter (``param`` names it).
        """
        return await self._call(Assistants.create, Assistant, params)

    @endpoint("GET", "/assistants/{assistant_id}")
    async def retrieve(self, assistant_id: str, **options: Unpack[RequestOptions]) -> Assistant:
        """Retrieve an assistant. Raises NotFoundError when there is no such assistant."""
        return await self._call(Assistants.retrieve, Assistant, options, assistant_id=assistant_id)

    @endpoint("POST", "/assistants/{assistant_id}", _UpdateArgs)
    async def update(self, assistant_id: str, **params: Unpack[_UpdateArgs]) -> Assistant:
        """Change the given fields of an assistant and return it (others are left as they are).

        Raises NotFoundError when there is no such assistant.
        """
        return await self._call(Assistants.update, Assistant, params, assistant_id=assistant_id)

    @endpoint("GET", "/assistants", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[Assistant, AsyncCursorPage[Assistant]]:
        """List assistants, newest first unless ``order="asc"``.

        ``await`` it for the first AsyncCursorPage (``data``, ``first_id``, ``last_id``,
        ``has_more``), or ``async for assistant in client.beta.assistants.list()`` to walk every
        page lazily.
        """
        return self._list(Assistants.list, Assistant, params)

    @endpoint("DELETE", "/assistants/{assistant_id}")
    async def delete(
        self, assistant_id: str, **options: Unpack[RequestOptions]
    ) -> AssistantDeleted:
        """Delete an assistant. Raises NotFoundError when there is no such assistant."""
        return await self._call(
            Assistants.delete, AssistantDeleted, options, assistant_id=assistant_id
        )
