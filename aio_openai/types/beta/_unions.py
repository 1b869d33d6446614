"""Structure hooks for the API's tagged unions (the Assistants, Chat and Responses types).

The API's polymorphic objects are tagged by a key (``type``). :func:`register_union` teaches the
package's converter one such union: a JSON object goes to the member class its tag names, an
unknown tag to the fallback class (which keeps every key), and a string passes through when the
union admits strings (``"auto"`` as a ``response_format``). The hook also serves the union with
``None`` added (an optional field).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal, get_args, get_origin

from ..._convert import converter
from ..._models import BaseObject

__all__ = ["register_union"]

_NONE = type(None)


def _members(tp: Any) -> frozenset[Any] | None:
    if get_origin(tp) not in (typing.Union, types.UnionType):
        return None
    return frozenset(a for a in get_args(tp) if a is not _NONE)


def register_union(
    union: Any,
    tags: Mapping[str, type[BaseObject]],
    *,
    fallback: type[BaseObject] | None = None,
    tag: str = "type",
) -> None:
    """Structure ``union`` (and ``union | None``) by the ``tag`` key of each object."""
    members = _members(union)
    if members is None:
        raise TypeError(f"{union!r} is not a union")
    takes_str = any(a is str or get_origin(a) is Literal for a in members)
    hooks: dict[type[Any], Callable[[Any, Any], Any]] = {}

    def hook_for(cl: type[BaseObject]) -> Callable[[Any, Any], Any]:
        found = hooks.get(cl)
        if found is None:
            found = hooks[cl] = converter.get_structure_hook(cl)
        return found

    def matches(tp: Any) -> bool:
        return _members(tp) == members

    def structure(value: Any, tp: Any) -> Any:
        if value is None and _NONE in get_args(tp):
            return None
        if isinstance(value, str) and takes_str:
            return value
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a JSON object, got {type(value).__name__}")
        name = value.get(tag)
        cl = tags.get(name) if isinstance(name, str) else None
        if cl is None:
            if fallback is None:
                raise TypeError(f"unknown {tag} {value.get(tag)!r}")
            cl = fallback
        return hook_for(cl)(value, cl)

    converter.register_structure_hook_func(matches, structure)
