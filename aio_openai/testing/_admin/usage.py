"""The usage the fake has served, and the time buckets of the usage and costs endpoints.

Each model call the fake answers is metered (``meter.py``) into a :class:`UsageRecord`: its
time (the admin state's clock), kind (``completions``, ``embeddings``, ``images``,
``moderations``, ``audio_speeches``, ``audio_transcriptions``), model, project, API key and
numbers (tokens, requests, images, characters). :func:`usage_page` and :func:`costs_page`
answer ``GET /v1/organization/usage/<kind>`` and ``GET /v1/organization/costs`` from those
records as OpenAI does: buckets of ``bucket_width`` (aligned to UTC), ``limit`` buckets a
page, ``next_page`` for the rest, one result per group of ``group_by`` in each bucket that
has usage. Costs are priced by :data:`PRICES` (the fake's own prices, in USD).
"""

from __future__ import annotations

import functools
import importlib
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

import attrs

from aio_openai.testing._checks import APIError, invalid_value, literal_values, wrong_type

__all__ = [
    "KINDS",
    "PRICES",
    "UsageLog",
    "UsageRecord",
    "costs_page",
    "usage_page",
]

#: Seconds in a bucket of each width, and (default, max) buckets a page.
_WIDTHS: Final = {"1m": 60, "1h": 3600, "1d": 86400}
_LIMITS: Final = {"1m": (60, 1440), "1h": (24, 168), "1d": (7, 31)}
_COSTS_LIMIT: Final = (7, 180)

#: The numbers each usage kind's results carry (all summed), besides ``num_model_requests``.
KINDS: Final[Mapping[str, tuple[str, ...]]] = {
    "completions": (
        "input_tokens",
        "output_tokens",
        "input_cached_tokens",
        "input_audio_tokens",
        "output_audio_tokens",
    ),
    "embeddings": ("input_tokens",),
    "moderations": ("input_tokens",),
    "images": ("images",),
    "audio_speeches": ("characters",),
    "audio_transcriptions": ("seconds",),
    "vector_stores": ("usage_bytes",),
    "code_interpreter_sessions": ("num_sessions",),
    "file_search_calls": ("num_requests",),
    "web_search_calls": ("num_requests",),
    "decisions": ("input_tokens", "output_tokens"),
}
#: The kinds counted in model requests (the others have no ``num_model_requests``).
_NO_REQUESTS: Final = frozenset({"vector_stores", "code_interpreter_sessions"})
#: The fields a result names its group by, when the kind has them.
_DEFAULT_GROUPS: Final = ("project_id", "user_id", "api_key_id", "model")


@functools.cache
def _accepted(kind: str, key: str) -> tuple[str, ...]:
    """The values the API accepts for ``key`` (``group_by``, ``bucket_width``) of a usage
    kind, read from the kind's params type (the SDK's)."""
    name = "".join(word.capitalize() for word in kind.split("_"))
    module = importlib.import_module(f"aio_openai.types.admin.organization.usage_{kind}_params")
    hints = typing.get_type_hints(getattr(module, f"Usage{name}Params"))
    return literal_values(hints[key])


#: The fake's prices in USD: per million tokens of each model call's input (cached input at
#: half) and output, per image, per million characters of speech, per second transcribed.
PRICES: Final[Mapping[str, float]] = {
    "input_tokens": 0.50,
    "output_tokens": 1.50,
    "embedding_tokens": 0.10,
    "image": 0.04,
    "speech_characters": 15.0,
    "transcription_second": 0.0001,
}


@attrs.frozen
class UsageRecord:
    """One metered call: when, what kind, which model, project and key, and its numbers."""

    time: int
    kind: str
    model: str | None
    project_id: str
    api_key_id: str
    numbers: Mapping[str, int]
    size: str | None = None
    batch: bool = False

    def group(self, field: str) -> Any:
        if field in ("model", "project_id", "api_key_id", "size", "batch"):
            return getattr(self, field)
        return None

    def cost_items(self) -> list[tuple[str, float]]:
        """The line items this call costs (``"<model>, input"``...) and their USD amounts."""
        n, model = self.numbers, self.model or "unknown"
        if self.kind == "completions":
            cached = n.get("input_cached_tokens", 0)
            fresh = n.get("input_tokens", 0) - cached
            price_in = PRICES["input_tokens"] / 1e6
            return [
                (f"{model}, input", fresh * price_in + cached * price_in / 2),
                (f"{model}, output", n.get("output_tokens", 0) * PRICES["output_tokens"] / 1e6),
            ]
        if self.kind == "embeddings":
            return [
                (f"{model}, input", n.get("input_tokens", 0) * PRICES["embedding_tokens"] / 1e6)
            ]
        if self.kind == "images":
            return [(f"{model}, images", n.get("images", 0) * PRICES["image"])]
        if self.kind == "audio_speeches":
            chars = n.get("characters", 0)
            return [(f"{model}, characters", chars * PRICES["speech_characters"] / 1e6)]
        if self.kind == "audio_transcriptions":
            seconds = n.get("seconds", 0)
            return [(f"{model}, seconds", seconds * PRICES["transcription_second"])]
        return []


class UsageLog:
    """The records of the metered calls, in the order they were served (callers lock)."""

    def __init__(self) -> None:
        self.records: list[UsageRecord] = []

    def add(self, record: UsageRecord) -> None:
        self.records.append(record)


# -- the query --------------------------------------------------------------------------------


def _values(query: Mapping[str, Any], key: str) -> list[str]:
    """An array parameter, sent as ``key[]=a&key[]=b`` or ``key=a&key=b``."""
    getall = getattr(query, "getall", None)
    if getall is None:
        value = query.get(key)
        return [] if value is None else [value]
    return [*getall(key + "[]", []), *getall(key, [])]


