"""Pieces of a streamed object merged into the object so far (its snapshot).

A streamed answer sends an object in deltas: ``{"text": {"value": "Hel"}}``, then
``{"text": {"value": "lo"}}``. :func:`accumulate_delta` merges one delta, as JSON data, into
the snapshot, by the rules the official SDK's helpers follow, so snapshots come out the same:

- a None in the delta changes nothing (the typed deltas do not tell a key left out from
  a null, and the API never nulls a field in a delta), and is left out of what it adds;
- a key the snapshot lacks (or holds None) takes the delta's value;
- strings are appended, numbers added (``index`` and ``type`` are replaced: they name the
  place and the kind, not an amount); booleans are replaced;
- objects merge key by key;
- values of different kinds: the snapshot keeps its own;
- a list of objects carrying an ``index`` (tool calls, annotations, content blocks) merges
  each entry into the snapshot's entry at that index, or inserts it there; any other list
  is extended.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = ["accumulate_delta"]

#: Keys whose value is replaced, never accumulated.
_REPLACED: Final = frozenset({"index", "type"})


def _is_indexed(value: Any) -> bool:
    """A list holding at least one object with an ``index``."""
    return type(value) is list and any(type(v) is dict and "index" in v for v in value)


def accumulate_delta(snapshot: dict[str, Any], delta: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``delta`` into ``snapshot`` (changed in place) and return it. Values of the delta
    may become part of the snapshot: pass a delta made for the purpose (``to_dict()``).

    Raises TypeError (an entry of an indexed list that is not an object, or whose index is
    not an int) or ValueError (an entry without ``index``) for data that cannot be placed.
    """
    for key, value in delta.items():
        if value is None:
            continue
        old = snapshot.get(key)
        if old is None:
            if type(value) is dict:
                snapshot[key] = accumulate_delta({}, value)  # its Nones left out
            elif _is_indexed(value):
                # merged even into nothing: one delta may hold pieces of the same entry
                snapshot[key] = _merge_indexed([], value)
            else:
                snapshot[key] = value
        elif key in _REPLACED or type(value) is bool or type(old) is bool:
            snapshot[key] = value
        elif isinstance(old, str):
            if isinstance(value, str):
                snapshot[key] = old + value  # text appended
        elif isinstance(old, int | float) and isinstance(value, int | float):
            snapshot[key] = old + value  # amounts added
        elif isinstance(old, dict) and isinstance(value, Mapping):
            accumulate_delta(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            if _is_indexed(value) or _is_indexed(old):
                _merge_indexed(old, value)
            else:
                old.extend(value)
        # else the kinds differ: the snapshot keeps its value, as the SDK's does
    return snapshot


def _merge_indexed(entries: list[Any], delta: list[Any]) -> list[Any]:
    """Merge each object of ``delta`` into the entry of ``entries`` at its ``index``."""
    for piece in delta:
        if type(piece) is not dict:
            raise TypeError(f"an entry of an indexed list is not an object: {piece!r}")
        if "index" not in piece:
            raise ValueError(f"an entry of an indexed list has no index: {piece!r}")
        index = piece["index"]
        if type(index) is not int or index < 0:
            raise TypeError(f"the index of a list entry is not an int >= 0: {index!r}")
        if index < len(entries) and type(entries[index]) is dict:
            accumulate_delta(entries[index], piece)
        elif index < len(entries):
            entries[index] = accumulate_delta({}, piece)
        else:
            entries.append(accumulate_delta({}, piece))  # at the end, whatever the gap
    return entries
