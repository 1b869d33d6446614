"""``client.chat.completions.messages``: the messages of a stored chat completion."""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.chat.chat_completion_store_message import ChatCompletionStoreMessage
from ...types.chat.completions.message_list_params import MessageListParams

__all__ = ["Messages"]


class _ListArgs(MessageListParams, RequestOptions, total=False): ...


class Messages(APIResource):
    """``client.chat.completions.messages``: list."""

    __slots__ = ()

    @endpoint("GET", "/chat/completions/{completion_id}/messages", _ListArgs)
    def list(
        self, completion_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[ChatCompletionStoreMessage, AsyncCursorPage[ChatCompletionStoreMessage]]:
        """List the messages of a chat completion created with ``store=True``: the request's
        messages, oldest first unless ``order="desc"``.

        ``await`` it for the first AsyncCursorPage, or ``async for message in ...`` to walk
        every page lazily. Raises NotFoundError for an unknown (or unstored) completion.
        """
        return self._list(
            Messages.list, ChatCompletionStoreMessage, params, completion_id=completion_id
        )
