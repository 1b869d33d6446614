"""The Runs API: ``/threads/{thread_id}/runs``, with the poll helpers."""

from __future__ import annotations

from typing import Any, Final, Literal, Required, Unpack, overload

from ....._endpoints import endpoint, takes
from ....._pagination import AsyncCursorPage, AsyncPaginator
from ....._resource import AssistantsResource, PollTarget
from ....._streaming import AsyncStream, EventStream
from ....._types import NOT_GIVEN, NotGiven, RequestOptions
from .....lib.streaming._assistants import (
    AsyncAssistantEventHandler,
    AsyncAssistantEventHandlerT,
    AsyncAssistantStreamManager,
    stream_manager,
)
from .....types.beta.assistant_stream_event import (
    AssistantStreamEvent,
    parse_assistant_stream_event,
)
from .....types.beta.threads.run import TERMINAL_RUN_STATUSES, Run
from .....types.beta.threads.run_create_params import RunCreateParams
from .....types.beta.threads.run_list_params import RunListParams
from .....types.beta.threads.run_submit_tool_outputs_params import RunSubmitToolOutputsParams
from .....types.beta.threads.run_update_params import RunUpdateParams
from .steps import Steps

__all__ = ["RUN_EVENTS", "RUN_POLL", "Runs", "Steps"]

#: The events of a run's stream; it ends at the run's terminal event (it stopped, or waits
#: for tool outputs) and the ``done`` event after it: a body that ends before one was cut.
RUN_EVENTS: Final = EventStream(
    parse_assistant_stream_event,
    frozenset(
        {
            "thread.run.completed",
            "thread.run.failed",
            "thread.run.cancelled",
            "thread.run.expired",
            "thread.run.incomplete",
            "thread.run.requires_action",
            "done",
        }
    ),
)


class _CreateArgs(RunCreateParams, total=False):
    assistant_id: Required[str]


class _UpdateArgs(RunUpdateParams, RequestOptions, total=False): ...


class _ListArgs(RunListParams, RequestOptions, total=False): ...


class _SubmitArgs(RunSubmitToolOutputsParams, RequestOptions, total=False): ...


