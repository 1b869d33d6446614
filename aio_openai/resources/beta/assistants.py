"""The Assistants API: ``/assistants``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, Unpack

from ..._client import object_parser, path_id
from ..._endpoints import endpoint
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._types import NOT_GIVEN, NotGiven, RequestOptions
from ...types.beta.assistant import Assistant, AssistantDeleted
from ...types.beta.tools import (
    AssistantResponseFormatOptionParam,
    AssistantToolParam,
    ToolResourcesParam,
)
from ._base import BetaResource

__all__ = ["Assistants"]

_parse_assistant = object_parser(Assistant)
_parse_deleted = object_parser(AssistantDeleted)


class Assistants(BetaResource):
    """``client.beta.assistants``: create, retrieve, update, list, delete."""

    __slots__ = ()

    @endpoint("POST", "/assistants")
    async def create(
        self,
        *,
        model: str,
        description: str | NotGiven | None = NOT_GIVEN,
        instructions: str | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        name: str | NotGiven | None = NOT_GIVEN,
        reasoning_effort: str | NotGiven | None = NOT_GIVEN,
        response_format: AssistantResponseFormatOptionParam | NotGiven | None = NOT_GIVEN,
        temperature: float | NotGiven | None = NOT_GIVEN,
        tool_resources: ToolResourcesParam | NotGiven | None = NOT_GIVEN,
        tools: Iterable[AssistantToolParam] | NotGiven = NOT_GIVEN,
        top_p: float | NotGiven | None = NOT_GIVEN,
        file_ids: Sequence[str] | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Assistant:
        """Create an assistant and return it.

        ``tool_resources`` is the v2 way to give it files, ``file_ids`` the v1 way; tools may be
        attrs objects (``FunctionTool(...)``) or dicts (``{"type": "retrieval"}``).
        Raises BadRequestError for a bad parameter (``param`` names it).
        """
        body = {
            "model": model,
            "description": description,
            "instructions": instructions,
            "metadata": metadata,
            "name": name,
            "reasoning_effort": reasoning_effort,
            "response_format": response_format,
            "temperature": temperature,
            "tool_resources": tool_resources,
            "tools": tools,
            "top_p": top_p,
            "file_ids": file_ids,
        }
        return await self._call(  # type: ignore[no-any-return]
            "POST", "/assistants", _parse_assistant, options, body=body
        )

    @endpoint("GET", "/assistants/{assistant_id}")
    async def retrieve(self, assistant_id: str, **options: Unpack[RequestOptions]) -> Assistant:
        """Retrieve an assistant. Raises NotFoundError when there is no such assistant."""
        return await self._call(  # type: ignore[no-any-return]
            "GET", f"/assistants/{path_id('assistant_id', assistant_id)}", _parse_assistant, options
        )

    @endpoint("POST", "/assistants/{assistant_id}")
    async def update(
        self,
        assistant_id: str,
        *,
        description: str | NotGiven | None = NOT_GIVEN,
        instructions: str | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        model: str | NotGiven = NOT_GIVEN,
        name: str | NotGiven | None = NOT_GIVEN,
        reasoning_effort: str | NotGiven | None = NOT_GIVEN,
        response_format: AssistantResponseFormatOptionParam | NotGiven | None = NOT_GIVEN,
        temperature: float | NotGiven | None = NOT_GIVEN,
        tool_resources: ToolResourcesParam | NotGiven | None = NOT_GIVEN,
        tools: Iterable[AssistantToolParam] | NotGiven = NOT_GIVEN,
        top_p: float | NotGiven | None = NOT_GIVEN,
        file_ids: Sequence[str] | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Assistant:
        """Change the given fields of an assistant and return it (others are left as they are).

        Raises NotFoundError when there is no such assistant.
        """
        body = {
            "description": description,
            "instructions": instructions,
            "metadata": metadata,
            "model": model,
            "name": name,
            "reasoning_effort": reasoning_effort,
            "response_format": response_format,
            "temperature": temperature,
            "tool_resources": tool_resources,
            "tools": tools,
            "top_p": top_p,
            "file_ids": file_ids,
        }
        return await self._call(  # type: ignore[no-any-return]
            "POST",
            f"/assistants/{path_id('assistant_id', assistant_id)}",
            _parse_assistant,
            options,
            body=body,
        )

    @endpoint("GET", "/assistants")
    def list(
        self,
        *,
        after: str | NotGiven = NOT_GIVEN,
        before: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        order: Literal["asc", "desc"] | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Assistant, AsyncCursorPage[Assistant]]:
        """List assistants, newest first unless ``order="asc"``.

        ``await`` it for the first AsyncCursorPage (``data``, ``first_id``, ``last_id``,
        ``has_more``), or ``async for assistant in client.beta.assistants.list()`` to walk every
        page lazily.
        """
        query = {"after": after, "before": before, "limit": limit, "order": order}
        return self._list("/assistants", Assistant, options, query)

    @endpoint("DELETE", "/assistants/{assistant_id}")
    async def delete(
        self, assistant_id: str, **options: Unpack[RequestOptions]
    ) -> AssistantDeleted:
        """Delete an assistant. Raises NotFoundError when there is no such assistant."""
        return await self._call(  # type: ignore[no-any-return]
            "DELETE",
            f"/assistants/{path_id('assistant_id', assistant_id)}",
            _parse_deleted,
            options,
        )
