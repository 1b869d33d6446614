"""Errors raised by aio_openai, named as in the official ``openai`` package.

::

    OpenAIError
     ├── APIError                       an API call went wrong
     │    ├── APIStatusError            the server answered with a non-2xx status
     │    │    ├── BadRequestError            400
     │    │    ├── AuthenticationError        401
     │    │    ├── PermissionDeniedError      403
     │    │    ├── NotFoundError              404
     │    │    ├── ConflictError              409
     │    │    ├── UnprocessableEntityError   422
     │    │    ├── RateLimitError             429
     │    │    └── InternalServerError        >= 500
     │    ├── APIConnectionError        no usable answer: refused, reset, cut short
     │    │    ├── APITimeoutError      the attempt ran past its timeout
     │    │    └── WebSocketConnectionClosedError   a WebSocket closed for good (close code)
     │    ├── APIResponseValidationError  a 2xx body that is not what the API promises
     │    │    └── ContentParseError    a structured output that does not make its type
     │    └── ResponseTooLargeError     a body (or WebSocket message) over max_response_bytes
     ├── LengthFinishReasonError        parse()/stream(): the output was cut at its length limit
     ├── ContentFilterFinishReasonError parse()/stream(): the content filter stopped the output
     ├── WebSocketQueueFullError        a WebSocket's queue of unsent messages is full
     ├── StreamAlreadyConsumed          a streamed response's body read twice (in _response)
     └── (ValueError / TypeError)       bad input, raised before anything is sent

    ValueError
     └── InvalidWebhookSignatureError   a webhook whose signature, timestamp or headers do not
                                        prove it came from OpenAI (``webhooks.unwrap``)

Every error that saw a response carries its ``request_id`` (OpenAI's ``x-request-id``).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._json import loads as json_loads
from ._redact import Redactor

if TYPE_CHECKING:
    from ._http import HTTPResponse, Request
    from .types.chat.chat_completion import ChatCompletion

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ContentFilterFinishReasonError",
    "ContentParseError",
    "InternalServerError",
    "InvalidWebhookSignatureError",
    "LengthFinishReasonError",
    "NotFoundError",
    "OpenAIError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "UnprocessableEntityError",
    "WebSocketConnectionClosedError",
    "WebSocketQueueFullError",
]


#: The longest message an APIError shows; a longer one (a server's text quoted in it) is cut.
#: The whole body stays on the error: ``body`` (parsed) and ``response.content`` (raw).
MAX_MESSAGE = 1_000

#: A non-JSON or message-less error body longer than this is quoted from its first bytes
#: (the message shows only MAX_MESSAGE characters of it anyway).
_QUOTED_BYTES = 4 * MAX_MESSAGE
_LAST_WORD = re.compile(r"[A-Za-z0-9_-]+$")


class OpenAIError(Exception):
    """Base class of every error this package raises on purpose."""


class APIError(OpenAIError):
    """An API call failed; ``code``, ``type`` and ``param`` come from the error body if any."""

    message: str
    request: Request | None
    body: object | None
    code: str | None
    type: str | None
    param: str | None

    def __init__(self, message: str, request: Request | None, *, body: object | None) -> None:
        # Every error is built here: a server may quote the API key (or another key) in its
        # text, so the message and the parsed body are masked; ``response.content`` keeps
        # the raw body for those who need it.
        redactor = Redactor.of(None if request is None else request.headers)
        message = redactor.text(message)
        if len(message) > MAX_MESSAGE:  # a server's text, quoted: a bounded excerpt of it
            message = f"{message[:MAX_MESSAGE]}... [cut at {MAX_MESSAGE:,} characters]"
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body = redactor.value(body)
        err = body.get("error", body) if isinstance(body, Mapping) else None
        if isinstance(err, Mapping):
            self.code = _opt_str(err.get("code"))
            self.type = _opt_str(err.get("type"))
            self.param = _opt_str(err.get("param"))
        else:
            self.code = self.type = self.param = None


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status."""

    status_code: int
    response: HTTPResponse
    request_id: str | None

    def __init__(self, message: str, *, response: HTTPResponse, body: object | None) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status
        self.request_id = response.request_id

    @property
    def headers(self) -> Mapping[str, str]:
        """The response headers."""
        return self.response.headers


class BadRequestError(APIStatusError):
    """400: the request was malformed or had a bad parameter."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this."""


class NotFoundError(APIStatusError):
    """404: no such object or route."""


