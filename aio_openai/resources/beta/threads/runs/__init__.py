"""The Runs API: ``/threads/{thread_id}/runs``, with the poll helpers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, Final, Literal, Unpack, overload

from ....._client import object_parser, path_id
from ....._endpoints import endpoint
from ....._pagination import AsyncCursorPage, AsyncPaginator
from ....._polling import check_poll_args, poll_run
from ....._response import APIResponse
from ....._streaming import AsyncStream
from ....._types import NOT_GIVEN, NotGiven, RequestOptions
from .....types.beta._unions import body_params
from .....types.beta.assistant_stream_event import (
    AssistantStreamEvent,
    parse_assistant_stream_event,
)
from .....types.beta.threads.run import Run
from .....types.beta.threads.run_create_params import RunCreateParams
from .....types.beta.tools import (
    AssistantResponseFormatOptionParam,
    AssistantToolChoiceOptionParam,
    AssistantToolParam,
    TruncationStrategyParam,
)
from ..._base import BetaResource
from .steps import Steps

__all__ = ["Runs", "Steps"]

_parse_run = object_parser(Run)


def _runs_path(thread_id: str) -> str:
    return f"/threads/{path_id('thread_id', thread_id)}/runs"


def _run_path(thread_id: str, run_id: str) -> str:
    return f"{_runs_path(thread_id)}/{path_id('run_id', run_id)}"


class Runs(BetaResource):
    """``client.beta.threads.runs``: create, retrieve, update, list, cancel,
    submit_tool_outputs, and the helpers poll, create_and_poll, submit_tool_outputs_and_poll.
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
        assistant_id: str,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        **params: Unpack[RunCreateParams],
    ) -> Run: ...

    @overload
    async def create(
        self,
        thread_id: str,
        *,
        assistant_id: str,
        stream: Literal[True],
        **params: Unpack[RunCreateParams],
    ) -> AsyncStream[AssistantStreamEvent]: ...

    @overload
    async def create(
        self,
        thread_id: str,
        *,
        assistant_id: str,
        stream: bool,
        **params: Unpack[RunCreateParams],
    ) -> Run | AsyncStream[AssistantStreamEvent]: ...

    @endpoint("POST", "/threads/{thread_id}/runs")
    async def create(
        self,
        thread_id: str,
        *,
        assistant_id: str,
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        additional_instructions: str | NotGiven | None = NOT_GIVEN,
        additional_messages: Iterable[Mapping[str, Any]] | NotGiven | None = NOT_GIVEN,
        instructions: str | NotGiven | None = NOT_GIVEN,
        max_completion_tokens: int | NotGiven | None = NOT_GIVEN,
        max_prompt_tokens: int | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        model: str | NotGiven | None = NOT_GIVEN,
        parallel_tool_calls: bool | NotGiven = NOT_GIVEN,
        reasoning_effort: str | NotGiven | None = NOT_GIVEN,
        response_format: AssistantResponseFormatOptionParam | NotGiven | None = NOT_GIVEN,
        temperature: float | NotGiven | None = NOT_GIVEN,
        tool_choice: AssistantToolChoiceOptionParam | NotGiven | None = NOT_GIVEN,
        tools: Iterable[AssistantToolParam] | NotGiven | None = NOT_GIVEN,
        top_p: float | NotGiven | None = NOT_GIVEN,
        truncation_strategy: TruncationStrategyParam | NotGiven | None = NOT_GIVEN,
        stream: bool | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Run | AsyncStream[AssistantStreamEvent]:
        """Start a run of an assistant on a thread and return it (usually ``queued``).

        ``include`` (v2) asks for extra run step fields, e.g.
        ``["step_details.tool_calls[*].file_search.results[*].content"]``.
        With ``stream=True``, returns an AsyncStream of AssistantStreamEvent instead:
        ``thread.run.created``, ..., ``thread.message.delta``, ..., ``thread.run.completed``.
        Raises NotFoundError for an unknown thread or assistant, BadRequestError while
        another run of the thread is active.
        """
        body = {
            "assistant_id": assistant_id,
            "additional_instructions": additional_instructions,
            "additional_messages": additional_messages,
            "instructions": instructions,
            "max_completion_tokens": max_completion_tokens,
            "max_prompt_tokens": max_prompt_tokens,
            "metadata": metadata,
            "model": model,
            "parallel_tool_calls": parallel_tool_calls,
            "reasoning_effort": reasoning_effort,
            "response_format": response_format,
            "temperature": temperature,
            "tool_choice": tool_choice,
            "tools": tools,
            "top_p": top_p,
            "truncation_strategy": truncation_strategy,
        }
        if stream:
            return await _stream_run(self, _runs_path(thread_id), body, options, include)  # type: ignore[no-any-return]
        return await self._call(  # type: ignore[no-any-return]
            "POST",
            _runs_path(thread_id),
            _parse_run,
            options,
            body=body,
            query={"include[]": include},
        )

    @endpoint("GET", "/threads/{thread_id}/runs/{run_id}")
    async def retrieve(
        self, run_id: str, *, thread_id: str, **options: Unpack[RequestOptions]
    ) -> Run:
        """Retrieve a run. Raises NotFoundError when there is no such run on the thread."""
        return await self._call(  # type: ignore[no-any-return]
            "GET", _run_path(thread_id, run_id), _parse_run, options
        )

    @endpoint("POST", "/threads/{thread_id}/runs/{run_id}")
    async def update(
        self,
        run_id: str,
        *,
        thread_id: str,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Run:
        """Change a run's metadata and return the run."""
        return await self._call(  # type: ignore[no-any-return]
            "POST",
            _run_path(thread_id, run_id),
            _parse_run,
            options,
            body={"metadata": metadata},
        )

    @endpoint("GET", "/threads/{thread_id}/runs")
    def list(
        self,
        thread_id: str,
        *,
        after: str | NotGiven = NOT_GIVEN,
        before: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        order: Literal["asc", "desc"] | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Run, AsyncCursorPage[Run]]:
        """List the runs of a thread, newest first unless ``order="asc"``.

        ``await`` it for the first AsyncCursorPage, or ``async for`` every run lazily.
        """
        query = {"after": after, "before": before, "limit": limit, "order": order}
        return self._list(_runs_path(thread_id), Run, options, query)

    @endpoint("POST", "/threads/{thread_id}/runs/{run_id}/cancel")
    async def cancel(
        self, run_id: str, *, thread_id: str, **options: Unpack[RequestOptions]
    ) -> Run:
        """Ask the server to cancel a run; returns it (``cancelling``, later ``cancelled``).

        Raises BadRequestError when the run already finished.
        """
        return await self._call(  # type: ignore[no-any-return]
            "POST", f"{_run_path(thread_id, run_id)}/cancel", _parse_run, options
        )

    @overload
    async def submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        tool_outputs: Iterable[Mapping[str, Any]],
        stream: Literal[False] | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Run: ...

    @overload
    async def submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        tool_outputs: Iterable[Mapping[str, Any]],
        stream: Literal[True],
        **options: Unpack[RequestOptions],
    ) -> AsyncStream[AssistantStreamEvent]: ...

    @endpoint("POST", "/threads/{thread_id}/runs/{run_id}/submit_tool_outputs")
    async def submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        tool_outputs: Iterable[Mapping[str, Any]],
        stream: bool | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Run | AsyncStream[AssistantStreamEvent]:
        """Send the outputs of the tool calls a ``requires_action`` run waits for.

        ``tool_outputs`` is ``[{"tool_call_id": ..., "output": ...}, ...]``, one per call.
        Returns the run, which goes on; BadRequestError if it was not waiting for them. With
        ``stream=True``, an AsyncStream of the events of the run's continuation instead.
        """
        path = f"{_run_path(thread_id, run_id)}/submit_tool_outputs"
        body: dict[str, Any] = {"tool_outputs": tool_outputs}
        if stream:
            return await _stream_run(self, path, body, options)  # type: ignore[no-any-return]
        if stream is not NOT_GIVEN:
            body["stream"] = stream
        return await self._call(  # type: ignore[no-any-return]
            "POST", path, _parse_run, options, body=body
        )

    # -- polling helpers --------------------------------------------------------------------

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
        return await self._poll(run_id, thread_id, None, poll_interval_ms, options)  # type: ignore[no-any-return]

    async def create_and_poll(
        self,
        *,
        thread_id: str,
        assistant_id: str,
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        additional_instructions: str | NotGiven | None = NOT_GIVEN,
        additional_messages: Iterable[Mapping[str, Any]] | NotGiven | None = NOT_GIVEN,
        instructions: str | NotGiven | None = NOT_GIVEN,
        max_completion_tokens: int | NotGiven | None = NOT_GIVEN,
        max_prompt_tokens: int | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        model: str | NotGiven | None = NOT_GIVEN,
        parallel_tool_calls: bool | NotGiven = NOT_GIVEN,
        reasoning_effort: str | NotGiven | None = NOT_GIVEN,
        response_format: AssistantResponseFormatOptionParam | NotGiven | None = NOT_GIVEN,
        temperature: float | NotGiven | None = NOT_GIVEN,
        tool_choice: AssistantToolChoiceOptionParam | NotGiven | None = NOT_GIVEN,
        tools: Iterable[AssistantToolParam] | NotGiven | None = NOT_GIVEN,
        top_p: float | NotGiven | None = NOT_GIVEN,
        truncation_strategy: TruncationStrategyParam | NotGiven | None = NOT_GIVEN,
        poll_interval_ms: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Run:
        """Create a run (see ``create``) and wait until it is terminal (see ``poll``).

        ``deadline`` covers both. Raises PollTimeoutError past it.
        """
        check_poll_args(poll_interval_ms, options.get("deadline"))
        body = {
            "assistant_id": assistant_id,
            "additional_instructions": additional_instructions,
            "additional_messages": additional_messages,
            "instructions": instructions,
            "max_completion_tokens": max_completion_tokens,
            "max_prompt_tokens": max_prompt_tokens,
            "metadata": metadata,
            "model": model,
            "parallel_tool_calls": parallel_tool_calls,
            "reasoning_effort": reasoning_effort,
            "response_format": response_format,
            "temperature": temperature,
            "tool_choice": tool_choice,
            "tools": tools,
            "top_p": top_p,
            "truncation_strategy": truncation_strategy,
        }
        call_options = _without_deadline(options)

        async def first() -> APIResponse[Run]:
            return await self._call(  # type: ignore[no-any-return]
                "POST",
                _runs_path(thread_id),
                _parse_run,
                call_options,
                body=body,
                query={"include[]": include},
                raw=True,
            )

        return await self._poll(None, thread_id, first, poll_interval_ms, options)  # type: ignore[no-any-return]

    async def submit_tool_outputs_and_poll(
        self,
        *,
        tool_outputs: Iterable[Mapping[str, Any]],
        run_id: str,
        thread_id: str,
        poll_interval_ms: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Run:
        """Submit tool outputs (see ``submit_tool_outputs``) and wait until the run is terminal
        again (see ``poll``). ``deadline`` covers both.
        """
        check_poll_args(poll_interval_ms, options.get("deadline"))
        call_options = _without_deadline(options)
        path = f"{_run_path(thread_id, run_id)}/submit_tool_outputs"

        async def first() -> APIResponse[Run]:
            return await self._call(  # type: ignore[no-any-return]
                "POST",
                path,
                _parse_run,
                call_options,
                body={"tool_outputs": tool_outputs},
                raw=True,
            )

        return await self._poll(run_id, thread_id, first, poll_interval_ms, options)  # type: ignore[no-any-return]

    async def _poll(
        self,
        run_id: str | None,
        thread_id: str | None,
        first: Callable[[], Awaitable[APIResponse[Run]]] | None,
        poll_interval_ms: int | None,
        options: RequestOptions,
    ) -> Any:
        """The poll loop shared by the helpers; a raw resource returns the last APIResponse.

        ``first`` makes the first look (the call that created or resumed the run); the run's
        id, and its thread's when ``thread_id`` is None, are then taken from its answer.
        """
        deadline = options.get("deadline")
        check_poll_args(poll_interval_ms, deadline)
        call_options = _without_deadline(options)
        policy = options.get("retry_policy") or self._client.retry_policy
        ids = {"thread_id": thread_id, "run_id": run_id}
        if run_id is not None and thread_id is not None:
            _run_path(thread_id, run_id)  # bad ids fail before anything is sent

        async def retrieve() -> APIResponse[Run]:
            path = _run_path(ids["thread_id"] or "", ids["run_id"] or "")
            return await self._call(  # type: ignore[no-any-return]
                "GET", path, _parse_run, call_options, raw=True
            )

        async def first_look() -> APIResponse[Run]:
            assert first is not None
            response = await first()
            run = response.parse()
            ids["run_id"] = run.id
            if ids["thread_id"] is None:
                ids["thread_id"] = run.thread_id
            return response

        response = await poll_run(
            retrieve,
            policy=policy,
            poll_interval_ms=poll_interval_ms,
            deadline=deadline,
            first=None if first is None else first_look,
        )
        return response if self._raw else response.parse()


#: The events that end the stream of a run (it stopped, or waits for tool outputs), and the
#: ``done`` event after them: a body that ends before one is a cut connection.
_RUN_STREAM_END: Final = frozenset(
    {
        "thread.run.completed",
        "thread.run.failed",
        "thread.run.cancelled",
        "thread.run.expired",
        "thread.run.incomplete",
        "thread.run.requires_action",
        "done",
    }
)


async def _stream_run(
    resource: BetaResource,
    path: str,
    body: Mapping[str, Any],
    options: RequestOptions,
    include: Sequence[str] | NotGiven = NOT_GIVEN,
) -> Any:
    """Start (or go on with) a run with ``stream=True``: an AsyncStream of AssistantStreamEvent."""
    return await resource._client.request_stream(
        "POST",
        path,
        parse_assistant_stream_event,
        body={**body_params(body), "stream": True},
        final_events=_RUN_STREAM_END,
        query={"include[]": include},
        options=options,
        raw=resource._raw,
        endpoint_headers=resource._endpoint_headers(),
    )


def _without_deadline(options: RequestOptions) -> RequestOptions:
    """The per-request options of a poll: its ``deadline`` is the whole wait's, not theirs."""
    out = RequestOptions(**options)
    out.pop("deadline", None)
    return out
