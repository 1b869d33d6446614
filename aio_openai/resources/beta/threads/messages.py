"""The Messages API: ``/threads/{thread_id}/messages``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator
from ...._resource import AssistantsResource
from ...._types import RequestOptions
from ....types.beta.threads.message import Message, MessageDeleted
from ....types.beta.threads.message_create_params import MessageCreateParams
from ....types.beta.threads.message_list_params import MessageListParams
from ....types.beta.threads.message_update_params import MessageUpdateParams

__all__ = ["Messages"]


class _CreateArgs(MessageCreateParams, RequestOptions, total=False): ...


class _UpdateArgs(MessageUpdateParams, RequestOptions, total=False): ...


class _ListArgs(MessageListParams, RequestOptions, total=False): ...


class Messages(AssistantsResource):
    """``client.beta.threads.messages``: create, retrieve, update, list, delete."""

    __slots__ = ()

    @endpoint("POST", "/threads/{thread_id}/messages", _CreateArgs)
    async def create(self, thread_id: str, **params: Unpack[_CreateArgs]) -> Message:
        """Add a message to a thread and return it.

        ``content`` is text, or (v2) a list of content parts; files go in ``attachments`` (v2)
        or ``file_ids`` (v1). Raises NotFoundError for an unknown thread, BadRequestError
        while a run of the thread is active.
        """
        return await self._call(Messages.create, Message, params, thread_id=thread_id)

    @endpoint("GET", "/threads/{thread_id}/messages/{message_id}")
    async def retrieve(
        self, message_id: str, *, thread_id: str, **options: Unpack[RequestOptions]
    ) -> Message:
        """Retrieve a message. Raises NotFoundError when there is no such message."""
        return await self._call(
            Messages.retrieve, Message, options, thread_id=thread_id, message_id=message_id
        )

    @endpoint("POST", "/threads/{thread_id}/messages/{message_id}", _UpdateArgs)
    async def update(
        self, message_id: str, *, thread_id: str, **params: Unpack[_UpdateArgs]
    ) -> Message:
        """Change a message's metadata and return the message."""
        return await self._call(
            Messages.update, Message, params, thread_id=thread_id, message_id=message_id
        )

    @endpoint("GET", "/threads/{thread_id}/messages", _ListArgs)
    def list(
        self, thread_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[Message, AsyncCursorPage[Message]]:
        """List a thread's messages, newest first unless ``order="asc"``; ``run_id`` keeps
        those a run created.

        ``await`` it for the first AsyncCursorPage, or ``async for`` every message lazily.
        """
        return self._list(Messages.list, Message, params, thread_id=thread_id)

    @endpoint("DELETE", "/threads/{thread_id}/messages/{message_id}")
    async def delete(
        self, message_id: str, *, thread_id: str, **options: Unpack[RequestOptions]
    ) -> MessageDeleted:
        """Delete a message (v2). Raises NotFoundError when there is no such message."""
        return await self._call(
            Messages.delete, MessageDeleted, options, thread_id=thread_id, message_id=message_id
        )
