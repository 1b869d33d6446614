"""AsyncOpenAI: configuration, resources as cached properties, with_options, aclose."""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import ssl
import urllib.request
import warnings
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import quote

import aiohttp
import attrs
from yarl import URL

from ._chain import (
    Handler,
    Middleware,
    Request,
    Response,
    build_chain,
    is_event_stream,
    make_send,
    make_stream_send,
)
from ._convert import converter
from ._cost import estimate_tokens
from ._exceptions import APIResponseValidationError, OpenAIError, not_a_stream_error, status_error
from ._json import dumps as json_dumps
from ._pagination import (
    AsyncCursorPage,
    AsyncPage,
    AsyncPaginator,
    check_cursor,
    page_items,
)
from ._pool import SessionPool
from ._response import APIResponse, parse_json, set_request_id
from ._retry import RetryBudget, RetryPolicy, RetryStats, make_retry_middleware
from ._streaming import AsyncStream
from ._types import NOT_GIVEN, NotGiven, RequestOptions, Timeout
from ._version import __version__
from .ratelimit import RateLimiter, RateLimiterProtocol
from .ratelimit._common import key_id

if TYPE_CHECKING:
    from .resources.beta import Beta
    from .resources.chat import Chat
    from .resources.conversations import Conversations
    from .resources.embeddings import Embeddings
    from .resources.models import Models
    from .resources.responses import Responses

__all__ = ["AsyncOpenAI"]

log = logging.getLogger("aio_openai")

T = TypeVar("T")

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_TIMEOUT = 600.0
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_MAX_CONNECTIONS = 1000
#: The largest response body read into memory by default (a list of big embeddings fits).
DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_RETRIES = 2
DEFAULT_ASSISTANTS_VERSION = "v2"


_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+").fullmatch


def _has_idempotency_key(headers: Mapping[str, str]) -> bool:
    return any(name.lower() == "idempotency-key" for name in headers)


#: Headers that frame or route the request: aiohttp sets them from the body and the URL. A
#: user's ``Transfer-Encoding: chunked`` beside aiohttp's ``Content-Length`` on an unchunked
#: body is a request-smuggling shape behind a proxy.
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "host", "connection"})


def _check_header(name: str, value: str) -> None:
    """Refuse a header that could split or smuggle headers: a name that is not an HTTP token,
    a value with CR, LF or NUL, or a header that frames the request (set by the library)."""
    if not isinstance(name, str) or not _HEADER_NAME(name):
        raise ValueError(
            f"header name {name!r} is not a valid HTTP header name (no CR, LF, NUL, spaces or"
            " colons)"
        )
    if name.lower() in _FRAMING_HEADERS:
        raise ValueError(
            f"header {name!r} is set by the library from the body and the URL (it frames the"
            " request); it cannot be set in default_headers or extra_headers"
        )
    if not isinstance(value, str):
        raise TypeError(f"header {name!r} must be a string, got {type(value).__name__}")
    if "\r" in value or "\n" in value or "\0" in value:
        raise ValueError(f"header {name!r} contains a CR, LF or NUL character")


def _assistants_version(version: str) -> str:
    if not isinstance(version, str) or not re.fullmatch(r"v[0-9]+", version):
        raise ValueError(f"assistants_version must look like 'v1' or 'v2', got {version!r}")
    return version


def _idle_timeout(value: float | None) -> float | None:
    if value is not None and (not isinstance(value, int | float) or value <= 0):
        raise ValueError(f"stream_idle_timeout must be a positive number of seconds, got {value!r}")
    return value


def _client_timeout(timeout: Timeout | None) -> aiohttp.ClientTimeout:
    if isinstance(timeout, aiohttp.ClientTimeout):
        return timeout
    if timeout is not None and (not isinstance(timeout, int | float) or timeout <= 0):
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    return aiohttp.ClientTimeout(total=timeout, sock_connect=DEFAULT_CONNECT_TIMEOUT)


class InsecureTransportWarning(UserWarning):
    """The API key would be sent over plain http to another machine."""


def _is_loopback(host: str | None) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address((host or "").strip("[]")).is_loopback
    except ValueError:
        return False


