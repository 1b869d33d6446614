"""The values a call is made of: the Request on its way through the middleware chain, the
HTTPResponse that comes back, and the shapes of the chain's handlers.

``aio_openai.Request`` and ``aio_openai.Response`` (this module's HTTPResponse) are what a user
middleware sees. A streamed 2xx answer is a :class:`StreamedResponse` whose body is still on
the wire: the AsyncStream made from it reads it through the transport. :class:`SentRequest`
is what a response shows of its request (``http_request``), credentials masked.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from ._json import loads as json_loads
from ._redact import Redactor, mask_credentials

if TYPE_CHECKING:
    from aiohttp import ClientResponse, ClientTimeout

    from ._multipart import UploadBody
    from ._retry import RetryPolicy

__all__ = [
    "HTTPResponse",
    "Handler",
    "Middleware",
    "Request",
    "SentRequest",
    "StreamedResponse",
    "is_event_stream",
]

_EMPTY_HEADERS: CIMultiDictProxy[str] = CIMultiDictProxy(CIMultiDict())
_UNPARSED: Any = object()


@attrs.define(slots=True, kw_only=True, eq=False)
class Request:
    """One API call on its way through the chain; middlewares may change it."""

    method: str
    url: URL
    headers: dict[str, str]
    content: bytes | None = None
    json_data: Mapping[str, Any] | None = None
    #: A multipart body streamed from its files (``content`` is then None): made again for
    #: every attempt from its sources.
    upload: UploadBody | None = None
    timeout: ClientTimeout
    max_retries: int | None = None
    deadline: float | None = None
    model: str | None = None
    token_cost: int = 0
    attempt: int = 1
    stream: bool = False
    #: Why a failed attempt was not retried although it could have been (a one-shot body).
    not_retried: str | None = None
    retry_policy: RetryPolicy | None = None
    retry_sleep: float = 0.0
    proxy: str | None = None
    started: float = attrs.field(factory=time.monotonic)

    def __repr__(self) -> str:
        return f"<Request {self.method} {self.url} attempt={self.attempt}>"


@attrs.define(slots=True, kw_only=True, eq=False)
class HTTPResponse:
    """What the server answered to one attempt, body read in full (``aio_openai.Response``)."""

    status: int
    reason: str | None = None
    headers: CIMultiDictProxy[str] = _EMPTY_HEADERS
    content: bytes = b""
    request: Request
    elapsed: float = 0.0
    attempts: int = 1
    retry_sleep: float = 0.0
    #: The HTTP version of the answer, ``(major, minor)``; None when unknown (not from the wire).
    version: tuple[int, int] | None = None
    _json: Any = attrs.field(default=_UNPARSED, init=False)

    def json(self) -> Any:
        """The body parsed as JSON (parsed once); ValueError when it is not JSON."""
        value = self._json
        if value is _UNPARSED:
            value = self._json = json_loads(self.content)
        return value

    def json_ok(self) -> bool:
        """Whether the body is valid JSON."""
        try:
            self.json()
        except ValueError:
            return False
        return True

    def json_or_none(self) -> Any:
        """The body as JSON, or None when it is not JSON."""
        try:
            return self.json()
        except ValueError:
            return None

    @property
    def request_id(self) -> str | None:
        """OpenAI's ``x-request-id`` for this response."""
        return self.headers.get("x-request-id")

    def __repr__(self) -> str:
        return f"<Response {self.status} {self.request.method} {self.request.url}>"


@attrs.define(slots=True, kw_only=True, eq=False)
class StreamedResponse(HTTPResponse):
    """A 2xx answer to a streaming request whose body is still on the wire.

    ``stream`` is the open response of the transport; the AsyncStream made from this response
    reads it (through ``_transport.WireBody``) and releases it (``content`` stays empty).
    ``usage_hooks`` are called once with the ``usage`` object when the stream reports one
    (the rate limiter reconciles its estimate).
    """

    stream: ClientResponse = attrs.field(repr=False)
    usage_hooks: list[Callable[[Mapping[str, Any]], None]] = attrs.field(factory=list, repr=False)


#: Headers whose whole value is a credential.
_CREDENTIALS = frozenset({"authorization", "proxy-authorization", "api-key"})


@attrs.frozen(slots=True, repr=False)
class SentRequest:
    """What a request sent, as a response shows it (``http_request``): ``method``, ``url``,
    ``headers`` and ``content`` (the body's bytes, or None). The API key is masked in every
    header (``Bearer sk-abc...wxyz``), so no view of it shows the key."""

    method: str
    url: URL
    headers: CIMultiDictProxy[str]
    content: bytes | None

    @classmethod
    def of(cls, request: Request) -> SentRequest:
        """The view of ``request`` (its headers copied, credentials masked)."""
        redactor = Redactor.of(request.headers)
        headers = CIMultiDict(
            (
                name,
                mask_credentials(value) if name.lower() in _CREDENTIALS else redactor.text(value),
            )
            for name, value in request.headers.items()
        )
        return cls(request.method, request.url, CIMultiDictProxy(headers), request.content)

    def __repr__(self) -> str:
        return f"<SentRequest {self.method} {self.url}>"


Handler = Callable[[Request], Awaitable[HTTPResponse]]
Middleware = Callable[[Request, Handler], Awaitable[HTTPResponse]]


def is_event_stream(headers: Mapping[str, str]) -> bool:
    """Whether an answer's ``Content-Type`` is ``text/event-stream`` (or there is none: a
    middleware answering from memory)."""
    content_type = headers.get("Content-Type")
    if content_type is None:
        return True
    return content_type.partition(";")[0].strip().lower() == "text/event-stream"