class Runs(AssistantsResource):
    """``client.beta.threads.runs``: create, retrieve, update, list, cancel,
    submit_tool_outputs, the helpers poll, create_and_poll, submit_tool_outputs_and_poll, and
    the stream helpers stream, create_and_stream, submit_tool_outputs_stream.
    """

    __slots__ = ()

    @property
    def steps(self) -> Steps:
        """The Run Steps API: retrieve, list."""
        return Steps(self._client, raw=self._raw)

    @overload
    async def create(
        self,
        thread_id: str,
        *,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        **params: Unpack[_CreateArgs],
    ) -> Run: ...

    @overload
    async def create(
        self, thread_id: str, *, stream: Literal[True], **params: Unpack[_CreateArgs]
    ) -> AsyncStream[AssistantStreamEvent]: ...

    @overload
    async def create(
        self, thread_id: str, *, stream: bool, **params: Unpack[_CreateArgs]
    ) -> Run | AsyncStream[AssistantStreamEvent]: ...

    @endpoint("POST", "/threads/{thread_id}/runs", _CreateArgs, query=("include",))
    async def create(
        self, thread_id: str, *, stream: bool | NotGiven = NOT_GIVEN, **params: Unpack[_CreateArgs]
    ) -> Run | AsyncStream[AssistantStreamEvent]:
        """Start a run of an assistant on a thread and return it (usually ``queued``).

        ``include`` (v2) asks for extra run step fields, e.g.
        ``["step_details.tool_calls[*].file_search.results[*].content"]``.
        With ``stream=True``, returns an AsyncStream of AssistantStreamEvent instead:
        ``thread.run.created``, ..., ``thread.message.delta``, ..., ``thread.run.completed``.
        Raises NotFoundError for an unknown thread or assistant, BadRequestError while
        another run of the thread is active.
        """
        if stream:
            return await self._stream(Runs.create, RUN_EVENTS, params, thread_id=thread_id)
        return await self._call(Runs.create, Run, params, thread_id=thread_id, stream=stream)

    @endpoint("GET", "/threads/{thread_id}/runs/{run_id}")
    async def retrieve(
        self, run_id: str, *, thread_id: str, **options: Unpack[RequestOptions]
    ) -> Run:
        """Retrieve a run. Raises NotFoundError when there is no such run on the thread."""
        return await self._call(Runs.retrieve, Run, options, thread_id=thread_id, run_id=run_id)

    @endpoint("POST", "/threads/{thread_id}/runs/{run_id}", _UpdateArgs)
    async def update(self, run_id: str, *, thread_id: str, **params: Unpack[_UpdateArgs]) -> Run:
        """Change a run's metadata and return the run."""
        return await self._call(Runs.update, Run, params, thread_id=thread_id, run_id=run_id)

    @endpoint("GET", "/threads/{thread_id}/runs", _ListArgs)
    def list(
        self, thread_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[Run, AsyncCursorPage[Run]]:
        """List the runs of a thread, newest first unless ``order="asc"``.

        ``await`` it for the first AsyncCursorPage, or ``async for`` every run lazily.
        """
        return self._list(Runs.list, Run, params, thread_id=thread_id)

    @endpoint("POST", "/threads/{thread_id}/runs/{run_id}/cancel")
    async def cancel(
        self, run_id: str, *, thread_id: str, **options: Unpack[RequestOptions]
    ) -> Run:
        """Ask the server to cancel a run; returns it (``cancelling``, later ``cancelled``).

        Raises BadRequestError when the run already finished.
        """
        return await self._call(Runs.cancel, Run, options, thread_id=thread_id, run_id=run_id)

    @overload
    async def submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        stream: Literal[False] | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_SubmitArgs],
    ) -> Run: ...

    @overload
    async def submit_tool_outputs(
        self, run_id: str, *, thread_id: str, stream: Literal[True], **params: Unpack[_SubmitArgs]
    ) -> AsyncStream[AssistantStreamEvent]: ...

    @endpoint("POST", "/threads/{thread_id}/runs/{run_id}/submit_tool_outputs", _SubmitArgs)
    async def submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        stream: bool | NotGiven | None = NOT_GIVEN,
        **params: Unpack[_SubmitArgs],
    ) -> Run | AsyncStream[AssistantStreamEvent]:
        """Send the outputs of the tool calls a ``requires_action`` run waits for.

        ``tool_outputs`` is ``[{"tool_call_id": ..., "output": ...}, ...]``, one per call.
        Returns the run, which goes on; BadRequestError if it was not waiting for them. With
        ``stream=True``, an AsyncStream of the events of the run's continuation instead.
        """
        fn = Runs.submit_tool_outputs
        if stream:
            return await self._stream(fn, RUN_EVENTS, params, thread_id=thread_id, run_id=run_id)
        return await self._call(fn, Run, params, thread_id=thread_id, run_id=run_id, stream=stream)

    # -- polling helpers --------------------------------------------------------------------

    @takes(None)
    async def poll(
        self,
        run_id: str,
        thread_id: str,
        *,
        poll_interval_ms: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Run:
        """Wait until a run's status is terminal (``requires_action``, ``cancelled``,
        ``completed``, ``failed``, ``expired``, ``incomplete``) and return the run.

        Waits between looks as the server's ``openai-poll-after-ms`` header asks, else
        ``poll_interval_ms``, else 1 s. ``deadline`` (seconds) bounds the whole wait and raises
        PollTimeoutError (an APITimeoutError) carrying the last Run seen as ``.run``; ``timeout``
        keeps its meaning, per request. Cancelling the awaiting task leaves nothing behind and
        does not cancel the run on the server.
        """
        ids = {"thread_id": thread_id, "run_id": run_id}
        return await self._poll(RUN_POLL, options, ids, poll_interval_ms=poll_interval_ms)

    @takes(_CreateArgs)
    async def create_and_poll(
        self,
        *,
        thread_id: str,
        poll_interval_ms: int | None = None,
        **params: Unpack[_CreateArgs],
    ) -> Run:
        """Create a run (see ``create``) and wait until it is terminal (see ``poll``).

        ``deadline`` covers both. Raises PollTimeoutError past it.
        """
        ids = {"thread_id": thread_id}
        return await self._poll(
            RUN_POLL, params, ids, first=Runs.create, poll_interval_ms=poll_interval_ms
        )

    @takes(_SubmitArgs)
    async def submit_tool_outputs_and_poll(
        self,
        *,
        run_id: str,
        thread_id: str,
        poll_interval_ms: int | None = None,
        **params: Unpack[_SubmitArgs],
    ) -> Run:
        """Submit tool outputs (see ``submit_tool_outputs``) and wait until the run is terminal
        again (see ``poll``). ``deadline`` covers both.
        """
        ids = {"thread_id": thread_id, "run_id": run_id}
        first = Runs.submit_tool_outputs
        return await self._poll(
            RUN_POLL, params, ids, first=first, poll_interval_ms=poll_interval_ms
        )

    # -- stream helpers ---------------------------------------------------------------------

    @overload
    def stream(
        self,
        *,
        thread_id: str,
        event_handler: None = None,
        **params: Unpack[_CreateArgs],
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandler]: ...

    @overload
    def stream(
        self,
        *,
        thread_id: str,
        event_handler: AsyncAssistantEventHandlerT,
        **params: Unpack[_CreateArgs],
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandlerT]: ...

    @takes(_CreateArgs)
    def stream(
        self,
        *,
        thread_id: str,
        event_handler: AsyncAssistantEventHandler | None = None,
        **params: Unpack[_CreateArgs],
    ) -> AsyncAssistantStreamManager[Any]:
        """Start a run of an assistant on a thread (see ``create``) and stream it.

        Returns an async context manager: ``async with`` sends the request and gives
        ``event_handler`` (an AsyncAssistantEventHandler subclass instance, whose callbacks
        see every event; a plain one by default) reading the run's events; leaving the block
        closes the stream. Bad arguments raise here (TypeError, ValueError); the request's
        errors (NotFoundError, BadRequestError, ...) at ``async with``.
        """
        return self._run_stream(thread_id, event_handler, params)

    @overload
    def create_and_stream(
        self,
        *,
        thread_id: str,
        event_handler: None = None,
        **params: Unpack[_CreateArgs],
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandler]: ...

    @overload
    def create_and_stream(
        self,
        *,
        thread_id: str,
        event_handler: AsyncAssistantEventHandlerT,
        **params: Unpack[_CreateArgs],
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandlerT]: ...

    @takes(_CreateArgs)
    def create_and_stream(
        self,
        *,
        thread_id: str,
        event_handler: AsyncAssistantEventHandler | None = None,
        **params: Unpack[_CreateArgs],
    ) -> AsyncAssistantStreamManager[Any]:
        """The older name of ``stream``: start a run and stream it, the same way."""
        return self._run_stream(thread_id, event_handler, params)

    def _run_stream(
        self,
        thread_id: str,
        event_handler: AsyncAssistantEventHandler | None,
        params: _CreateArgs,
    ) -> AsyncAssistantStreamManager[Any]:
        opener = self._stream_later(Runs.create, RUN_EVENTS, params, thread_id=thread_id)
        return stream_manager(opener, event_handler)

    @overload
    def submit_tool_outputs_stream(
        self,
        *,
        run_id: str,
        thread_id: str,
        event_handler: None = None,
        **params: Unpack[_SubmitArgs],
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandler]: ...

    @overload
    def submit_tool_outputs_stream(
        self,
        *,
        run_id: str,
        thread_id: str,
        event_handler: AsyncAssistantEventHandlerT,
        **params: Unpack[_SubmitArgs],
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandlerT]: ...

    @takes(_SubmitArgs)
    def submit_tool_outputs_stream(
        self,
        *,
        run_id: str,
        thread_id: str,
        event_handler: AsyncAssistantEventHandler | None = None,
        **params: Unpack[_SubmitArgs],
    ) -> AsyncAssistantStreamManager[Any]:
        """Send the outputs of the tool calls a ``requires_action`` run waits for (see
        ``submit_tool_outputs``) and stream the rest of the same run.

        Returns an async context manager giving ``event_handler`` (a new handler: one reads
        one stream), as ``stream`` does; BadRequestError at ``async with`` if the run was
        not waiting for these outputs.
        """
        opener = self._stream_later(
            Runs.submit_tool_outputs, RUN_EVENTS, params, thread_id=thread_id, run_id=run_id
        )
        return stream_manager(opener, event_handler)


#: A run, as the poll helpers look at it.
RUN_POLL: Final = PollTarget(
    Runs.retrieve,
    Run,
    lambda run: {"thread_id": run.thread_id or "", "run_id": run.id},
    TERMINAL_RUN_STATUSES,
)