def env_proxy(url: URL) -> str | None:
    """The proxy for ``url`` from HTTP(S)_PROXY / ALL_PROXY / NO_PROXY, read once per client.

    aiohttp's own ``trust_env`` would look the environment (and ~/.netrc) up again in a thread
    on every request; the official SDK reads it once per client too.
    """
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(url.scheme or "") or proxies.get("all")
    bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
    if not proxy or bypass(url.host or "", proxies):
        return None
    return proxy


def _query_value(value: Any) -> str | list[str]:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):  # a repeated parameter: ``include[]=a&include[]=b``
        return ["true" if v is True else "false" if v is False else str(v) for v in value]
    return str(value)


_PLAIN_ID = re.compile(r"[A-Za-z0-9_.~-]+").fullmatch


def path_id(name: str, value: str) -> str:
    """A path parameter, percent-quoted so it can never change the path or the query."""
    if not isinstance(value, str):
        raise TypeError(f"Expected a string for `{name}` but received {type(value).__name__}")
    if not value:
        raise ValueError(f"Expected a non-empty value for `{name}` but received {value!r}")
    if value in (".", ".."):
        raise ValueError(f"`{name}` cannot be {value!r}: it would change the path")
    if _PLAIN_ID(value):
        return value  # nothing to quote: the common case, without quote()'s cost
    return quote(value, safe="")


