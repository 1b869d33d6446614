"""AsyncOpenAI: configuration, resources as cached properties, with_options, aclose."""

from __future__ import annotations

import ipaddress
import os
import re
import ssl
import urllib.request
import warnings
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import Any, TypeVar

import attrs
from yarl import URL

from ._chain import build_chain
from ._client_resources import ClientResources
from ._exceptions import OpenAIError, status_error
from ._http import Handler, HTTPResponse, Middleware, Request
from ._pagination import AsyncCursorPage, AsyncPage, AsyncPaginator, PageFetch
from ._pool import SessionPool
from ._request import RequestConfig, build_request, check_header
from ._response import answer
from ._retry import RetryBudget, RetryPolicy, RetryStats, make_retry_middleware
from ._streamed import open_stream
from ._streaming import EventStream, check_idle_timeout
from ._transport import DEFAULT_CONNECT_TIMEOUT, client_timeout, make_send, make_stream_send
from ._types import NOT_GIVEN, NotGiven, RequestOptions, Timeout
from ._version import __version__
from .ratelimit import RateLimiter, RateLimiterProtocol
from .ratelimit._common import key_id

__all__ = ["AsyncOpenAI"]

T = TypeVar("T")

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_TIMEOUT = 600.0
DEFAULT_MAX_CONNECTIONS = 1000
#: The largest response body read into memory by default (a list of big embeddings fits).
DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_RETRIES = 2
DEFAULT_ASSISTANTS_VERSION = "v2"


def _assistants_version(version: str) -> str:
    if not isinstance(version, str) or not re.fullmatch(r"v[0-9]+", version):
        raise ValueError(f"assistants_version must look like 'v1' or 'v2', got {version!r}")
    return version


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