class ConflictError(APIStatusError):
    """409: the object is in a state that conflicts with the request."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was well-formed but could not be processed."""


class RateLimitError(APIStatusError):
    """429: a rate limit or the quota was hit."""


class InternalServerError(APIStatusError):
    """>= 500: the server failed."""


class APIConnectionError(APIError):
    """No usable response: connection refused or reset, or the body was cut short.

    ``never_sent`` is True when the request surely never reached the server: the DNS
    lookup, the connection or its TLS handshake failed, or connecting timed out. Such a
    request is safe to send again, even a POST (the retry middleware does so whatever the
    policy's ``retry_post``). ``reason`` says what failed in a few words (``Connection
    refused``, ``TLS certificate verify failed: self-signed certificate``, ``cannot resolve
    host: Name or service not known``), or is None when the message says all there is.
    """

    never_sent: bool
    reason: str | None

    def __init__(
        self,
        *,
        message: str = "Connection error.",
        request: Request | None,
        never_sent: bool = False,
        reason: str | None = None,
    ) -> None:
        super().__init__(message, request, body=None)
        self.never_sent = never_sent
        if reason is not None:
            reason = Redactor.of(None if request is None else request.headers).text(reason)
        self.reason = reason


class APITimeoutError(APIConnectionError):
    """An attempt ran past its timeout."""

    def __init__(
        self,
        request: Request | None,
        *,
        message: str = "Request timed out.",
        never_sent: bool = False,
        reason: str | None = None,
    ) -> None:
        super().__init__(message=message, request=request, never_sent=never_sent, reason=reason)


class WebSocketConnectionClosedError(APIConnectionError):
    """A WebSocket connection closed and is not coming back.

    ``close_code`` and ``close_reason`` are the code and reason of the close (1006 and ``""``
    when the connection dropped without a close frame); ``attempts`` counts the reconnection
    attempts made before giving up (0 when the close code, the options or the retry budget
    allowed none), and ``__cause__`` is the last of their failures. ``unsent_messages`` holds
    the messages queued to be sent (while the connection was down) that never went out, in
    order; ``unsent_frames`` the same with binary frames as bytes. The SDK raises its error of
    this name only for unsent messages; here it is also the error of a connection that ended,
    an APIConnectionError like every failure of a connection.
    """

    close_code: int
    close_reason: str
    attempts: int

    def __init__(
        self,
        message: str,
        *,
        request: Request | None = None,
        close_code: int = 1006,
        close_reason: str = "",
        attempts: int = 0,
        unsent_messages: list[str] | list[str | bytes] | None = None,
    ) -> None:
        said = f" ({close_reason})" if close_reason else ""
        super().__init__(
            message=message, request=request, reason=f"closed with code {close_code}{said}"
        )
        self.close_code = close_code
        self.close_reason = Redactor.of(None if request is None else request.headers).text(
            close_reason
        )
        self.attempts = attempts
        self._unsent: list[str | bytes] = list(unsent_messages or ())

    @property
    def unsent_frames(self) -> list[str | bytes]:
        """The messages never sent, in order (text as str, binary as bytes)."""
        return self._unsent

    @property
    def unsent_messages(self) -> list[str]:
        """The messages never sent that are text (binary frames that are UTF-8 included)."""
        texts = []
        for frame in self._unsent:
            if isinstance(frame, str):
                texts.append(frame)
            else:
                with contextlib.suppress(UnicodeDecodeError):
                    texts.append(frame.decode("utf-8"))
        return texts


class WebSocketQueueFullError(OpenAIError):
    """A message sent while a WebSocket connection is down (or not yet open) would take the
    queue of unsent messages past the connection's ``max_queue_size`` bytes; it was not
    queued."""


class APIResponseValidationError(APIError):
    """A 2xx response whose body is not valid JSON or lacks what every such response has."""

    response: HTTPResponse
    status_code: int
    request_id: str | None

    def __init__(
        self, response: HTTPResponse, body: object | None, *, message: str | None = None
    ) -> None:
        super().__init__(
            message or "Data returned by API invalid for expected schema.",
            response.request,
            body=body,
        )
        self.response = response
        self.status_code = response.status
        self.request_id = response.request_id