def _json_default(value: Any) -> Any:
    if attrs.has(type(value)):
        return converter.unstructure(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_parsers: dict[type[Any], Callable[[Response], Any]] = {}


def object_parser(cl: type[T]) -> Callable[[Response], T]:
    """A function turning a response into ``cl`` (cached per class)."""
    parser = _parsers.get(cl)
    if parser is None:
        hook = converter.get_structure_hook(cl)

        def parse(response: Response) -> T:
            data = parse_json(response)
            try:
                obj: T = hook(data, cl)
            except Exception as exc:
                reason = repr(exc)
            else:
                set_request_id(obj, response.request_id)
                return obj
            # raised outside the except block: no __context__ holding parts of the body
            raise APIResponseValidationError(
                response, data, message=f"Invalid {cl.__name__} in the response: {reason}"
            )

        parser = _parsers[cl] = parse
    return parser


class AsyncOpenAI:
    """An async client for the OpenAI REST API, a drop-in for the official ``AsyncOpenAI``.

    Reads ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``OPENAI_ORG_ID`` and ``OPENAI_PROJECT_ID``
    when the matching argument is not given. Raises OpenAIError when no API key is found.
    ``assistants_version`` is the ``OpenAI-Beta: assistants=...`` version every call under
    ``client.beta`` sends (``"v2"``, or ``"v1"`` for servers that still speak it).
    ``stream_idle_timeout`` is the longest wait for the next piece of a streamed answer
    (default: the ``timeout`` of the call, as the official SDK's read timeout).
    ``max_response_bytes`` caps a response body read into memory (ResponseTooLargeError past
    it; None for no cap). ``verify`` checks TLS certificates (True, the default), or uses the
    given ``ssl.SSLContext``; only ``verify=False`` turns the check off. A plain ``http://``
    base_url to a host other than this machine warns (InsecureTransportWarning).
    One client serves any number of tasks and event loops; close it with ``await aclose()``
    or ``async with``.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        organization: str | None = None,
        project: str | None = None,
        base_url: str | URL | None = None,
        timeout: Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        middlewares: Sequence[Middleware] = (),
        retry_policy: RetryPolicy | None = None,
        retry_budget: RetryBudget | NotGiven | None = NOT_GIVEN,
        rate_limiter: RateLimiterProtocol | NotGiven | None = NOT_GIVEN,
        assistants_version: str = DEFAULT_ASSISTANTS_VERSION,
        stream_idle_timeout: float | NotGiven | None = NOT_GIVEN,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        verify: bool | ssl.SSLContext = True,
        _pool: SessionPool | None = None,
        _stats: RetryStats | None = None,
    ) -> None:
        if api_key is None:
            api_key = os.environ.get("OPENAI_API_KEY")
        if not api_key:
            raise OpenAIError(
                "The api_key client option must be set either by passing api_key to the client"
                " or by setting the OPENAI_API_KEY environment variable"
            )
        _check_header("Authorization", api_key)
        self._api_key = api_key
        self.organization = organization or os.environ.get("OPENAI_ORG_ID") or None
        self.project = project or os.environ.get("OPENAI_PROJECT_ID") or None
        if self.organization:
            _check_header("OpenAI-Organization", self.organization)
        if self.project:
            _check_header("OpenAI-Project", self.project)
        if base_url is None:
            base_url = os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
        url = URL(str(base_url))
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"base_url must be an absolute http(s) URL, got {str(base_url)!r}")
        self.base_url = url
        if url.scheme == "http" and not _is_loopback(url.host):
            warnings.warn(
                f"base_url {url.scheme}://{url.host} is plain http to a host that is not this"
                " machine: the API key would cross the network unencrypted",
                InsecureTransportWarning,
                stacklevel=2,
            )
        if max_response_bytes is not None and max_response_bytes < 1:
            raise ValueError(f"max_response_bytes must be >= 1 or None, got {max_response_bytes}")
        self.max_response_bytes = max_response_bytes
        self._proxy = env_proxy(url)
        self._base = str(url.with_query(None).with_fragment(None)).rstrip("/")
        self.timeout = timeout
        self._timeout = _client_timeout(timeout)
        policy = retry_policy or RetryPolicy()
        if max_retries is not None:
            if not isinstance(max_retries, int) or max_retries < 0:
                raise ValueError(f"max_retries must be a non-negative int, got {max_retries!r}")
            policy = attrs.evolve(policy, max_retries=max_retries)
        self.retry_policy = policy
        self.retry_budget = RetryBudget() if isinstance(retry_budget, NotGiven) else retry_budget
        self.stats = _stats if _stats is not None else RetryStats()
        self.assistants_version = _assistants_version(assistants_version)
        self.stream_idle_timeout = (
            stream_idle_timeout
            if isinstance(stream_idle_timeout, NotGiven)
            else _idle_timeout(stream_idle_timeout)
        )
        self._custom_headers = dict(default_headers or {})
        self._custom_query = dict(default_query or {})
        self._middlewares = tuple(middlewares)
        self._max_connections = max_connections
        self._pool = (
            _pool
            if _pool is not None
            else SessionPool(
                max_connections=max_connections,
                connect_timeout=DEFAULT_CONNECT_TIMEOUT,
                ssl=verify,
            )
        )
        self._headers = self._build_headers()
        # (client headers with an endpoint's own merged in, Idempotency-Key among them?)
        self._merged: dict[tuple[tuple[str, str], ...], tuple[dict[str, str], bool]] = {
            (): (self._headers, _has_idempotency_key(self._headers))
        }
        if isinstance(rate_limiter, NotGiven):
            rate_limiter = RateLimiter(max_wait=policy.max_retry_after)
        self.rate_limiter = rate_limiter
        chain = [*self._middlewares, make_retry_middleware(policy, self.retry_budget, self.stats)]
        if rate_limiter is not None:
            chain.append(rate_limiter.middleware(key_id(api_key, self.organization)))
        self._chain = chain
        self._handler: Handler = build_chain(chain, make_send(self._pool, max_response_bytes))

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt (the retry policy's ``max_retries``)."""
        return self.retry_policy.max_retries

    def _build_headers(self) -> dict[str, str]:
        headers = {
            "Authorization": f"Bearer {self._api_key}",
            "Accept": "application/json",
            "User-Agent": f"aio-openai/{__version__}",
        }
        if self.organization:
            headers["OpenAI-Organization"] = self.organization
        if self.project:
            headers["OpenAI-Project"] = self.project
        for name, value in self._custom_headers.items():
            _check_header(name, value)
            headers[name] = value
        return headers

    @property
    def api_key(self) -> str:
        """The API key (never shown by repr or str)."""
        return self._api_key

    def __repr__(self) -> str:
        return f"<AsyncOpenAI base_url={self._base!r}>"

    # -- resources ---------------------------------------------------------------------------

    @cached_property
    def models(self) -> Models:
        """The Models API: list, retrieve, delete."""
        from .resources.models import Models

        return Models(self)

    @cached_property
    def chat(self) -> Chat:
        """The Chat Completions API: ``chat.completions.create`` (streamed or not)."""
        from .resources.chat import Chat

        return Chat(self)

    @cached_property
    def embeddings(self) -> Embeddings:
        """The Embeddings API: ``embeddings.create``."""
        from .resources.embeddings import Embeddings

        return Embeddings(self)

    @cached_property
    def beta(self) -> Beta:
        """The beta APIs: ``beta.assistants`` and ``beta.threads`` (the Assistants API)."""
        from .resources.beta import Beta

        return Beta(self)

    @cached_property
    def responses(self) -> Responses:
        """The Responses API: ``responses.create`` (streamed or not), retrieve, delete, cancel,
        ``input_items``, and ``poll``/``create_and_poll`` for background responses."""
        from .resources.responses import Responses

        return Responses(self)

    @cached_property
    def conversations(self) -> Conversations:
        """The Conversations API: create, retrieve, update, delete, and ``items``."""
        from .resources.conversations import Conversations

        return Conversations(self)

    # -- lifecycle ---------------------------------------------------------------------------

    def copy(
        self,
        *,
        api_key: str | None = None,
        organization: str | None = None,
        project: str | None = None,
        base_url: str | URL | None = None,
        timeout: Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
        middlewares: Sequence[Middleware] | None = None,
        retry_policy: RetryPolicy | None = None,
        assistants_version: str | None = None,
        stream_idle_timeout: float | NotGiven | None = NOT_GIVEN,
    ) -> AsyncOpenAI:
        """A new client with some options changed, sharing this one's pool, budget and stats.

        ``default_headers``/``default_query`` are merged into this client's;
        ``set_default_headers``/``set_default_query`` replace them.
        """
        if default_headers is not None and set_default_headers is not None:
            raise ValueError("default_headers and set_default_headers are mutually exclusive")
        if default_query is not None and set_default_query is not None:
            raise ValueError("default_query and set_default_query are mutually exclusive")
        headers = dict(self._custom_headers)
        if default_headers is not None:
            headers.update(default_headers)
        if set_default_headers is not None:
            headers = dict(set_default_headers)
        query = dict(self._custom_query)
        if default_query is not None:
            query.update(default_query)
        if set_default_query is not None:
            query = dict(set_default_query)
        return type(self)(
            api_key=api_key or self._api_key,
            organization=organization or self.organization,
            project=project or self.project,
            base_url=base_url or self.base_url,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=None if isinstance(max_retries, NotGiven) else max_retries,
            default_headers=headers,
            default_query=query,
            max_connections=self._max_connections,
            middlewares=self._middlewares if middlewares is None else middlewares,
            retry_policy=retry_policy or self.retry_policy,
            retry_budget=self.retry_budget,
            rate_limiter=self.rate_limiter,
            assistants_version=assistants_version or self.assistants_version,
            stream_idle_timeout=(
                self.stream_idle_timeout
                if isinstance(stream_idle_timeout, NotGiven)
                else stream_idle_timeout
            ),
            max_response_bytes=self.max_response_bytes,
            _pool=self._pool,
            _stats=self.stats,
        )

    with_options = copy

    async def aclose(self) -> None:
        """Close every connection of the pool (shared with clients made by ``with_options``)."""
        await self._pool.aclose()

    close = aclose

    def is_closed(self) -> bool:
        """True once the client was closed."""
        return self._pool.closed

    async def __aenter__(self) -> AsyncOpenAI:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- requests ----------------------------------------------------------------------------

    def build_request(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
        metered: bool = False,
        endpoint_headers: Mapping[str, str] | None = None,
    ) -> Request:
        """The Request for ``method`` on ``path`` (relative to base_url), with the options.

        ``metered`` calls (those that spend tokens of a model) carry the body's ``model`` and an
        estimated token cost for the rate limiter; the rest share the key's request bucket.
        ``endpoint_headers`` are the endpoint's own (``OpenAI-Beta`` for the beta APIs): they win
        over the client's headers, and the call's ``extra_headers`` win over them.
        """
        merged_key = tuple(endpoint_headers.items()) if endpoint_headers else ()
        merged = self._merged.get(merged_key)
        if merged is None:
            merged = self._merge_headers(merged_key)
        headers = dict(merged[0])
        has_idempotency_key = merged[1]
        timeout = self._timeout
        params: dict[str, Any] | None = None
        max_retries = deadline = policy = None
        if self._custom_query or query:
            params = {**self._custom_query, **(query or {})}
        if options:
            extra_headers = options.get("extra_headers")
            if extra_headers:
                for name, value in extra_headers.items():
                    _check_header(name, value)
                headers.update(extra_headers)
                has_idempotency_key = _has_idempotency_key(headers)
            extra_query = options.get("extra_query")
            if extra_query:
                params = {**(params or {}), **extra_query}
            extra_body = options.get("extra_body")
            if extra_body:
                body = {**(body or {}), **extra_body}
            if "timeout" in options:
                timeout = _client_timeout(options["timeout"])
            key = options.get("idempotency_key")
            if key:
                _check_header("Idempotency-Key", key)
                headers["Idempotency-Key"] = key
                has_idempotency_key = True
            max_retries = options.get("max_retries")
            if max_retries is not None and (not isinstance(max_retries, int) or max_retries < 0):
                raise ValueError(f"max_retries must be a non-negative int, got {max_retries!r}")
            deadline = options.get("deadline")
            if deadline is not None and (not isinstance(deadline, int | float) or deadline <= 0):
                raise ValueError(f"deadline must be a positive number of seconds, got {deadline!r}")
            policy = options.get("retry_policy")
        url = URL(self._base + path, encoded=True)
        if params:
            url = url.update_query(
                {
                    k: _query_value(v)
                    for k, v in params.items()
                    if v is not None and v is not NOT_GIVEN
                }
            )
        content = None
        model = None
        cost = 0
        if method == "POST" and not has_idempotency_key:
            headers["Idempotency-Key"] = f"aio-openai-retry-{os.urandom(16).hex()}"
        if body is not None:
            body = {k: v for k, v in body.items() if v is not NOT_GIVEN}
            content = json_dumps(body, default=_json_default)
            headers["Content-Type"] = "application/json"
            if metered:
                m = body.get("model")
                model = m if isinstance(m, str) else None
                cost = estimate_tokens(body)
        return Request(
            method=method,
            url=url,
            headers=headers,
            content=content,
            json_data=body,
            timeout=timeout,
            model=model,
            token_cost=cost,
            max_retries=max_retries,
            deadline=deadline,
            retry_policy=policy,
            proxy=self._proxy,
        )

    def _merge_headers(
        self, endpoint_headers: tuple[tuple[str, str], ...]
    ) -> tuple[dict[str, str], bool]:
        """The client's headers with an endpoint's merged in (they win), kept for reuse."""
        names = {name.lower() for name, _ in endpoint_headers}
        headers = {k: v for k, v in self._headers.items() if k.lower() not in names}
        headers.update(endpoint_headers)
        merged = (headers, _has_idempotency_key(headers))
        if len(self._merged) < 32:  # endpoints send a handful of constant header sets
            self._merged[endpoint_headers] = merged
        return merged

    async def send(self, request: Request) -> Response:
        """Run a request through the middleware chain; non-2xx answers raise their typed error."""
        response = await self._handler(request)
        if not 200 <= response.status < 300:
            raise status_error(response)
        return response

    async def request(
        self,
        method: str,
        path: str,
        parser: Callable[[Response], T],
        *,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
        raw: bool = False,
        metered: bool = False,
        endpoint_headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Send one call and parse its answer (or wrap it in APIResponse when ``raw``)."""
        request = self.build_request(
            method,
            path,
            body=body,
            query=query,
            options=options,
            metered=metered,
            endpoint_headers=endpoint_headers,
        )
        response = await self._handler(request)  # as send(), one coroutine level less
        if not 200 <= response.status < 300:
            raise status_error(response)
        if raw:
            return APIResponse(response, parser)
        return parser(response)

    @cached_property
    def _stream_handler(self) -> Handler:
        """The chain of streaming calls: the same middlewares, a send step leaving 2xx unread."""
        return build_chain(self._chain, make_stream_send(self._pool, self.max_response_bytes))

    async def request_stream(
        self,
        method: str,
        path: str,
        parse: Callable[[str | None, Any], T],
        *,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
        raw: bool = False,
        metered: bool = False,
        endpoint_headers: Mapping[str, str] | None = None,
        final_events: frozenset[str] = frozenset(),
    ) -> Any:
        """Send one streaming call; return an AsyncStream of ``parse(event, data)`` items.

        Returns once the status and headers are in: a non-2xx answer raises its typed error
        (after the retries the policy allows), a 2xx one that is not an event stream
        APIResponseValidationError; an event stream is read by the stream. ``final_events``
        are the event names (or ``type`` values) that complete a stream of this kind besides
        ``data: [DONE]``: a body ending before one came raises APIConnectionError. With
        ``raw``, the APIResponse whose ``parse()`` is the stream.
        """
        request = self.build_request(
            method,
            path,
            body=body,
            query=query,
            options=options,
            metered=metered,
            endpoint_headers=endpoint_headers,
        )
        request.stream = True
        idle: float | NotGiven | None = NOT_GIVEN
        if options and "stream_idle_timeout" in options:
            idle = _idle_timeout(options["stream_idle_timeout"])
        if isinstance(idle, NotGiven):
            idle = self.stream_idle_timeout
        if isinstance(idle, NotGiven):
            t = request.timeout
            idle = t.sock_read if t.sock_read is not None else t.total
        response = await self._stream_handler(request)
        if not 200 <= response.status < 300:
            raise status_error(response)
        if not is_event_stream(response.headers):
            raise not_a_stream_error(response)
        stream: AsyncStream[T] = AsyncStream(
            response,
            parse,
            idle_timeout=idle,
            max_event_bytes=self.max_response_bytes,
            final_events=final_events,
        )
        return stream.response if raw else stream

    def page(
        self,
        path: str,
        item: type[T],
        *,
        cursor: bool,
        query: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
        raw: bool = False,
        endpoint_headers: Mapping[str, str] | None = None,
    ) -> AsyncPaginator[T, Any]:
        """A lazy list: awaiting gives the first page, ``async for`` walks every item."""
        fetch = _PageFetch(
            self, path, item, cursor, dict(query or {}), options, raw, endpoint_headers
        )
        return AsyncPaginator(fetch)


class _PageFetch(Generic[T]):
    """Fetches and parses one page of a list: the first, or the one after a cursor.

    A plain object rather than closures, so a list call leaves no reference cycle behind for
    the garbage collector (a cursor page keeps it to fetch the next page).
    """

    __slots__ = (
        "client",
        "cursor",
        "endpoint_headers",
        "hook",
        "item",
        "options",
        "path",
        "query",
        "raw",
    )

    def __init__(
        self,
        client: AsyncOpenAI,
        path: str,
        item: type[T],
        cursor: bool,
        query: dict[str, Any],
        options: RequestOptions | None,
        raw: bool,
        endpoint_headers: Mapping[str, str] | None,
    ) -> None:
        self.client = client
        self.path = path
        self.item = item
        self.hook = converter.get_structure_hook(item)
        self.cursor = cursor
        self.query = query
        self.options = options
        self.raw = raw
        self.endpoint_headers = endpoint_headers

    def __call__(self, after: str | None = None, seen: Collection[str] = ()) -> Awaitable[Any]:
        """The first page, or (a cursor list) the page after ``after``; ``seen`` holds the
        cursors asked for on this walk, which the page must not give as its next one."""
        if after is None:
            query = self.query
            first = query.get("after")  # the caller's own starting cursor
            seen = (first,) if isinstance(first, str) else ()
        else:
            query = {**self.query, "after": after}
        return self.client.request(
            "GET",
            self.path,
            partial(self.parse, seen=seen) if seen else self.parse,
            query=query,
            options=self.options,
            raw=self.raw,
            endpoint_headers=self.endpoint_headers,
        )

    def parse(self, response: Response, seen: Collection[str] = ()) -> AsyncPage[T]:
        data = parse_json(response)
        item, hook = self.item, self.hook
        try:
            if not isinstance(data, dict) or "data" not in data:
                raise TypeError("a list response must be an object with 'data'")
            items = [hook(x, item) for x in page_items(data)]
            page: AsyncPage[T]
            if self.cursor:
                page = AsyncCursorPage(
                    data=items,
                    object=str(data.get("object", "list")),
                    first_id=data.get("first_id"),
                    last_id=data.get("last_id"),
                    has_more=bool(data.get("has_more", False)),
                    fetch=self,
                )
                check_cursor(page, response, data, seen)
            else:
                page = AsyncPage(data=items, object=str(data.get("object", "list")))
        except Exception as exc:
            reason = repr(exc)
        else:
            page._request_id = response.request_id
            return page
        # raised outside the except block: no __context__ holding parts of the body
        raise APIResponseValidationError(
            response, data, message=f"Invalid list of {getattr(item, '__name__', item)}: {reason}"
        )