class AsyncOpenAI(ClientResources):
    """An async client for the OpenAI REST API, a drop-in for the official ``AsyncOpenAI``.

    Reads ``OPENAI_API_KEY``, ``OPENAI_ADMIN_KEY``, ``OPENAI_BASE_URL``, ``OPENAI_ORG_ID``,
    ``OPENAI_PROJECT_ID`` and ``OPENAI_WEBHOOK_SECRET`` when the matching argument is not
    given. ``webhook_secret`` is the secret ``client.webhooks.unwrap`` checks webhook
    signatures with. ``admin_api_key`` is the key ``client.admin`` calls send (and they only);
    a client may have either key or both, and raises OpenAIError when it has neither. A call
    whose key the client lacks raises TypeError before anything is sent.
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
        admin_api_key: str | None = None,
        organization: str | None = None,
        project: str | None = None,
        webhook_secret: str | None = None,
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
        if admin_api_key is None:
            admin_api_key = os.environ.get("OPENAI_ADMIN_KEY")
        if not api_key and not admin_api_key:
            raise OpenAIError(
                "The api_key client option must be set either by passing api_key to the client"
                " or by setting the OPENAI_API_KEY environment variable (or, for client.admin"
                " only, admin_api_key or OPENAI_ADMIN_KEY)"
            )
        if api_key:
            check_header("Authorization", api_key)
        if admin_api_key:
            check_header("Authorization", admin_api_key)
        self._api_key = api_key or ""
        self._admin_api_key = admin_api_key or None
        self.organization = organization or os.environ.get("OPENAI_ORG_ID") or None
        self.project = project or os.environ.get("OPENAI_PROJECT_ID") or None
        if self.organization:
            check_header("OpenAI-Organization", self.organization)
        if self.project:
            check_header("OpenAI-Project", self.project)
        self.webhook_secret = webhook_secret or os.environ.get("OPENAI_WEBHOOK_SECRET") or None
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
        self.timeout = timeout
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
            else check_idle_timeout(stream_idle_timeout)
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
        self._config = RequestConfig(
            base=str(url.with_query(None).with_fragment(None)).rstrip("/"),
            headers=self._build_headers(),
            query=self._custom_query,
            timeout=client_timeout(timeout),
            proxy=env_proxy(url),
        )
        if isinstance(rate_limiter, NotGiven):
            rate_limiter = RateLimiter(max_wait=policy.max_retry_after)
        self.rate_limiter = rate_limiter
        chain = [*self._middlewares, make_retry_middleware(policy, self.retry_budget, self.stats)]
        if rate_limiter is not None:
            key = api_key or admin_api_key or ""
            chain.append(rate_limiter.middleware(key_id(key, self.organization)))
        self._chain = chain
        self._handler: Handler = build_chain(chain, make_send(self._pool, max_response_bytes))

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt (the retry policy's ``max_retries``)."""
        return self.retry_policy.max_retries

    def _build_headers(self) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "User-Agent": f"aio-openai/{__version__}",
        }
        if self._api_key:  # none: a call without credentials is refused (check_credentials)
            headers = {"Authorization": f"Bearer {self._api_key}", **headers}
        if self.organization:
            headers["OpenAI-Organization"] = self.organization
        if self.project:
            headers["OpenAI-Project"] = self.project
        for name, value in self._custom_headers.items():
            check_header(name, value)
            headers[name] = value
        return headers

    @property
    def api_key(self) -> str:
        """The API key ("" for a client made with an admin key only; never shown by repr or
        str)."""
        return self._api_key

    @property
    def admin_api_key(self) -> str | None:
        """The admin API key ``client.admin`` calls send, or None (never shown by repr or
        str)."""
        return self._admin_api_key

    def __repr__(self) -> str:
        return f"<AsyncOpenAI base_url={self._config.base!r}>"

    # -- lifecycle ---------------------------------------------------------------------------

    def copy(
        self,
        *,
        api_key: str | None = None,
        admin_api_key: str | None = None,
        organization: str | None = None,
        project: str | None = None,
        webhook_secret: str | None = None,
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
            admin_api_key=admin_api_key or self._admin_api_key,
            organization=organization or self.organization,
            project=project or self.project,
            webhook_secret=webhook_secret or self.webhook_secret,
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
        metered: bool | str = False,
        endpoint_headers: Mapping[str, str] | None = None,
    ) -> Request:
        """The Request for ``method`` on ``path`` (relative to base_url), with the options.

        ``metered`` calls (those that spend tokens of a model) carry the body's ``model`` and an
        estimated token cost for the rate limiter; the rest share the key's request bucket. A
        string ``metered`` is the model the API uses when the body names none.
        ``endpoint_headers`` are the endpoint's own (``OpenAI-Beta`` for the beta APIs): they win
        over the client's headers, and the call's ``extra_headers`` win over them.
        """
        return build_request(
            self._config,
            method,
            path,
            body=body,
            query=query,
            options=options,
            metered=metered,
            endpoint_headers=endpoint_headers,
        )

    async def send(self, request: Request) -> HTTPResponse:
        """Run a request through the middleware chain; non-2xx answers raise their typed error."""
        response = await self._handler(request)
        if not 200 <= response.status < 300:
            raise status_error(response)
        return response

    async def request(
        self,
        method: str,
        path: str,
        parser: Callable[[HTTPResponse], T],
        *,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
        raw: bool = False,
        metered: bool | str = False,
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
        return answer(await self._handler(request), parser, raw)

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
        metered: bool | str = False,
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
        stream = await open_stream(self, request, EventStream(parse, final_events), options)
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
        """A lazy list: awaiting gives the first page (with ``raw``, its APIResponse), ``async
        for`` walks every item."""
        fetch = PageFetch(
            self._config,
            self._handler,
            path,
            item,
            page=AsyncCursorPage if cursor else AsyncPage,
            query=query,
            options=options,
            endpoint_headers=endpoint_headers,
        )
        if not raw:
            return AsyncPaginator(fetch)

        async def first_page() -> Any:
            request, parse = fetch.first()
            return answer(await self._handler(request), parse, True)

        return AsyncPaginator(first_page)
