"""UsageTable: a period of the admin API's usage (or costs) summed per group, for people
and for data tools.

The usage and costs endpoints answer in time buckets, each holding one result per group
(``group_by``: model, project, API key...). :func:`sum_buckets` adds the results of every
bucket into one row per group, with the numbers of the usage kind as columns (tokens and
requests for completions, images for images, USD for costs). A table prints as aligned
text (``str``), and :meth:`UsageTable.to_records` gives plain dicts, one per row, which
``pandas.DataFrame(table.to_records())`` takes as they are (pandas is not needed here).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Protocol

import attrs

__all__ = ["COLUMNS", "TimeBucket", "UsageTable", "sum_buckets"]

#: The columns of each kind: the numbers its results carry, summed.
COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    "completions": ("input_tokens", "output_tokens", "input_cached_tokens", "num_model_requests"),
    "embeddings": ("input_tokens", "num_model_requests"),
    "moderations": ("input_tokens", "num_model_requests"),
    "images": ("images", "num_model_requests"),
    "audio_speeches": ("characters", "num_model_requests"),
    "audio_transcriptions": ("seconds", "num_model_requests"),
    "vector_stores": ("usage_bytes",),
    "code_interpreter_sessions": ("num_sessions",),
    "file_search_calls": ("num_requests",),
    "web_search_calls": ("num_model_requests",),
    "decisions": ("input_tokens", "output_tokens", "num_model_requests"),
    "costs": ("amount_usd",),
}


class TimeBucket(Protocol):
    """A bucket of a usage or costs page: its period and its results, one per group."""

    @property
    def start_time(self) -> int: ...

    @property
    def end_time(self) -> int: ...

    @property
    def results(self) -> Sequence[Any]: ...


def _number(result: Any, column: str) -> float:
    if column == "amount_usd":
        amount = getattr(result, "amount", None)
        value = getattr(amount, "value", None)
        return float(value) if isinstance(value, int | float) else 0.0
    value = getattr(result, column, None)
    if value is None:
        value = getattr(result, "model_extra", {}).get(column)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


@attrs.frozen(kw_only=True)
class UsageTable:
    """The usage of ``kind`` from ``start_time`` to ``end_time`` (Unix seconds), one row per
    group of ``group_by`` (its values, then the summed ``columns``), largest first."""

    kind: str
    group_by: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    start_time: int
    end_time: int

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per row (group fields, then columns): what ``pandas.DataFrame`` takes."""
        names = (*self.group_by, *self.columns)
        return [dict(zip(names, row, strict=True)) for row in self.rows]

    def totals(self) -> dict[str, float]:
        """Each column summed over every row."""
        width = len(self.group_by)
        return {c: sum(row[width + i] for row in self.rows) for i, c in enumerate(self.columns)}

    def to_dict(self) -> dict[str, Any]:
        """The table as JSON-ready data: its period, kind, grouping, rows and totals."""
        return {
            "kind": self.kind,
            "start_time": self.start_time,
            "end_time": self.end_time,
            "group_by": list(self.group_by),
            "rows": self.to_records(),
            "totals": self.totals(),
        }

    def __str__(self) -> str:
        head = [*self.group_by, *self.columns] or ["(no usage)"]
        cells = [[_cell(v) for v in row] for row in self.rows]
        total = ["total"] + [""] * (len(self.group_by) - 1) if self.group_by else []
        cells.append([*total, *(_cell(v) for v in self.totals().values())])
        widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(head)]
        width = len(self.group_by)

        def line(values: Sequence[str]) -> str:
            return "  ".join(
                v.ljust(w) if i < width else v.rjust(w)
                for i, (v, w) in enumerate(zip(values, widths, strict=True))
            ).rstrip()

        rule = "  ".join("-" * w for w in widths)
        return "\n".join([line(head), rule, *(line(r) for r in cells[:-1]), rule, line(cells[-1])])


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.6f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def sum_buckets(
    kind: str,
    buckets: Iterable[TimeBucket],
    group_by: Sequence[str],
    start_time: int,
    end_time: int,
) -> UsageTable:
    """The table of ``buckets`` (of the usage ``kind``, or ``"costs"``): one row per group
    of the results' ``group_by`` fields, the kind's columns summed; largest first."""
    columns = COLUMNS[kind]
    sums: dict[tuple[Any, ...], list[float]] = {}
    for bucket in buckets:
        for result in bucket.results:
            key = tuple(getattr(result, field, None) for field in group_by)
            row = sums.setdefault(key, [0] * len(columns))
            for i, column in enumerate(columns):
                row[i] += _number(result, column)
    rows = sorted(
        ((*key, *values) for key, values in sums.items()),
        key=lambda row: (
            tuple(-v for v in row[len(group_by) :]) + tuple(map(str, row[: len(group_by)]))
        ),
    )
    return UsageTable(
        kind=kind,
        group_by=tuple(group_by),
        columns=columns,
        rows=tuple(rows),
        start_time=start_time,
        end_time=end_time,
    )
