"""Shared small types: the NOT_GIVEN sentinel and the per-call RequestOptions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, TypedDict

if TYPE_CHECKING:
    from aiohttp import ClientTimeout

    from ._retry import RetryPolicy

__all__ = ["NOT_GIVEN", "NotGiven", "RequestOptions", "Timeout"]

#: A ``timeout``: seconds, or an ``aiohttp.ClientTimeout`` (written as a string: aiohttp is the
#: transport's to import).
Timeout: TypeAlias = "float | ClientTimeout"


class NotGiven:
    """The type of NOT_GIVEN: a parameter left out, as opposed to one set to None (null)."""

    __slots__ = ()
    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


class RequestOptions(TypedDict, total=False):
    """Per-call options every endpoint method takes as keyword arguments.

    - ``extra_headers``, ``extra_query``, ``extra_body``: merged into what is sent
      (``extra_body`` keys win over the method's own parameters).
    - ``timeout``: seconds (or an ``aiohttp.ClientTimeout``) for each attempt.
    - ``idempotency_key``: the ``Idempotency-Key`` header of a POST (one is made otherwise).
    - ``max_retries``: this call's retry limit (wins over the client's).
    - ``deadline``: overall seconds for this call, attempts and waits together.
    - ``retry_policy``: a whole RetryPolicy for this call.
    - ``stream_idle_timeout``: for a streamed answer, the longest wait for its next piece
      (seconds, None for no limit); wins over the client's.
    """

    extra_headers: Mapping[str, str] | None
    extra_query: Mapping[str, Any] | None
    extra_body: Mapping[str, Any] | None
    timeout: Timeout | None
    idempotency_key: str | None
    max_retries: int
    deadline: float | None
    retry_policy: RetryPolicy
    stream_idle_timeout: float | None
