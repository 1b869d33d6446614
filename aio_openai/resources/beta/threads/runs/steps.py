"""The Run Steps API: ``/threads/{thread_id}/runs/{run_id}/steps``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Unpack

from ....._client import object_parser, path_id
from ....._endpoints import endpoint
from ....._pagination import AsyncCursorPage, AsyncPaginator
from ....._types import NOT_GIVEN, NotGiven, RequestOptions
from .....types.beta.threads.runs.run_step import RunStep
from ..._base import BetaResource

__all__ = ["Steps"]

_parse_step = object_parser(RunStep)


def _steps_path(thread_id: str, run_id: str) -> str:
    return f"/threads/{path_id('thread_id', thread_id)}/runs/{path_id('run_id', run_id)}/steps"


class Steps(BetaResource):
    """``client.beta.threads.runs.steps``: retrieve, list."""

    __slots__ = ()

    @endpoint("GET", "/threads/{thread_id}/runs/{run_id}/steps/{step_id}")
    async def retrieve(
        self,
        step_id: str,
        *,
        thread_id: str,
        run_id: str,
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> RunStep:
        """Retrieve a run step. Raises NotFoundError when there is no such step."""
        return await self._call(  # type: ignore[no-any-return]
            "GET",
            f"{_steps_path(thread_id, run_id)}/{path_id('step_id', step_id)}",
            _parse_step,
            options,
            query={"include[]": include},
        )

    @endpoint("GET", "/threads/{thread_id}/runs/{run_id}/steps")
    def list(
        self,
        run_id: str,
        *,
        thread_id: str,
        after: str | NotGiven = NOT_GIVEN,
        before: str | NotGiven = NOT_GIVEN,
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        order: Literal["asc", "desc"] | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[RunStep, AsyncCursorPage[RunStep]]:
        """List the steps of a run, newest first unless ``order="asc"``.

        ``await`` it for the first AsyncCursorPage, or ``async for`` every step lazily.
        """
        query = {
            "after": after,
            "before": before,
            "include[]": include,
            "limit": limit,
            "order": order,
        }
        return self._list(_steps_path(thread_id, run_id), RunStep, options, query)
