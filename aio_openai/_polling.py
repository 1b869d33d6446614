"""Waiting for an object to settle: the poll loop behind ``runs.poll``, ``responses.poll`` and
the ``*_poll`` helpers.

Each look at the object (an Assistants Run, a background Response) is a plain retrieve. Between
looks the loop sleeps for the server's ``openai-poll-after-ms`` header when the answer had one,
else ``poll_interval_ms``, else one second. An optional overall ``deadline`` (seconds, on the
retry policy's clock) bounds the whole wait, requests included; when the next look would fall
past it, :class:`PollTimeoutError` is raised at once, carrying the last object seen. Sleeping
goes through the retry policy's ``sleep`` and time through its ``clock``, so tests can inject
both. Cancelling the waiting task cancels the request in flight, if any, and nothing else:
nothing runs on in the background and the server is not told (``runs.cancel`` and
``responses.cancel`` do that).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

from ._exceptions import APITimeoutError
from ._response import APIResponse

if TYPE_CHECKING:
    from ._http import Request
    from ._retry import RetryPolicy
    from .types.beta.threads.run import Run

__all__ = [
    "DEFAULT_POLL_INTERVAL_MS",
    "POLL_AFTER_HEADER",
    "PollTimeoutError",
    "Polled",
    "poll_until",
]

#: The wait between looks when neither the server nor the caller names one.
DEFAULT_POLL_INTERVAL_MS: Final = 1000
#: The header in which the server asks for a wait before the next look, in milliseconds.
POLL_AFTER_HEADER: Final = "openai-poll-after-ms"


class Polled(Protocol):
    """What the loop reads of an object: its id and status."""

    @property
    def id(self) -> str: ...

    @property
    def status(self) -> str | None: ...


P = TypeVar("P", bound=Polled)


class PollTimeoutError(APITimeoutError):
    """A polled object (a run, a background response) did not reach a terminal status before
    the poll's ``deadline``.

    ``last`` is the last object seen (None if none was), ``run`` the same when polling a run
    (None otherwise), ``deadline`` the seconds allowed. Nothing is cancelled on the server:
    ``runs.cancel`` / ``responses.cancel`` do that.
    """

    run: Run | None
    last: Any
    deadline: float

    def __init__(
        self,
        run: Any,
        *,
        deadline: float,
        request: Request | None,
        noun: str = "Run",
    ) -> None:
        if run is None:
            message = f"No {noun.lower()} was seen within the poll deadline of {deadline:g} s."
        else:
            message = (
                f"{noun} {run.id} did not reach a terminal status within the poll deadline of "
                f"{deadline:g} s (last status: {run.status})."
            )
        super().__init__(request, message=message)
        from .types.beta.threads.run import Run  # imported here: types load lazily

        self.last = run
        self.run = run if isinstance(run, Run) else None
        self.deadline = deadline


def check_poll_args(poll_interval_ms: int | None, deadline: float | None) -> None:
    """ValueError for a bad ``poll_interval_ms`` or ``deadline`` (before anything is sent)."""
    if poll_interval_ms is not None and (
        not isinstance(poll_interval_ms, int)
        or isinstance(poll_interval_ms, bool)
        or poll_interval_ms < 0
    ):
        raise ValueError(f"poll_interval_ms must be an int >= 0, got {poll_interval_ms!r}")
    if deadline is not None and (
        not isinstance(deadline, int | float) or isinstance(deadline, bool) or not deadline > 0
    ):
        raise ValueError(f"deadline must be a positive number of seconds, got {deadline!r}")


def poll_interval(response: APIResponse[Any], poll_interval_ms: int | None) -> float:
    """Seconds to wait before the next look: the server's header, else the caller's, else 1 s."""
    header = response.headers.get(POLL_AFTER_HEADER)
    if header is not None:
        try:
            ms = int(header)
        except ValueError:
            ms = -1
        if ms >= 0:
            return ms / 1000
    if poll_interval_ms is not None:
        return poll_interval_ms / 1000
    return DEFAULT_POLL_INTERVAL_MS / 1000


async def poll_until(
    retrieve: Callable[[], Awaitable[APIResponse[P]]],
    *,
    terminal: Collection[str],
    policy: RetryPolicy,
    poll_interval_ms: int | None = None,
    deadline: float | None = None,
    first: Callable[[], Awaitable[APIResponse[P]]] | None = None,
    noun: str = "Run",
) -> APIResponse[P]:
    """Look at an object until its status is one of ``terminal``; return the answer showing it.

    ``first``, if given, makes the first look (e.g. the call creating the object) and
    ``retrieve`` every later one. Raises PollTimeoutError past ``deadline`` (its message names
    the object as ``noun``), and whatever a look raises.
    """
    check_poll_args(poll_interval_ms, deadline)
    clock, sleep = policy.clock, policy.sleep
    end = None if deadline is None else clock() + deadline
    seen: P | None = None
    request: Request | None = None
    look = first or retrieve

    def timed_out() -> PollTimeoutError:
        return PollTimeoutError(seen, deadline=deadline or 0.0, request=request, noun=noun)

    while True:
        if end is None:
            response = await look()
        else:
            remaining = end - clock()
            if remaining <= 0:
                raise timed_out()
            try:
                async with asyncio.timeout(remaining) as scope:
                    response = await look()
            except TimeoutError:
                if scope.expired():
                    raise timed_out() from None
                raise
        look = retrieve
        seen = response.parse()
        request = response._response.request
        if seen.status in terminal:
            return response
        wait = poll_interval(response, poll_interval_ms)
        if end is not None and clock() + wait >= end:
            raise timed_out()
        await sleep(wait)
