"""The Messages API: ``/threads/{thread_id}/messages``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, Unpack

from ...._client import object_parser, path_id
from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator
from ...._types import NOT_GIVEN, NotGiven, RequestOptions
from ....types.beta.threads.message import Message, MessageContentPartParam, MessageDeleted
from .._base import BetaResource

__all__ = ["Messages"]

_parse_message = object_parser(Message)
_parse_deleted = object_parser(MessageDeleted)


def _messages_path(thread_id: str) -> str:
    return f"/threads/{path_id('thread_id', thread_id)}/messages"


def _message_path(thread_id: str, message_id: str) -> str:
    return f"{_messages_path(thread_id)}/{path_id('message_id', message_id)}"


class Messages(BetaResource):
    """``client.beta.threads.messages``: create, retrieve, update, list, delete."""

    __slots__ = ()

    @endpoint("POST", "/threads/{thread_id}/messages")
    async def create(
        self,
        thread_id: str,
        *,
        content: str | Iterable[MessageContentPartParam],
        role: Literal["user", "assistant"],
        attachments: Iterable[Mapping[str, Any]] | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        file_ids: Sequence[str] | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Message:
        """Add a message to a thread and return it.

        ``content`` is text, or (v2) a list of content parts; files go in ``attachments`` (v2)
        or ``file_ids`` (v1). Raises NotFoundError for an unknown thread, BadRequestError
        while a run of the thread is active.
        """
        body = {
            "content": content,
            "role": role,
            "attachments": attachments,
            "metadata": metadata,
            "file_ids": file_ids,
        }
        return await self._call(  # type: ignore[no-any-return]
            "POST", _messages_path(thread_id), _parse_message, options, body=body
        )

    @endpoint("GET", "/threads/{thread_id}/messages/{message_id}")
    async def retrieve(
        self, message_id: str, *, thread_id: str, **options: Unpack[RequestOptions]
    ) -> Message:
        """Retrieve a message. Raises NotFoundError when there is no such message."""
        return await self._call(  # type: ignore[no-any-return]
            "GET", _message_path(thread_id, message_id), _parse_message, options
        )

    @endpoint("POST", "/threads/{thread_id}/messages/{message_id}")
    async def update(
        self,
        message_id: str,
        *,
        thread_id: str,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Message:
        """Change a message's metadata and return the message."""
        return await self._call(  # type: ignore[no-any-return]
            "POST",
            _message_path(thread_id, message_id),
            _parse_message,
            options,
            body={"metadata": metadata},
        )

    @endpoint("GET", "/threads/{thread_id}/messages")
    def list(
        self,
        thread_id: str,
        *,
        after: str | NotGiven = NOT_GIVEN,
        before: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        order: Literal["asc", "desc"] | NotGiven = NOT_GIVEN,
        run_id: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Message, AsyncCursorPage[Message]]:
        """List a thread's messages, newest first unless ``order="asc"``; ``run_id`` keeps
        those a run created.

        ``await`` it for the first AsyncCursorPage, or ``async for`` every message lazily.
        """
        query = {"after": after, "before": before, "limit": limit, "order": order}
        query["run_id"] = run_id
        return self._list(_messages_path(thread_id), Message, options, query)

    @endpoint("DELETE", "/threads/{thread_id}/messages/{message_id}")
    async def delete(
        self, message_id: str, *, thread_id: str, **options: Unpack[RequestOptions]
    ) -> MessageDeleted:
        """Delete a message (v2). Raises NotFoundError when there is no such message."""
        return await self._call(  # type: ignore[no-any-return]
            "DELETE", _message_path(thread_id, message_id), _parse_deleted, options
        )
