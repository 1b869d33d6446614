"""The ``aio-openai demo`` job: a list of sections, each run against one client and reported.

Without a base URL the demo starts the embedded :class:`~aio_openai.testing.FakeOpenAI` in the
running event loop and points the client at it; with one, it runs against that server. Each
:class:`Section` gets the shared :class:`DemoContext` and returns a :class:`Report`, printed as a
table on stdout as soon as the section ends. Progress goes to stderr (see :class:`Progress`).

The first section, the bulk model lookup, sends ``requests`` ``client.models.retrieve(id)``
calls through :func:`~aio_openai.fan_out` at ``concurrency``: ids are read lazily from one
iterator, so at most ``concurrency`` calls (and coroutines) exist at any time, whatever
``requests`` is. The second streams one chat completion from the embedded FakeOpenAI (it is
skipped against a base URL, where it would spend tokens) and reports its chunks and usage. The
third holds a short conversation on the Responses API, streamed, with one tool call round trip
(embedded FakeOpenAI only, too).
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Final, TextIO

import attrs

from ._client import DEFAULT_TIMEOUT, AsyncOpenAI
from ._exceptions import OpenAIError
from ._fanout import FanOutAborted, fan_out
from ._http import Middleware
from ._progress import Progress
from ._types import Timeout

if TYPE_CHECKING:
    from .types.responses.function_tool_param import FunctionToolParam
    from .types.responses.response_input_item_param import ResponseInputItemParam

__all__ = [
    "SECTIONS",
    "UNKNOWN_EVERY",
    "DemoContext",
    "DemoOptions",
    "LookupStats",
    "Progress",
    "Report",
    "Section",
    "bulk_lookup",
    "lookup_ids",
    "percentile",
    "run_demo",
]

log = logging.getLogger("aio_openai.demo")

#: One lookup in this many asks for a model that does not exist (about 1%).
UNKNOWN_EVERY: Final = 100

#: The API key the demo uses against its embedded fake server (never the user's key).
_EMBEDDED_KEY: Final = "sk-aio-openai-demo"


# -- the demo's frame -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DemoOptions:
    """What ``aio-openai demo`` was asked for.

    ``base_url`` None runs against the embedded FakeOpenAI (with a demo key, never
    ``api_key``); otherwise against that server with ``api_key``. ``middlewares`` go to the
    client (the command adds one logging each request at DEBUG).
    """

    requests: int = 5000
    concurrency: int = 64
    base_url: str | None = None
    api_key: str | None = None
    timeout: Timeout | None = None
    max_retries: int | None = None
    middlewares: Sequence[Middleware] = ()


@attrs.define(kw_only=True)
class DemoContext:
    """What every section gets: the options, a client on the demo's server, and stderr."""

    options: DemoOptions
    client: AsyncOpenAI
    server: str
    err: TextIO


@attrs.frozen(kw_only=True)
class Report:
    """A section's result: rows of (label, value) for the summary table.

    ``failure`` set means the section could not do its job (for instance, not one request
    succeeded), ``cause`` is the error behind it if any: the command prints them on stderr
    and exits with status 1.
    """

    title: str
    rows: Sequence[tuple[str, str]]
    failure: str | None = None
    cause: OpenAIError | None = None

    def render(self) -> str:
        """The report as a titled two-column table, one row a line."""
        width = max((len(label) for label, _ in self.rows), default=0)
        lines = [self.title, "-" * max(len(self.title), width + 12)]
        lines.extend(f"{label:<{width}}  {value}" for label, value in self.rows)
        return "\n".join(lines)


@attrs.frozen
class Section:
    """One part of the demo: a title and a coroutine function making its report."""

    title: str
    run: Callable[[DemoContext], Awaitable[Report]]


# -- section: bulk concurrent model lookup ----------------------------------------------------


