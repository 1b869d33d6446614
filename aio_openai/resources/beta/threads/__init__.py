"""The Threads API: ``/threads``, with messages and runs beneath it."""

from __future__ import annotations

from typing import Any, Literal, Required, Unpack, overload

from ...._endpoints import endpoint, takes
from ...._resource import AssistantsResource
from ...._streaming import AsyncStream
from ...._types import NOT_GIVEN, NotGiven, RequestOptions
from ....lib.streaming._assistants import (
    AsyncAssistantEventHandler,
    AsyncAssistantEventHandlerT,
    AsyncAssistantStreamManager,
    stream_manager,
)
from ....types.beta.assistant_stream_event import AssistantStreamEvent
from ....types.beta.thread import Thread, ThreadDeleted
from ....types.beta.thread_create_and_run_params import ThreadCreateAndRunParams
from ....types.beta.thread_create_params import ThreadCreateParams
from ....types.beta.thread_update_params import ThreadUpdateParams
from ....types.beta.threads.run import Run
from .messages import Messages
from .runs import RUN_EVENTS, RUN_POLL, Runs

__all__ = ["Messages", "Runs", "Threads"]


class _CreateArgs(ThreadCreateParams, RequestOptions, total=False): ...


class _UpdateArgs(ThreadUpdateParams, RequestOptions, total=False): ...


class _CreateAndRunArgs(ThreadCreateAndRunParams, total=False):
    assistant_id: Required[str]


class Threads(AssistantsResource):
    """``client.beta.threads``: create, retrieve, update, delete, create_and_run,
    create_and_run_poll, create_and_run_stream; ``messages`` and ``runs`` beneath.
    """

    __slots__ = ()

    @property
    def messages(self) -> Messages:
        """The Messages API: create, retrieve, update, list, delete."""
        return Messages(self._client, raw=self._raw)

    @property
    def runs(self) -> Runs:
        """The Runs API, with its steps and poll helpers."""
        return Runs(self._client, raw=self._raw)

    @endpoint("POST", "/threads", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> Thread:
        """Create a thread, optionally with first messages (``[{"role": "user", "content":
        "..."}]``), and return it. ``tool_resources`` is v2 only.
        """
        return await self._call(Threads.create, Thread, params)

    @endpoint("GET", "/threads/{thread_id}")
    async def retrieve(self, thread_id: str, **options: Unpack[RequestOptions]) -> Thread:
        """Retrieve a thread. Raises NotFoundError when there is no such thread."""
        return await self._call(Threads.retrieve, Thread, options, thread_id=thread_id)

    @endpoint("POST", "/threads/{thread_id}", _UpdateArgs)
    async def update(self, thread_id: str, **params: Unpack[_UpdateArgs]) -> Thread:
        """Change a thread's metadata or (v2) tool resources and return the thread."""
        return await self._call(Threads.update, Thread, params, thread_id=thread_id)

    @endpoint("DELETE", "/threads/{thread_id}")
    async def delete(self, thread_id: str, **options: Unpack[RequestOptions]) -> ThreadDeleted:
        """Delete a thread. Raises NotFoundError when there is no such thread."""
        return await self._call(Threads.delete, ThreadDeleted, options, thread_id=thread_id)

    @overload
    async def create_and_run(
        self,
        *,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        **params: Unpack[_CreateAndRunArgs],
    ) -> Run: ...

    @overload
    async def create_and_run(
        self, *, stream: Literal[True], **params: Unpack[_CreateAndRunArgs]
    ) -> AsyncStream[AssistantStreamEvent]: ...

    @overload
    async def create_and_run(
        self, *, stream: bool, **params: Unpack[_CreateAndRunArgs]
    ) -> Run | AsyncStream[AssistantStreamEvent]: ...

    @endpoint("POST", "/threads/runs", _CreateAndRunArgs)
    async def create_and_run(
        self, *, stream: bool | NotGiven = NOT_GIVEN, **params: Unpack[_CreateAndRunArgs]
    ) -> Run | AsyncStream[AssistantStreamEvent]:
        """Create a thread (``thread={"messages": [...]}``) and start a run on it in one call;
        returns the run (its ``thread_id`` names the new thread).

        With ``stream=True``, returns an AsyncStream of AssistantStreamEvent instead, starting
        with ``thread.created``. Raises NotFoundError for an unknown assistant.
        """
        if stream:
            return await self._stream(Threads.create_and_run, RUN_EVENTS, params)
        return await self._call(Threads.create_and_run, Run, params, stream=stream)

    @takes(_CreateAndRunArgs)
    async def create_and_run_poll(
        self, *, poll_interval_ms: int | None = None, **params: Unpack[_CreateAndRunArgs]
    ) -> Run:
        """Create a thread and a run (see ``create_and_run``), then wait until the run is
        terminal (see ``runs.poll``). ``deadline`` covers both; past it PollTimeoutError.
        """
        first = Threads.create_and_run
        return await self._poll(
            RUN_POLL, params, {}, first=first, poll_interval_ms=poll_interval_ms
        )

    @overload
    def create_and_run_stream(
        self, *, event_handler: None = None, **params: Unpack[_CreateAndRunArgs]
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandler]: ...

    @overload
    def create_and_run_stream(
        self, *, event_handler: AsyncAssistantEventHandlerT, **params: Unpack[_CreateAndRunArgs]
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandlerT]: ...

    @takes(_CreateAndRunArgs)
    def create_and_run_stream(
        self,
        *,
        event_handler: AsyncAssistantEventHandler | None = None,
        **params: Unpack[_CreateAndRunArgs],
    ) -> AsyncAssistantStreamManager[Any]:
        """Create a thread and a run on it (see ``create_and_run``) and stream the run, from
        ``thread.created`` on, as ``runs.stream`` does: an async context manager giving
        ``event_handler`` (a plain AsyncAssistantEventHandler by default).
        """
        opener = self._stream_later(Threads.create_and_run, RUN_EVENTS, params)
        return stream_manager(opener, event_handler)
