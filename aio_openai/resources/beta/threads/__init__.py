"""The Threads API: ``/threads``, with messages and runs beneath it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, Unpack, overload

from ...._client import object_parser, path_id
from ...._endpoints import endpoint
from ...._response import APIResponse
from ...._streaming import AsyncStream
from ...._types import NOT_GIVEN, NotGiven, RequestOptions
from ....types.beta.assistant_stream_event import AssistantStreamEvent
from ....types.beta.thread import Thread, ThreadDeleted
from ....types.beta.threads.run import Run
from ....types.beta.threads.run_create_params import ThreadCreateAndRunParams
from ....types.beta.tools import (
    AssistantResponseFormatOptionParam,
    AssistantToolChoiceOptionParam,
    AssistantToolParam,
    ToolResourcesParam,
    TruncationStrategyParam,
)
from .._base import BetaResource
from .messages import Messages
from .runs import Runs, _stream_run, _without_deadline

__all__ = ["Messages", "Runs", "Threads"]

_parse_thread = object_parser(Thread)
_parse_deleted = object_parser(ThreadDeleted)
_parse_run = object_parser(Run)


def _thread_path(thread_id: str) -> str:
    return f"/threads/{path_id('thread_id', thread_id)}"


class Threads(BetaResource):
    """``client.beta.threads``: create, retrieve, update, delete, create_and_run,
    create_and_run_poll; ``messages`` and ``runs`` beneath.
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

    @endpoint("POST", "/threads")
    async def create(
        self,
        *,
        messages: Iterable[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        tool_resources: ToolResourcesParam | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Thread:
        """Create a thread, optionally with first messages (``[{"role": "user", "content":
        "..."}]``), and return it. ``tool_resources`` is v2 only.
        """
        body = {"messages": messages, "metadata": metadata, "tool_resources": tool_resources}
        return await self._call(  # type: ignore[no-any-return]
            "POST", "/threads", _parse_thread, options, body=body
        )

    @endpoint("GET", "/threads/{thread_id}")
    async def retrieve(self, thread_id: str, **options: Unpack[RequestOptions]) -> Thread:
        """Retrieve a thread. Raises NotFoundError when there is no such thread."""
        return await self._call(  # type: ignore[no-any-return]
            "GET", _thread_path(thread_id), _parse_thread, options
        )

    @endpoint("POST", "/threads/{thread_id}")
    async def update(
        self,
        thread_id: str,
        *,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        tool_resources: ToolResourcesParam | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Thread:
        """Change a thread's metadata or (v2) tool resources and return the thread."""
        return await self._call(  # type: ignore[no-any-return]
            "POST",
            _thread_path(thread_id),
            _parse_thread,
            options,
            body={"metadata": metadata, "tool_resources": tool_resources},
        )

    @endpoint("DELETE", "/threads/{thread_id}")
    async def delete(self, thread_id: str, **options: Unpack[RequestOptions]) -> ThreadDeleted:
        """Delete a thread. Raises NotFoundError when there is no such thread."""
        return await self._call(  # type: ignore[no-any-return]
            "DELETE", _thread_path(thread_id), _parse_deleted, options
        )

    @overload
    async def create_and_run(
        self,
        *,
        assistant_id: str,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        **params: Unpack[ThreadCreateAndRunParams],
    ) -> Run: ...

    @overload
    async def create_and_run(
        self,
        *,
        assistant_id: str,
        stream: Literal[True],
        **params: Unpack[ThreadCreateAndRunParams],
    ) -> AsyncStream[AssistantStreamEvent]: ...

    @overload
    async def create_and_run(
        self,
        *,
        assistant_id: str,
        stream: bool,
        **params: Unpack[ThreadCreateAndRunParams],
    ) -> Run | AsyncStream[AssistantStreamEvent]: ...

    @endpoint("POST", "/threads/runs")
    async def create_and_run(
        self,
        *,
        assistant_id: str,
        instructions: str | NotGiven | None = NOT_GIVEN,
        max_completion_tokens: int | NotGiven | None = NOT_GIVEN,
        max_prompt_tokens: int | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        model: str | NotGiven | None = NOT_GIVEN,
        parallel_tool_calls: bool | NotGiven = NOT_GIVEN,
        response_format: AssistantResponseFormatOptionParam | NotGiven | None = NOT_GIVEN,
        temperature: float | NotGiven | None = NOT_GIVEN,
        thread: Mapping[str, Any] | NotGiven = NOT_GIVEN,
        tool_choice: AssistantToolChoiceOptionParam | NotGiven | None = NOT_GIVEN,
        tool_resources: ToolResourcesParam | NotGiven | None = NOT_GIVEN,
        tools: Iterable[AssistantToolParam] | NotGiven | None = NOT_GIVEN,
        top_p: float | NotGiven | None = NOT_GIVEN,
        truncation_strategy: TruncationStrategyParam | NotGiven | None = NOT_GIVEN,
        stream: bool | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Run | AsyncStream[AssistantStreamEvent]:
        """Create a thread (``thread={"messages": [...]}``) and start a run on it in one call;
        returns the run (its ``thread_id`` names the new thread).

        With ``stream=True``, returns an AsyncStream of AssistantStreamEvent instead, starting
        with ``thread.created``. Raises NotFoundError for an unknown assistant.
        """
        body = {
            "assistant_id": assistant_id,
            "instructions": instructions,
            "max_completion_tokens": max_completion_tokens,
            "max_prompt_tokens": max_prompt_tokens,
            "metadata": metadata,
            "model": model,
            "parallel_tool_calls": parallel_tool_calls,
            "response_format": response_format,
            "temperature": temperature,
            "thread": thread,
            "tool_choice": tool_choice,
            "tool_resources": tool_resources,
            "tools": tools,
            "top_p": top_p,
            "truncation_strategy": truncation_strategy,
        }
        if stream:
            return await _stream_run(self, "/threads/runs", body, options)  # type: ignore[no-any-return]
        return await self._call(  # type: ignore[no-any-return]
            "POST", "/threads/runs", _parse_run, options, body=body
        )

    async def create_and_run_poll(
        self,
        *,
        assistant_id: str,
        instructions: str | NotGiven | None = NOT_GIVEN,
        max_completion_tokens: int | NotGiven | None = NOT_GIVEN,
        max_prompt_tokens: int | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        model: str | NotGiven | None = NOT_GIVEN,
        parallel_tool_calls: bool | NotGiven = NOT_GIVEN,
        response_format: AssistantResponseFormatOptionParam | NotGiven | None = NOT_GIVEN,
        temperature: float | NotGiven | None = NOT_GIVEN,
        thread: Mapping[str, Any] | NotGiven = NOT_GIVEN,
        tool_choice: AssistantToolChoiceOptionParam | NotGiven | None = NOT_GIVEN,
        tool_resources: ToolResourcesParam | NotGiven | None = NOT_GIVEN,
        tools: Iterable[AssistantToolParam] | NotGiven | None = NOT_GIVEN,
        top_p: float | NotGiven | None = NOT_GIVEN,
        truncation_strategy: TruncationStrategyParam | NotGiven | None = NOT_GIVEN,
        poll_interval_ms: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Run:
        """Create a thread and a run (see ``create_and_run``), then wait until the run is
        terminal (see ``runs.poll``). ``deadline`` covers both; past it PollTimeoutError.
        """
        body = {
            "assistant_id": assistant_id,
            "instructions": instructions,
            "max_completion_tokens": max_completion_tokens,
            "max_prompt_tokens": max_prompt_tokens,
            "metadata": metadata,
            "model": model,
            "parallel_tool_calls": parallel_tool_calls,
            "response_format": response_format,
            "temperature": temperature,
            "thread": thread,
            "tool_choice": tool_choice,
            "tool_resources": tool_resources,
            "tools": tools,
            "top_p": top_p,
            "truncation_strategy": truncation_strategy,
        }
        call_options = _without_deadline(options)

        async def first() -> APIResponse[Run]:
            return await self._call(  # type: ignore[no-any-return]
                "POST", "/threads/runs", _parse_run, call_options, body=body, raw=True
            )

        return await self.runs._poll(None, None, first, poll_interval_ms, options)  # type: ignore[no-any-return]
