"""``client.beta.agents.sessions.traces``: a session's trace records (OTLP spans)."""

from __future__ import annotations

from typing import Unpack

from ....._endpoints import endpoint
from ....._pagination import AsyncCursorPage, AsyncPaginator
from ....._types import RequestOptions
from .....types.beta.agents.sessions.session_trace import SessionTrace
from .....types.beta.agents.sessions.trace_list_params import TraceListParams
from ._base import AgentsResource

__all__ = ["Traces"]


class _ListArgs(TraceListParams, RequestOptions, total=False): ...


class Traces(AgentsResource):
    """``client.beta.agents.sessions.traces``: list."""

    __slots__ = ()

    @endpoint("GET", "/agents/sessions/{session_id}/traces", _ListArgs)
    def list(
        self, session_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[SessionTrace, AsyncCursorPage[SessionTrace]]:
        """List the trace records of a session (one per turn; ``otlp`` holds the spans)."""
        return self._list(Traces.list, SessionTrace, params, session_id=session_id)
