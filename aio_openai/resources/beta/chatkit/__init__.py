"""ChatKit (beta): ``/chatkit``: the sessions a ChatKit front end opens with a workflow, and
the threads its users' conversations are kept in. Every call sends
``OpenAI-Beta: chatkit_beta=v1``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncConversationCursorPage, AsyncPaginator
from ...._resource import APIResource
from ...._types import RequestOptions
from ....types.beta.chatkit.chat_session import ChatSession
from ....types.beta.chatkit.chatkit_thread import ChatKitThread
from ....types.beta.chatkit.chatkit_thread_item_list import Data
from ....types.beta.chatkit.session_create_params import SessionCreateParams
from ....types.beta.chatkit.thread_delete_response import ThreadDeleteResponse
from ....types.beta.chatkit.thread_list_items_params import ThreadListItemsParams
from ....types.beta.chatkit.thread_list_params import ThreadListParams

__all__ = ["ChatKit", "Sessions", "Threads"]

#: The header of the ChatKit beta.
CHATKIT_BETA: Final = {"OpenAI-Beta": "chatkit_beta=v1"}
#: The class of a thread item: a union (typed Any: a union is no ``type``), parsed by its tag.
_ITEM: Final[Any] = Data


class _ChatKitResource(APIResource):
    __slots__ = ()

    def _endpoint_headers(self) -> Mapping[str, str]:
        return CHATKIT_BETA


class _CreateArgs(SessionCreateParams, RequestOptions, total=False): ...


class _ListArgs(ThreadListParams, RequestOptions, total=False): ...


class _ListItemsArgs(ThreadListItemsParams, RequestOptions, total=False): ...


class Sessions(_ChatKitResource):
    """``client.beta.chatkit.sessions``: create, cancel."""

    __slots__ = ()

    @endpoint("POST", "/chatkit/sessions", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> ChatSession:
        """Open a ChatKit session for ``user`` running ``workflow`` (``{"id": "wf_..."}``),
        with ``chatkit_configuration``, ``expires_after`` and ``rate_limits``. Returns the
        ChatSession, whose ``client_secret`` the front end uses. Raises BadRequestError for
        a bad parameter."""
        return await self._call(Sessions.create, ChatSession, params)

    @endpoint("POST", "/chatkit/sessions/{session_id}/cancel")
    async def cancel(self, session_id: str, **options: Unpack[RequestOptions]) -> ChatSession:
        """Cancel an active session (its client secret stops working); returns it
        (``status`` ``"cancelled"``). NotFoundError for an unknown session."""
        return await self._call(Sessions.cancel, ChatSession, options, session_id=session_id)


class Threads(_ChatKitResource):
    """``client.beta.chatkit.threads``: retrieve, list, delete, list_items."""

    __slots__ = ()

    @endpoint("GET", "/chatkit/threads/{thread_id}")
    async def retrieve(self, thread_id: str, **options: Unpack[RequestOptions]) -> ChatKitThread:
        """A ChatKit thread. NotFoundError when there is no such thread."""
        return await self._call(Threads.retrieve, ChatKitThread, options, thread_id=thread_id)

    @endpoint("GET", "/chatkit/threads", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[ChatKitThread, AsyncConversationCursorPage[ChatKitThread]]:
        """The threads, newest first unless ``order="asc"``, those of ``user`` only if given:
        ``await`` it for the first page, ``async for`` every one."""
        return self._pages(
            Threads.list, ChatKitThread, params, {}, page=AsyncConversationCursorPage
        )

    @endpoint("DELETE", "/chatkit/threads/{thread_id}")
    async def delete(
        self, thread_id: str, **options: Unpack[RequestOptions]
    ) -> ThreadDeleteResponse:
        """Delete a thread and its items. NotFoundError for an unknown thread."""
        fn = Threads.delete
        return await self._call(fn, ThreadDeleteResponse, options, thread_id=thread_id)

    @endpoint("GET", "/chatkit/threads/{thread_id}/items", _ListItemsArgs)
    def list_items(
        self, thread_id: str, **params: Unpack[_ListItemsArgs]
    ) -> AsyncPaginator[Data, AsyncConversationCursorPage[Data]]:
        """The items of a thread (user and assistant messages, widgets, tool calls, tasks),
        oldest first unless ``order="desc"``. NotFoundError for an unknown thread."""
        ids = {"thread_id": thread_id}
        fn = Threads.list_items
        return self._pages(fn, _ITEM, params, ids, page=AsyncConversationCursorPage)


class ChatKit(APIResource):
    """``client.beta.chatkit``: ``sessions`` and ``threads``."""

    __slots__ = ()

    @property
    def sessions(self) -> Sessions:
        """ChatKit sessions: create, cancel."""
        return Sessions(self._client, raw=self._raw)

    @property
    def threads(self) -> Threads:
        """ChatKit threads: retrieve, list, delete, list_items."""
        return Threads(self._client, raw=self._raw)