def _integer(query: Mapping[str, Any], key: str, default: int | None = None) -> int | None:
    raw = query.get(key)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise wrong_type(key, "an integer", raw) from None


@attrs.frozen
class _Window:
    """The buckets a request asks for: their width, the first one's start, the end, and the
    number of buckets of a page; the start of this page (``page``, else the first)."""

    width: int
    start: int
    end: int
    limit: int
    groups: tuple[str, ...]
    filters: Mapping[str, frozenset[str]]


def _window(
    query: Mapping[str, Any],
    now: int,
    *,
    widths: Sequence[str],
    limits: Callable[[str], tuple[int, int]],
    groups: Sequence[str],
    filters: Iterable[str],
) -> _Window:
    start = _integer(query, "start_time")
    if start is None:
        raise APIError(
            400,
            "Missing required parameter: 'start_time'.",
            param="start_time",
            code="missing_required_parameter",
        )
    width_name = query.get("bucket_width", "1d")
    if width_name not in widths:
        raise invalid_value("bucket_width", width_name, widths)
    width = _WIDTHS[width_name]
    default, most = limits(width_name)
    limit = _integer(query, "limit", default)
    assert limit is not None
    if not 1 <= limit <= most:
        raise APIError(
            400,
            f"Invalid 'limit': expected a value between 1 and {most}, but got {limit}.",
            param="limit",
            code="invalid_value",
        )
    end = _integer(query, "end_time", now) or now
    first = start - start % width
    page = query.get("page")
    if page is not None:
        if not page.startswith("page_") or not page[5:].isdigit():
            raise APIError(400, f"Invalid 'page': {page!r}.", param="page", code="invalid_value")
        first = int(page[5:])
    chosen = tuple(_values(query, "group_by"))
    for field in chosen:
        if field not in groups:
            raise invalid_value("group_by", field, groups)
    wanted = {name: frozenset(_values(query, name + "s")) for name in filters}
    return _Window(width, first, end, limit, chosen, {k: v for k, v in wanted.items() if v})


def _page(window: _Window, results: Callable[[int, int], list[dict[str, Any]]]) -> dict[str, Any]:
    data: list[dict[str, Any]] = []
    start = window.start
    while start < window.end and len(data) < window.limit:
        end = start + window.width
        data.append(
            {
                "object": "bucket",
                "start_time": start,
                "end_time": end,
                "results": results(start, end),
            }
        )
        start = end
    more = start < window.end
    return {
        "object": "page",
        "data": data,
        "has_more": more,
        "next_page": f"page_{start}" if more else None,
    }


def _selected(
    records: Iterable[UsageRecord], window: _Window, kind: str | None
) -> list[UsageRecord]:
    filters = window.filters
    return [
        r
        for r in records
        if (kind is None or r.kind == kind)
        and all(getattr(r, name) in values for name, values in filters.items())
    ]


def usage_page(
    kind: str, records: Iterable[UsageRecord], query: Mapping[str, Any], now: int
) -> dict[str, Any]:
    """The answer to ``GET /v1/organization/usage/<kind>`` over ``records``."""
    window = _window(
        query,
        now,
        widths=_accepted(kind, "bucket_width"),
        limits=lambda w: _LIMITS[w],
        groups=_accepted(kind, "group_by"),
        filters=("project_id", "model", "api_key_id"),
    )
    chosen = _selected(records, window, kind)
    fields = KINDS[kind]

    def results(start: int, end: int) -> list[dict[str, Any]]:
        sums: dict[tuple[Any, ...], dict[str, Any]] = {}
        for r in chosen:
            if not start <= r.time < end:
                continue
            key = tuple(r.group(g) for g in window.groups)
            row = sums.get(key)
            if row is None:
                row = sums[key] = {
                    "object": f"organization.usage.{kind}.result",
                    **dict.fromkeys(fields, 0),
                    **({} if kind in _NO_REQUESTS else {"num_model_requests": 0}),
                    **{g: None for g in _DEFAULT_GROUPS if kind not in _NO_REQUESTS},
                    "project_id": None,
                    **dict(zip(window.groups, key, strict=True)),
                }
            for name in fields:
                row[name] += r.numbers.get(name, 0)
            if "num_model_requests" in row:
                row["num_model_requests"] += r.numbers.get("num_model_requests", 1)
        return list(sums.values())

    return _page(window, results)


def costs_page(
    records: Iterable[UsageRecord], query: Mapping[str, Any], now: int
) -> dict[str, Any]:
    """The answer to ``GET /v1/organization/costs`` over ``records``, priced by PRICES."""
    window = _window(
        query,
        now,
        widths=_accepted("costs", "bucket_width"),
        limits=lambda _: _COSTS_LIMIT,
        groups=_accepted("costs", "group_by"),
        filters=("project_id", "api_key_id"),
    )
    chosen = _selected(records, window, None)
    items_wanted = frozenset(_values(query, "line_items"))

    def results(start: int, end: int) -> list[dict[str, Any]]:
        sums: dict[tuple[Any, ...], dict[str, Any]] = {}
        for r in chosen:
            if not start <= r.time < end:
                continue
            for item, amount in r.cost_items():
                if items_wanted and item not in items_wanted:
                    continue
                values = {"project_id": r.project_id, "line_item": item, "api_key_id": r.api_key_id}
                key = tuple(values.get(g) for g in window.groups)
                row = sums.get(key)
                if row is None:
                    row = sums[key] = {
                        "object": "organization.costs.result",
                        "amount": {"value": 0.0, "currency": "usd"},
                        "line_item": None,
                        "project_id": None,
                        **{g: values.get(g) for g in window.groups},
                    }
                row["amount"]["value"] += amount
        return list(sums.values())

    return _page(window, results)