class ContentParseError(APIResponseValidationError, ValueError):
    """A structured output (``parse()``, ``stream()``, ``function_tool``) that is not valid JSON
    or does not fit its type: ``content`` is the model's text as it came, ``output_type`` the
    type it was to become. Also a ValueError, as pydantic's ValidationError (what the official
    SDK lets through) is; that error, or cattrs', is the ``__cause__``.
    """

    content: str
    output_type: Any

    def __init__(
        self, response: HTTPResponse, content: str, *, output_type: Any, reason: str
    ) -> None:
        name = getattr(output_type, "__name__", repr(output_type))
        super().__init__(
            response, content, message=f"The model's output does not make a {name}: {reason}"
        )
        self.content = content
        self.output_type = output_type


class LengthFinishReasonError(OpenAIError):
    """``parse()`` or ``stream()`` with a type to parse into: the model stopped at its token
    limit (``finish_reason == "length"``), so its output cannot be whole. ``completion`` is
    what came (in a stream, as accumulated: without usage unless the stream sends it)."""

    completion: ChatCompletion

    def __init__(self, *, completion: ChatCompletion) -> None:
        message = "The output cannot be parsed: the model reached its token limit"
        if completion.usage is not None:
            message += f" ({completion.usage})"
        super().__init__(message)
        self.completion = completion


class ContentFilterFinishReasonError(OpenAIError):
    """``parse()`` or ``stream()`` with a type to parse into: the content filter stopped the
    output (``finish_reason == "content_filter"``). ``completion`` is what came, if known."""

    completion: ChatCompletion | None

    def __init__(self, *, completion: ChatCompletion | None = None) -> None:
        super().__init__("The output cannot be parsed: the content filter stopped it")
        self.completion = completion


class ResponseTooLargeError(APIError):
    """A response body passed the client's ``max_response_bytes``; it was not read further."""

    def __init__(
        self,
        request: Request | None,
        *,
        limit: int,
        size: int | None,
        subject: str = "The response body",
    ) -> None:
        told = f" (it announced {size:,} bytes)" if size is not None else ""
        super().__init__(
            f"{subject} is larger than max_response_bytes={limit:,}{told}; raise the"
            " limit on the client if such answers are expected.",
            request,
            body=None,
        )
        self.limit = limit
        self.size = size


class InvalidWebhookSignatureError(ValueError):
    """A webhook request that cannot be proven to come from OpenAI: a signature that does not
    match, a timestamp outside the tolerance, or a missing ``webhook-*`` header.

    A ValueError, as in the official SDK (it is not an :class:`OpenAIError`: no API call
    failed). Answer such a request with 400 and do not act on its payload.
    """


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def status_error(response: HTTPResponse) -> APIStatusError:
    """Map a non-2xx response to its typed error, reading the OpenAI error body if any."""
    body: Any
    try:
        body = json_loads(response.content) if response.content else None
    except (ValueError, RecursionError):
        body = response.content.decode("utf-8", "replace") or None
    err = body.get("error") if isinstance(body, Mapping) else None
    if isinstance(err, Mapping) and isinstance(err.get("message"), str):
        detail = err["message"]
    elif isinstance(body, str):
        detail = body
    elif body is not None:
        content = response.content
        if len(content) > _QUOTED_BYTES:  # not str() of a huge object, only to cut it
            # without the last word, which may be the start of a key cut short
            detail = _LAST_WORD.sub("", content[:_QUOTED_BYTES].decode("utf-8", "replace"))
        else:
            detail = str(body)
    else:
        detail = response.reason or ""
    message = f"Error code: {response.status} - {detail}"
    status = response.status
    cls = _STATUS_ERRORS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    # as the official SDK: ``body`` is the inner error object when there is one
    error = cls(message, response=response, body=err if isinstance(err, Mapping) else body)
    add_not_retried_note(error, response.request)
    return error


def add_not_retried_note(error: BaseException, request: Request) -> None:
    """Say on ``error`` why its call was not retried, when a retry was refused for a reason
    of the call's own (a body that cannot be sent again)."""
    if request.not_retried is not None:
        error.add_note(f"The call was not retried: {request.not_retried}.")


def not_a_stream_error(response: HTTPResponse) -> APIResponseValidationError:
    """A 2xx answer to a ``stream=True`` call that is not an event stream (a proxy's page, or
    a server that ignored ``stream`` and sent the whole answer); the body is kept, parsed."""
    body: Any
    try:
        body = json_loads(response.content)
    except (ValueError, RecursionError):
        body = response.content.decode("utf-8", "replace")
    content_type = response.headers.get("Content-Type")
    return APIResponseValidationError(
        response,
        body,
        message=f"A stream was asked for (stream=True) but the answer is {content_type!r},"
        " not text/event-stream.",
    )