def lookup_ids(n: int, known: Sequence[str] | None = None) -> Iterator[str]:
    """The ``n`` model ids the bulk lookup asks for, lazily.

    It cycles over ``known`` (default: the fake server's 27 seed models), except that every
    :data:`UNKNOWN_EVERY`-th id (indexes ``UNKNOWN_EVERY - 1``, ``2 * UNKNOWN_EVERY - 1``, ...)
    names a model that does not exist, so about 1% of the lookups fail with a 404.
    """
    if known is None:
        from .testing import SEED_MODELS

        known = [m.id for m in SEED_MODELS]
    if not known:
        raise ValueError("known must hold at least one model id")
    for i in range(n):
        if i % UNKNOWN_EVERY == UNKNOWN_EVERY - 1:
            yield f"no-such-model-{i}"
        else:
            yield known[i % len(known)]


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """The nearest-rank ``p``-th percentile (0 < p <= 100) of already sorted values.

    Raises ValueError for an empty sequence.
    """
    if not sorted_values:
        raise ValueError("percentile of no values")
    rank = max(math.ceil(p / 100 * len(sorted_values)), 1)
    return sorted_values[min(rank, len(sorted_values)) - 1]


@attrs.frozen(kw_only=True)
class LookupStats:
    """What a bulk lookup measured: counts, errors by class, wall time and latencies (s).

    ``aborted`` is set when an error that dooms every later call (a refused API key) stopped
    the lookups early.
    """

    requests: int
    ok: int
    errors: Counter[str]
    first_errors: dict[str, OpenAIError]
    wall_time: float
    latencies: Sequence[float]
    aborted: FanOutAborted | None = None

    @property
    def error_count(self) -> int:
        """Failed lookups, all classes together."""
        return sum(self.errors.values())

    @property
    def throughput(self) -> float:
        """Requests per second of wall time."""
        return self.requests / self.wall_time if self.wall_time > 0 else 0.0


