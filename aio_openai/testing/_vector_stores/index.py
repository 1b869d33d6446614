"""How the fake vector stores index and search: files cut into chunks of words, chunks
ranked by the share of the query's terms they hold, attributes filtered as OpenAI's
comparison and compound filters say.

A "token" here is a word (a run of characters between whitespace): the chunk sizes of a
chunking strategy count words. A term is a word lower-cased, its letters and digits only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs

__all__ = [
    "AUTO_CHUNKING",
    "Chunk",
    "chunk_text",
    "matches",
    "score",
    "static_strategy",
    "terms",
]

#: The ``auto`` chunking strategy's sizes, as OpenAI states them.
AUTO_CHUNKING: Final = {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}
_TERM: Final = re.compile(r"[^\W_]+")


@attrs.frozen
class Chunk:
    """A piece of a file's text and its set of terms."""

    text: str
    terms: frozenset[str]


def static_strategy(strategy: Mapping[str, Any] | None) -> dict[str, Any]:
    """The strategy a file is chunked with, as the API shows it (``auto`` or none given:
    the static sizes ``auto`` stands for)."""
    if strategy is None or strategy.get("type") != "static":
        return {"type": "static", "static": dict(AUTO_CHUNKING)}
    return {"type": "static", "static": dict(strategy["static"])}


def terms(text: str) -> frozenset[str]:
    """The terms of a text: its words lower-cased, letters and digits only."""
    return frozenset(match.lower() for match in _TERM.findall(text))


def chunk_text(text: str, strategy: Mapping[str, Any]) -> list[Chunk]:
    """``text`` cut into chunks of ``max_chunk_size_tokens`` words, each starting
    ``chunk_overlap_tokens`` words before the previous one ends."""
    words = text.split()
    size = strategy["static"]["max_chunk_size_tokens"]
    step = size - strategy["static"]["chunk_overlap_tokens"]
    chunks = []
    start = 0
    while start < len(words):
        piece = " ".join(words[start : start + size])
        chunks.append(Chunk(piece, terms(piece)))
        if start + size >= len(words):
            break
        start += step
    return chunks


def score(query: frozenset[str], chunk: Chunk) -> float:
    """The share of the query's terms the chunk holds (0 to 1)."""
    if not query:
        return 0.0
    return len(query & chunk.terms) / len(query)


def matches(filters: Mapping[str, Any] | None, attributes: Mapping[str, Any]) -> bool:
    """Whether a file's ``attributes`` pass ``filters`` (a comparison ``{"type": "eq",
    "key", "value"}`` or a compound ``{"type": "and"|"or", "filters": [...]}``); a
    comparison on a key the file lacks fails."""
    if filters is None:
        return True
    kind = filters["type"]
    if kind in ("and", "or"):
        results = (matches(f, attributes) for f in filters["filters"])
        return all(results) if kind == "and" else any(results)
    key, expected = filters["key"], filters["value"]
    if key not in attributes:
        return False
    actual = attributes[key]
    if kind in ("in", "nin"):
        found = actual in _as_list(expected)
        return found if kind == "in" else not found
    if kind == "eq":
        return bool(actual == expected)
    if kind == "ne":
        return bool(actual != expected)
    try:
        if kind == "gt":
            return bool(actual > expected)
        if kind == "gte":
            return bool(actual >= expected)
        if kind == "lt":
            return bool(actual < expected)
        return bool(actual <= expected)  # lte
    except TypeError:  # a number against a string: no match, as no order relates them
        return False


def _as_list(value: Any) -> Sequence[Any]:
    return value if isinstance(value, list) else [value]
