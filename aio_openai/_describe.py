"""Words for people: one line saying what went wrong with an API call, a count with its noun.

The ``aio-openai`` command prints these; the Batch API file runner writes them into output
lines, and the demo into its reports. They never hold the API key: the errors they describe
carry none.
"""

from __future__ import annotations

import os
import socket
import ssl
from collections.abc import Iterator, Mapping
from typing import Any, Final

from aiohttp import ClientError, ServerDisconnectedError
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


#: The reasons OpenSSL gives when the other end answered a TLS handshake with something else
#: (a plain-HTTP server answers ``ClientHello`` with an HTTP response).
_NOT_TLS: Final = frozenset(
    {"WRONG_VERSION_NUMBER", "HTTP_REQUEST", "PACKET_LENGTH_TOO_LONG", "RECORD_LAYER_FAILURE"}
)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and what it wraps: its cause or context, and aiohttp's wrapped errors."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        error = pending.pop(0)
        if id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        for inner in (
            getattr(error, "certificate_error", None),
            getattr(error, "os_error", None),
            error.__cause__,
            error.__context__,
        ):
            if isinstance(inner, BaseException):
                pending.append(inner)


def _connection_detail(exc: APIConnectionError) -> str:
    """Why the connection failed, in words: ``Connection refused``, a TLS failure, ...

    The most telling error wrapped in ``exc`` wins: aiohttp's own errors are OSErrors whose
    errno (1 for any TLS failure) says less than the SSLError or gaierror they wrap.
    """
    causes = list(_causes(exc))

    def first(kind: type[BaseException]) -> Any:
        # aiohttp's wrappers subclass what they wrap (ssl.SSLError) without its attributes
        wrapped = (e for e in causes if isinstance(e, kind) and not isinstance(e, ClientError))
        return next(wrapped, None)

    if (invalid := first(ssl.SSLCertVerificationError)) is not None:
        reason = invalid.verify_message or invalid.reason or str(invalid)
        return f"TLS certificate verify failed: {reason.rstrip('.')}"
    if (failed := first(ssl.SSLError)) is not None:
        if failed.reason in _NOT_TLS:
            return "TLS handshake failed: the server does not speak TLS (is the URL http://?)"
        return f"TLS handshake failed: {failed.reason or failed.strerror or failed}"
    if (unresolved := first(socket.gaierror)) is not None:
        return f"cannot resolve host: {unresolved.strerror or unresolved}"
    if any(isinstance(error, ServerDisconnectedError) for error in causes):
        return "the server closed the connection without answering"
    for error in causes:
        if isinstance(error, OSError) and error.errno is not None and error.errno > 0:
            return os.strerror(error.errno)
    cause = exc.__cause__
    if cause is not None and str(cause):
        return f"{type(cause).__name__}: {cause}"
    return exc.message


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
        return f"cannot connect to {_where(exc, base_url)}: {_connection_detail(exc)}"
    if isinstance(exc, APIResponseValidationError):
        where = f" (request id {exc.request_id})" if exc.request_id else ""
        return f"invalid response from {_where(exc, base_url)}: {exc.message}{where}"
    return f"{type(exc).__name__}: {exc}"