async def bulk_lookup(
    client: AsyncOpenAI,
    ids: Iterator[str],
    *,
    concurrency: int,
    progress: Progress | None = None,
) -> LookupStats:
    """Retrieve every model in ``ids`` through :func:`fan_out`, ``concurrency`` at a time.

    API errors are counted by class, not raised; anything else (a bug) propagates. An error
    that dooms every later call (a refused key) stops the lookups: ``aborted`` says why.
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    first_errors: dict[str, OpenAIError] = {}
    aborted: FanOutAborted | None = None
    clock = time.perf_counter

    started = clock()
    try:
        async with fan_out(client.models.retrieve, ids, concurrency=concurrency) as results:
            async for result in results:
                exc = result.error
                if exc is not None:
                    if not isinstance(exc, OpenAIError):
                        raise exc
                    name = type(exc).__name__
                    errors[name] += 1
                    first_errors.setdefault(name, exc)
                latencies.append(result.elapsed)
                if progress is not None:
                    progress.advance(error=exc is not None)
    except FanOutAborted as stop:
        aborted = stop
    wall = clock() - started
    latencies.sort()
    return LookupStats(
        requests=len(latencies),
        ok=len(latencies) - sum(errors.values()),
        errors=errors,
        first_errors=first_errors,
        wall_time=wall,
        latencies=latencies,
        aborted=aborted,
    )


async def _bulk_lookup_section(ctx: DemoContext) -> Report:
    """Section 1: N concurrent ``models.retrieve`` calls, ~1% of them for unknown models."""
    options = ctx.options
    title = (
        f"bulk model lookup: {options.requests} requests, "
        f"concurrency {options.concurrency}, {ctx.server}"
    )
    log.info("%s", title)
    with Progress(options.requests, label="lookup", stream=ctx.err) as progress:
        stats = await bulk_lookup(
            ctx.client,
            lookup_ids(options.requests),
            concurrency=options.concurrency,
            progress=progress,
        )
    rows: list[tuple[str, str]] = [
        ("requests", str(stats.requests)),
        ("ok", str(stats.ok)),
        ("errors", str(stats.error_count)),
    ]
    rows.extend((f"  {name}", str(count)) for name, count in sorted(stats.errors.items()))
    rows.append(("wall time", f"{stats.wall_time:.3f} s"))
    rows.append(("throughput", f"{stats.throughput:,.0f} req/s"))
    if stats.latencies:
        for p in (50, 90, 99):
            rows.append((f"latency p{p}", f"{percentile(stats.latencies, p) * 1000:.2f} ms"))
    if stats.aborted is not None:
        stop = stats.aborted
        failure = (
            f"bulk model lookup: stopped after {stats.requests} of {options.requests} lookups,"
            f" {stop.reason}"
        )
        cause = stop.cause if isinstance(stop.cause, OpenAIError) else None
        return Report(title=title, rows=rows, failure=failure, cause=cause)
    if stats.requests and not stats.ok:
        _, cause = max(stats.first_errors.items(), key=lambda item: stats.errors[item[0]])
        failure = f"bulk model lookup: all {stats.requests} lookups failed"
        return Report(title=title, rows=rows, failure=failure, cause=cause)
    return Report(title=title, rows=rows)


# -- section: a streamed chat completion ------------------------------------------------------

#: The model and prompt of the streamed chat (the embedded FakeOpenAI echoes the prompt).
CHAT_MODEL: Final = "gpt-4o-mini"
CHAT_PROMPT: Final = "Stream this sentence back to me, a few characters at a time."


async def _streamed_chat_section(ctx: DemoContext) -> Report:
    """Section 2: one streamed chat completion, read chunk by chunk, with its usage.

    It runs against the embedded FakeOpenAI only (a real server would spend tokens).
    """
    title = "streamed chat"
    if ctx.options.base_url is not None:
        return Report(title=title, rows=[("skipped", "runs against the embedded FakeOpenAI")])
    title = f"streamed chat: {CHAT_MODEL}, {ctx.server}"
    clock = time.perf_counter
    pieces: list[str] = []
    chunks = 0
    first: float | None = None
    usage = None
    started = clock()
    try:
        stream = await ctx.client.chat.completions.create(
            model=CHAT_MODEL,
            messages=[{"role": "user", "content": CHAT_PROMPT}],
            stream=True,
            stream_options={"include_usage": True},
        )
        async with stream:
            async for chunk in stream:
                chunks += 1
                if first is None:
                    first = clock() - started
                for choice in chunk.choices:
                    if choice.index == 0 and choice.delta.content:
                        pieces.append(choice.delta.content)
                if chunk.usage is not None:
                    usage = chunk.usage
    except OpenAIError as exc:
        rows = [("chunks", str(chunks))]
        return Report(title=title, rows=rows, failure="streamed chat: the stream failed", cause=exc)
    whole = clock() - started
    reply = "".join(pieces)
    rows = [
        ("reply", reply if len(reply) <= 64 else reply[:61] + "..."),
        ("chunks", str(chunks)),
        ("first chunk", f"{(first or 0.0) * 1000:.2f} ms"),
        ("whole reply", f"{whole * 1000:.2f} ms"),
    ]
    if usage is not None:
        rows.append(
            (
                "tokens",
                f"{usage.prompt_tokens} prompt + {usage.completion_tokens} completion"
                f" = {usage.total_tokens}",
            )
        )
    return Report(title=title, rows=rows)


# -- section: a conversation with a tool call, on the Responses API ----------------------------

#: The model and question of the Responses section (the embedded FakeOpenAI calls the tool with
#: the question as its ``city`` and then echoes the tool's output).
RESPONSES_MODEL: Final = "gpt-4o-mini"
RESPONSES_QUESTION: Final = "Lisbon"
_WEATHER_TOOL: Final[FunctionToolParam] = {
    "type": "function",
    "name": "get_weather",
    "description": "The current weather in a city",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
    "strict": True,
}


def _weather(arguments: str) -> str:
    """The demo's tool: a canned forecast for the city the model asks about."""
    city = json.loads(arguments).get("city", "?")
    return f"Sunny in {city}, 24 C."


