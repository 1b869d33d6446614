"""Scripted and random faults of the fake server: error statuses, cut connections, delays.

:class:`Faults` is reached as :attr:`FakeOpenAI.faults <aio_openai.testing.FakeOpenAI.faults>`.
Its middleware runs after the API key check and before the route handler (and before rate
limits), so a request that fails the key check never consumes a fault, and a request that
gets a fault never reaches the handler (a faulted ``DELETE`` deletes nothing).

Two sources, asked in this order for every request:

- scripted faults, :meth:`Faults.push`: served in the order they were pushed, each to the
  next ``times`` requests its route matches;
- random faults, :meth:`Faults.random`: each request fails with probability ``rate``, the
  kind drawn by weight, from a :class:`random.Random` seeded by ``seed``, so the same
  requests in the same order meet the same faults.

Fault kinds:

==========================  ==============================================================
``"status"``                ``status`` (400-599) with an OpenAI error body (defaults per
                            status, e.g. 429 ``rate_limit_exceeded`` with a "Please try
                            again in 20ms." hint), plus any ``headers`` (``retry-after``,
                            ``retry-after-ms``, ``x-should-retry``)
``"insufficient_quota"``    429 with OpenAI's ``insufficient_quota`` body
``"reset"``                 headers and part of the body, then a TCP reset (RST)
``"truncate"``              a ``Content-Length`` larger than the body sent, then a close
``"invalid_json"``          a 200 (or ``status``) whose body is not JSON
``"delay"``                 wait ``delay`` seconds, then answer normally (or ``status``)
``"stream_cut"``            answer normally, but reset the connection after ``after`` bytes
                            of a streamed answer (default: after its first event)
``"stream_stall"``          answer normally, but stop a streamed answer after ``after``
                            bytes until :meth:`Faults.release` (or the client hangs up)
``"stream_error"``          answer normally, but end a streamed answer with an error event
                            once ``after`` bytes are out (at the end of that event)
==========================  ==============================================================

The stream kinds only touch streamed answers (chat completions, responses and Assistants runs
with ``stream=True``, and the first model response of a WebSocket session: see :mod:`._ws`);
any other answer is served as usual. A status fault on ``GET /v1/realtime`` refuses the
WebSocket upgrade.

Random faults name their kind with a string: ``"status_503"`` (any status 400-599),
``"insufficient_quota"``, ``"reset"``, ``"truncate"``, ``"invalid_json"`` or ``"delay"``.
:attr:`Faults.injected` counts the faults served under the same names (a scripted status
fault counts as ``"status_<status>"``).
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
import random as _random
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final, Literal, get_args

import attrs
from aiohttp import web
from aiohttp.typedefs import Handler

from aio_openai.testing._http import JSON, json_error, reset_connection
from aio_openai.testing._middlewares import REQUEST_ID_KEY
from aio_openai.testing._sse import STREAM_FAULT_KEY, StreamFault

__all__ = ["Fault", "FaultKind", "Faults", "InjectedFault", "default_error"]

FaultKind = Literal[
    "status",
    "insufficient_quota",
    "reset",
    "truncate",
    "invalid_json",
    "delay",
    "stream_cut",
    "stream_stall",
    "stream_error",
]

_KINDS: Final[frozenset[str]] = frozenset(get_args(FaultKind))
_STREAM_KINDS: Final[frozenset[str]] = frozenset({"stream_cut", "stream_stall", "stream_error"})

#: The body a ``reset`` or ``truncate`` fault starts to send; about half of it goes out.
_CUT_BODY: Final = (
    b'{"id":"gpt-4","object":"model","created":1687882411,"owned_by":"openai",'
    b'"padding":"' + b"x" * 64 + b'"}'
)
#: The body of an ``invalid_json`` fault: the start of a model object, cut short.
_INVALID_JSON_BODY: Final = b'{"id": "gpt-4", "obj'

_RATE_LIMIT_MESSAGE: Final = (
    "Rate limit reached for requests in organization org-fake on requests per min (RPM): "
    "Limit 3, Used 3, Requested 1. Please try again in 20ms. "
    "Visit https://platform.openai.com/account/rate-limits to learn more."
)
_QUOTA_MESSAGE: Final = (
    "You exceeded your current quota, please check your plan and billing details. For more "
    "information on this error, read the docs: "
    "https://platform.openai.com/docs/guides/error-codes/api-errors."
)
_SERVER_ERROR_MESSAGE: Final = (
    "The server had an error while processing your request. Sorry about that!"
)

#: (message, type, code) of the error body of a status fault, by status.
_DEFAULT_ERRORS: Final[Mapping[int, tuple[str, str, str | None]]] = {
    400: ("Invalid request: the server could not understand it.", "invalid_request_error", None),
    401: (
        "Incorrect API key provided. "
        "You can find your API key at https://platform.openai.com/account/api-keys.",
        "invalid_request_error",
        "invalid_api_key",
    ),
    403: ("You are not allowed to perform this request.", "invalid_request_error", None),
    404: ("The requested resource was not found.", "invalid_request_error", None),
    408: ("Request timed out.", "timeout", None),
    409: (
        "The request conflicts with another request in progress. Please retry.",
        "invalid_request_error",
        "conflict",
    ),
    422: ("The request could not be processed.", "invalid_request_error", None),
    429: (_RATE_LIMIT_MESSAGE, "requests", "rate_limit_exceeded"),
    500: (_SERVER_ERROR_MESSAGE, "server_error", None),
    502: ("Bad gateway.", "server_error", None),
    503: ("The server is overloaded or not ready yet.", "server_error", None),
    504: ("Gateway timeout.", "server_error", None),
}


def default_error(status: int) -> tuple[str, str, str | None]:
    """Return the ``(message, type, code)`` a status fault puts in its error body."""
    known = _DEFAULT_ERRORS.get(status)
    if known is not None:
        return known
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    kind = "server_error" if status >= 500 else "invalid_request_error"
    return f"{phrase}.", kind, None


def _body_bytes(body: bytes | Mapping[str, object] | None) -> bytes | None:
    """Return an override body as bytes (a mapping serialized to JSON)."""
    if body is None or isinstance(body, bytes):
        return body
    return json.dumps(body, ensure_ascii=False).encode()


def _read_only(headers: Mapping[str, str]) -> Mapping[str, str]:
    """Return a read-only copy of ``headers``."""
    return MappingProxyType(dict(headers))


@attrs.frozen(kw_only=True)
class Fault:
    """One fault: what the fake server answers instead of the route's answer.

    ``label`` is the name :attr:`Faults.injected` counts it under.
    """

    kind: FaultKind
    status: int | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict, converter=_read_only)
    body: bytes | None = None
    code: str | None = None
    message: str | None = None
    error_type: str | None = None
    delay: float | None = None
    after: int | None = None

    def __attrs_post_init__(self) -> None:
        """Check the fields fit the kind."""
        if self.kind not in _KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {sorted(_KINDS)}")
        status = self.status
        if status is not None and not 200 <= status <= 599:
            raise ValueError(f"status must be in 200..599, got {status}")
        if self.kind == "status" and (status is None or status < 400):
            raise ValueError("a 'status' fault needs a status in 400..599")
        if self.kind == "insufficient_quota" and status not in (None, 429):
            raise ValueError("an 'insufficient_quota' fault is always a 429")
        if self.kind == "delay" and status is not None and status < 400:
            raise ValueError("a 'delay' fault's status must be in 400..599 (or None)")
        if self.kind == "delay" and (self.delay is None or not self.delay >= 0):
            raise ValueError("a 'delay' fault needs delay >= 0 seconds")
        if self.after is not None and (self.kind not in _STREAM_KINDS or self.after < 0):
            raise ValueError("after (bytes, >= 0) is for the stream_* faults only")

    @property
    def label(self) -> str:
        """``"status_503"`` for a status fault, else the kind."""
        if self.kind == "status":
            return f"status_{self.status}"
        return self.kind

    async def serve(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Answer ``request`` with this fault (``handler`` is the route, for ``delay``)."""
        kind = self.kind
        if kind == "delay":
            await asyncio.sleep(self.delay or 0.0)
            if self.status is None:
                return await handler(request)
            return self._error_response(self.status)
        if kind == "status":
            assert self.status is not None
            return self._error_response(self.status)
        if kind == "insufficient_quota":
            return self._error_response(429, _QUOTA_MESSAGE, "insufficient_quota")
        if kind in _STREAM_KINDS:  # served by the route's stream (see _sse.send_events)
            request[STREAM_FAULT_KEY] = StreamFault(kind, self.after)  # type: ignore[arg-type]
            return await handler(request)
        if kind == "invalid_json":
            body = _INVALID_JSON_BODY if self.body is None else self.body
            response = web.Response(status=self.status or 200, body=body, content_type=JSON)
            response.headers.update(self.headers)
            return response
        return await self._cut(request, reset=kind == "reset")

    def _error_response(
        self, status: int, message: str | None = None, code: str | None = None
    ) -> web.Response:
        """Return ``status`` with an OpenAI error body (or the override body) and the headers."""
        if self.body is not None:
            response = web.Response(status=status, body=self.body, content_type=JSON)
        else:
            default_message, default_type, default_code = default_error(status)
            response = json_error(
                status,
                self.message or message or default_message,
                type=self.error_type or code or default_type,
                code=self.code or code or default_code,
            )
        response.headers.update(self.headers)
        return response

    async def _cut(self, request: web.Request, *, reset: bool) -> web.StreamResponse:
        """Send the headers and part of the body, then reset (RST) or close (FIN)."""
        body = _CUT_BODY if self.body is None else self.body
        response = web.StreamResponse(status=self.status or 200, headers=self.headers)
        response.content_type = JSON
        response.content_length = len(body) + 1  # never complete, even for an empty body
        await response.prepare(request)
        await response.write(body[: len(body) // 2])
        if reset:
            reset_connection(request)
        elif request.transport is not None:
            request.transport.close()
        # aiohttp's write_eof on the closed transport raises ConnectionError, which it treats
        # as a client gone away: nothing is logged.
        return response


@attrs.frozen(slots=True)
class InjectedFault:
    """One fault the server served: its label, the request and the route it matched."""

    label: str
    method: str
    path: str
    route: str
    request_id: str | None


@attrs.define(slots=True)
class _Scripted:
    """A pushed fault with its route and the number of times it is still to be served."""

    method: str | None
    path: str | None
    fault: Fault
    remaining: int

    def matches(self, method: str, route: str, path: str) -> bool:
        """Whether a request for ``method`` on ``route`` (canonical) or ``path`` matches."""
        if self.method is not None and self.method != method:
            return False
        return self.path is None or self.path == route or self.path == path


@attrs.frozen(slots=True)
class _RandomFaults:
    """The random fault setting: rate, kinds and weights, and the route it applies to."""

    rate: float
    faults: tuple[Fault, ...]
    weights: tuple[float, ...]
    method: str | None
    path: str | None
    rng: _random.Random


def _parse_route(route: str) -> tuple[str | None, str | None]:
    """Split ``"GET /v1/models/{model}"``, ``"/v1/models"`` or ``"*"`` into (method, path)."""
    text = route.strip()
    if text == "*":
        return None, None
    method, _, path = text.rpartition(" ")
    method = method.strip().upper()
    if not path.startswith("/") or (method and not (method == "*" or method.isalpha())):
        raise ValueError(
            f"route must be '*', 'METHOD /path' or '/path' "
            f"(e.g. 'GET /v1/models/{{model}}'), got {route!r}"
        )
    return (None if method in ("", "*") else method), path


def _fault_from_name(name: str, *, delay: float | None) -> Fault:
    """Return the fault a random kind name stands for (``"status_503"``, ``"reset"``, ...)."""
    if name.startswith("status_"):
        try:
            status = int(name.removeprefix("status_"))
        except ValueError:
            raise ValueError(f"bad fault kind {name!r}: expected e.g. 'status_503'") from None
        return Fault(kind="status", status=status)
    if name == "status" or name not in _KINDS:
        raise ValueError(
            f"unknown fault kind {name!r}: 'status_<400-599>', 'insufficient_quota', "
            "'reset', 'truncate', 'invalid_json', 'delay' or a 'stream_*' kind"
        )
    if name == "delay":
        if delay is None:
            raise ValueError("random 'delay' faults need delay= seconds")
        return Fault(kind="delay", delay=delay)
    return Fault(kind=name)  # type: ignore[arg-type]


#: What :meth:`Faults.random` picks from by default: 5xx and resets, evenly.
DEFAULT_RANDOM_KINDS: Final = ("status_500", "status_502", "status_503", "reset")


class Faults:
    """The faults a fake server injects (see the module docstring); thread-safe.

    ``injected`` counts the faults served by label, ``log`` lists them, ``seen`` counts every
    request that passed the API key check (faulted or not). :meth:`clear` removes every
    fault; the counters are kept until :meth:`reset_counters`.
    """

    def __init__(self) -> None:
        """Create a set of faults that injects nothing."""
        self._lock = threading.Lock()
        self._scripted: list[_Scripted] = []
        self._random: _RandomFaults | None = None
        self._active = False
        self.injected: Counter[str] = Counter()
        self.log: list[InjectedFault] = []
        self.seen = 0
        self._stalls: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    def __repr__(self) -> str:
        """Return e.g. ``<Faults scripted=2 random=0.2 injected=5>``."""
        rate = None if self._random is None else self._random.rate
        total = sum(self.injected.values())
        return f"<Faults scripted={self.pending} random={rate} injected={total}>"

    @property
    def pending(self) -> int:
        """How many scripted faults are still to be served."""
        with self._lock:
            return sum(entry.remaining for entry in self._scripted)

    def push(
        self,
        route: str = "*",
        *,
        kind: FaultKind = "status",
        status: int | None = None,
        times: int = 1,
        headers: Mapping[str, str] | None = None,
        body: bytes | Mapping[str, object] | None = None,
        code: str | None = None,
        message: str | None = None,
        error_type: str | None = None,
        delay: float | None = None,
        after: int | None = None,
    ) -> Fault:
        """Serve a fault to the next ``times`` requests matching ``route``; return the fault.

        ``route`` is ``"*"`` (any request), ``"METHOD /path"`` or ``"/path"`` (any method),
        where the path is the route's canonical form (``"GET /v1/models/{model}"``) or a
        request's exact path (``"GET /v1/models/gpt-4"``); a request matching no route at all
        is matched by its path. Scripted faults are served first in, first out: a request
        gets the oldest pending fault whose route matches it.

        ``body`` (bytes, or a mapping sent as JSON) replaces the error body of a status fault
        or the body of the other kinds; ``code``, ``message`` and ``error_type`` replace the
        defaults of the error body. Raises :class:`ValueError` for a bad route, kind,
        status, ``times`` or a ``delay`` fault without ``delay``. ``after`` is the bytes of a
        streamed answer sent before a ``stream_*`` fault strikes (default: its first event).
        """
        if times < 1:
            raise ValueError(f"times must be >= 1, got {times}")
        method, path = _parse_route(route)
        fault = Fault(
            kind=kind,
            status=status,
            headers=headers or {},
            body=_body_bytes(body),
            code=code,
            message=message,
            error_type=error_type,
            delay=delay,
            after=after,
        )
        with self._lock:
            self._scripted.append(_Scripted(method, path, fault, times))
            self._active = True
        return fault

    def random(
        self,
        rate: float,
        kinds: Mapping[str, float] | Iterable[str] = DEFAULT_RANDOM_KINDS,
        *,
        seed: int = 0,
        route: str = "*",
        delay: float | None = None,
    ) -> None:
        """Fail each request matching ``route`` with probability ``rate`` (replacing any
        earlier random setting).

        ``kinds`` names the faults (``"status_503"``, ``"reset"``, ...), as a mapping to
        weights or an iterable of equally likely names; ``delay`` is the seconds of a
        ``"delay"`` fault. The draws come from ``random.Random(seed)``. ``rate=0`` switches
        random faults off. Raises :class:`ValueError` for a rate outside 0..1, no kinds, a
        weight <= 0 or an unknown kind.
        """
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"rate must be in 0..1, got {rate}")
        weighted = dict(kinds) if isinstance(kinds, Mapping) else dict.fromkeys(kinds, 1.0)
        if not weighted:
            raise ValueError("kinds must name at least one fault")
        if any(not weight > 0 for weight in weighted.values()):
            raise ValueError("fault weights must be > 0")
        faults = tuple(_fault_from_name(name, delay=delay) for name in weighted)
        method, path = _parse_route(route)
        setting = _RandomFaults(
            rate=rate,
            faults=faults,
            weights=tuple(float(w) for w in weighted.values()),
            method=method,
            path=path,
            rng=_random.Random(seed),
        )
        with self._lock:
            self._random = setting if rate > 0 else None
            self._active = bool(self._scripted) or self._random is not None

    def clear(self) -> None:
        """Remove every scripted fault and the random setting (counters are kept)."""
        with self._lock:
            self._scripted.clear()
            self._random = None
            self._active = False

    def release(self) -> None:
        """Let every stream stalled by a ``stream_stall`` fault go on (from any thread)."""
        with self._lock:
            stalls, self._stalls = self._stalls, []
        for loop, gate in stalls:
            if not loop.is_closed():
                loop.call_soon_threadsafe(_open_gate, gate)

    def _stall_gate(self) -> StreamFault:
        """A ``stream_stall`` fault's gate, made before its answer starts so that no
        ``release`` can come too early."""
        loop = asyncio.get_running_loop()
        gate: asyncio.Future[None] = loop.create_future()
        entry = (loop, gate)
        with self._lock:
            self._stalls.append(entry)

        async def stall() -> None:
            try:
                await gate
            finally:
                with self._lock, contextlib.suppress(ValueError):
                    self._stalls.remove(entry)

        return StreamFault("stream_stall", None, stall)

    def reset_counters(self) -> None:
        """Zero ``injected`` and ``seen`` and empty ``log``."""
        with self._lock:
            self.injected.clear()
            self.log.clear()
            self.seen = 0

    def take(self, method: str, route: str, path: str) -> Fault | None:
        """Return the fault for a request (consuming a scripted one), or None."""
        with self._lock:
            for index, entry in enumerate(self._scripted):
                if entry.matches(method, route, path):
                    entry.remaining -= 1
                    if entry.remaining == 0:
                        del self._scripted[index]
                    return entry.fault
            setting = self._random
            if setting is None:
                return None
            if setting.method is not None and setting.method != method:
                return None
            if setting.path is not None and setting.path not in (route, path):
                return None
            if setting.rng.random() >= setting.rate:
                return None
            return setting.rng.choices(setting.faults, setting.weights)[0]

    def _record(self, fault: Fault, request: web.Request, route: str) -> None:
        """Count a fault about to be served."""
        label = fault.label
        entry = InjectedFault(
            label, request.method, request.path, route, request.get(REQUEST_ID_KEY)
        )
        with self._lock:
            self.injected[label] += 1
            self.log.append(entry)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """The aiohttp middleware serving the faults; install it after the API key check."""
        self.seen += 1
        if not self._active:
            return await handler(request)
        route = _canonical(request)
        fault = self.take(request.method, route, request.path)
        if fault is None:
            return await handler(request)
        self._record(fault, request, route)
        if fault.kind == "stream_stall":
            request[STREAM_FAULT_KEY] = attrs.evolve(self._stall_gate(), after=fault.after)
            return await handler(request)
        return await fault.serve(request, handler)


def _open_gate(gate: asyncio.Future[None]) -> None:
    if not gate.done():
        gate.set_result(None)


def _canonical(request: web.Request) -> str:
    """Return the canonical path of the request's route, or its path if none matched."""
    resource = request.match_info.route.resource
    return request.path if resource is None else resource.canonical
