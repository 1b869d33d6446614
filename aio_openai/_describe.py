"""Words for people: one line saying what went wrong with an API call, a count with its noun.

The ``aio-openai`` command prints these; the Batch API file runner writes them into output
lines, and the demo into its reports. A connection error is described by the ``reason`` the
transport's error map gave it. They never hold the API key: the errors they describe carry none.
"""

from __future__ import annotations

from collections.abc import Mapping

from yarl import URL

from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    OpenAIError,
)
from ._polling import PollTimeoutError

__all__ = ["describe_error", "plural"]


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """``1 line``, ``2 lines``, ``1,000 requests``: a count with its noun in number."""
    word = noun if count == 1 else (plural_noun or noun + "s")
    return f"{count:,} {word}"


def _where(exc: OpenAIError, base_url: URL | str | None) -> str:
    """``base_url``, else the failed request's URL, fit to print (no user or password)."""
    if base_url is None:
        request = getattr(exc, "request", None)
        base_url = request.url if request is not None else None
    if base_url is None:
        return "the server"
    url = URL(str(base_url))
    return str(url.with_user(None)) if url.absolute else str(url)


def describe_error(exc: OpenAIError, base_url: URL | str | None = None) -> str:
    """One line saying what went wrong with a call to the API at ``base_url``.

    Without ``base_url``, a connection error names the URL of the failed request.
    """
    if isinstance(exc, APIStatusError):
        body = exc.body  # the inner error object, as the official SDK gives it
        detail = body.get("message") if isinstance(body, Mapping) else None
        if not isinstance(detail, str) or not detail:
            detail = exc.response.reason or exc.message
        where = f" (request id {exc.request_id})" if exc.request_id else ""
        return f"{exc.status_code} {type(exc).__name__}: {detail}{where}"
    if isinstance(exc, PollTimeoutError) and exc.last is not None:
        noun = type(exc.last).__name__.lower()
        status = getattr(exc.last, "status", None) or "unknown"
        return f"{noun} {exc.last.id} is still {status} after the deadline of {exc.deadline:g} s"
    if isinstance(exc, APITimeoutError):
        return f"timed out waiting for {_where(exc, None)}"
    if isinstance(exc, APIConnectionError):
        return f"cannot connect to {_where(exc, base_url)}: {exc.reason or exc.message}"
    if isinstance(exc, APIResponseValidationError):
        where = f" (request id {exc.request_id})" if exc.request_id else ""
        return f"invalid response from {_where(exc, base_url)}: {exc.message}{where}"
    return f"{type(exc).__name__}: {exc}"