async def _responses_section(ctx: DemoContext) -> Report:
    """Section 3: a conversation on the Responses API, streamed, with one tool call.

    The first turn streams a ``get_weather`` function call, the demo runs the tool, and the
    second turn streams the reply built on the tool's output. Embedded FakeOpenAI only.
    """
    from .types.responses import (
        ResponseCompletedEvent,
        ResponseFunctionCallArgumentsDoneEvent,
        ResponseOutputItemDoneEvent,
        ResponseTextDeltaEvent,
    )

    title = "responses: a conversation with a tool call"
    if ctx.options.base_url is not None:
        return Report(title=title, rows=[("skipped", "runs against the embedded FakeOpenAI")])
    title = f"responses: {RESPONSES_MODEL}, {ctx.server}"
    client = ctx.client
    events = 0
    call_line = "none"
    pieces: list[str] = []
    total_tokens = 0
    started = time.perf_counter()
    try:
        conversation = await client.conversations.create(
            items=[{"role": "developer", "content": "Answer weather questions with the tool."}]
        )
        outputs: list[ResponseInputItemParam] = []
        stream = await client.responses.create(
            model=RESPONSES_MODEL,
            conversation=conversation.id,
            input=RESPONSES_QUESTION,
            tools=[_WEATHER_TOOL],
            stream=True,
        )
        async with stream:
            async for event in stream:
                events += 1
                if isinstance(event, ResponseFunctionCallArgumentsDoneEvent):
                    call_line = f"{event.name}({event.arguments})"
                elif isinstance(event, ResponseOutputItemDoneEvent) and event.item.type == (
                    "function_call"
                ):
                    item = event.item
                    output = _weather(getattr(item, "arguments", "{}"))
                    outputs.append(
                        {
                            "type": "function_call_output",
                            "call_id": getattr(item, "call_id", ""),
                            "output": output,
                        }
                    )
                elif isinstance(event, ResponseCompletedEvent) and event.response.usage:
                    total_tokens += event.response.usage.total_tokens
        stream = await client.responses.create(
            model=RESPONSES_MODEL,
            conversation=conversation.id,
            input=outputs,
            tools=[_WEATHER_TOOL],
            stream=True,
        )
        async with stream:
            async for event in stream:
                events += 1
                if isinstance(event, ResponseTextDeltaEvent):
                    pieces.append(event.delta)
                elif isinstance(event, ResponseCompletedEvent) and event.response.usage:
                    total_tokens += event.response.usage.total_tokens
        items = [item async for item in client.conversations.items.list(conversation.id)]
    except OpenAIError as exc:
        rows = [("events", str(events))]
        return Report(title=title, rows=rows, failure="responses: a call failed", cause=exc)
    whole = time.perf_counter() - started
    return Report(
        title=title,
        rows=[
            ("tool call", call_line),
            ("reply", "".join(pieces)),
            ("events", str(events)),
            ("conversation items", str(len(items))),
            ("tokens", str(total_tokens)),
            ("both turns", f"{whole * 1000:.2f} ms"),
        ],
    )


#: The demo's sections, run in this order against one client.
SECTIONS: tuple[Section, ...] = (
    Section("bulk model lookup", _bulk_lookup_section),
    Section("streamed chat", _streamed_chat_section),
    Section("responses", _responses_section),
)


# -- running it -------------------------------------------------------------------------------


def _client(options: DemoOptions, base_url: str, api_key: str) -> AsyncOpenAI:
    """The demo's client on ``base_url``."""
    return AsyncOpenAI(
        api_key=api_key,
        base_url=base_url,
        timeout=DEFAULT_TIMEOUT if options.timeout is None else options.timeout,
        max_retries=options.max_retries,
        middlewares=options.middlewares,
    )


@contextlib.asynccontextmanager
async def _demo_client(options: DemoOptions) -> AsyncIterator[tuple[AsyncOpenAI, str]]:
    """Yield the client and a description of the server the demo runs against.

    Starts (and finally stops) the embedded FakeOpenAI when ``options.base_url`` is None.
    Raises ValueError when a base URL is given without an API key, or is not a valid URL.
    """
    if options.base_url is not None:
        if not options.api_key:
            raise ValueError("an API key is needed to run the demo against --base-url")
        async with _client(options, options.base_url, options.api_key) as client:
            yield client, options.base_url
        return
    from .testing import FakeOpenAI

    async with FakeOpenAI(record_requests=False) as fake:
        log.info("embedded FakeOpenAI listening on %s", fake.url)
        async with _client(options, fake.url, _EMBEDDED_KEY) as client:
            yield client, f"embedded FakeOpenAI at {fake.url}"


async def run_demo(
    options: DemoOptions,
    *,
    out: TextIO,
    err: TextIO,
    sections: Sequence[Section] = SECTIONS,
) -> list[Report]:
    """Run every section in turn, printing each report on ``out``; return the reports.

    Raises ValueError for bad options; a section's API errors end up in its report.
    """
    if options.requests < 0:
        raise ValueError(f"requests must not be negative, got {options.requests}")
    if options.concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {options.concurrency}")
    reports: list[Report] = []
    async with _demo_client(options) as (client, server):
        for section in sections:
            log.info("section: %s", section.title)
            ctx = DemoContext(options=options, client=client, server=server, err=err)
            report = await section.run(ctx)
            if reports:
                out.write("\n")
            reports.append(report)
            out.write(report.render() + "\n")
            out.flush()
    return reports
