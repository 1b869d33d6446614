"""Structure hooks for the Assistants API's unions, and request-body conversion of inputs.

The API's polymorphic objects are tagged by a key (``type``). :func:`register_union` teaches the
package's converter one such union: a JSON object goes to the member class its tag names, an
unknown tag to the fallback class (which keeps every key), and a string passes through when the
union admits strings (``"auto"`` as a ``response_format``). The hook also serves the union with
``None`` added (an optional field).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, get_args, get_origin

import attrs

from ..._convert import converter
from ..._models import BaseObject
from ..._types import NOT_GIVEN, NotGiven

__all__ = ["body_params", "register_union", "to_param"]

_NONE = type(None)
#: Classes whose values go into a request body unchanged (NotGiven is dropped later).
_AS_IS = frozenset({str, int, float, bool, _NONE, NotGiven})


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
        cl = tags.get(value.get(tag))  # type: ignore[arg-type]
        if cl is None:
            if fallback is None:
                raise TypeError(f"unknown {tag} {value.get(tag)!r}")
            cl = fallback
        return hook_for(cl)(value, cl)

    converter.register_structure_hook_func(matches, structure)


def body_params(body: Mapping[str, Any]) -> dict[str, Any]:
    """A request body: unset parameters dropped, attrs objects made into dicts."""
    return {k: to_param(v) for k, v in body.items() if v is not NOT_GIVEN}


def to_param(value: Any) -> Any:
    """A request-body value: attrs objects become dicts without their unset (None) fields.

    Plain dicts, lists and scalars pass through (an explicit ``None`` in a dict stays ``null``);
    attrs objects inside them are converted too. Unknown keys of an object are sent as they are.
    """
    cls = value.__class__
    if cls in _AS_IS:
        return value
    if cls is dict:
        return {k: to_param(v) for k, v in value.items()}
    if cls is list:
        return [to_param(v) for v in value]
    if isinstance(value, BaseObject):
        out: dict[str, Any] = {}
        for field in attrs.fields(type(value)):
            if field.name in ("model_extra", "_request_id"):
                continue
            item = getattr(value, field.name)
            if item is not None:
                out[field.alias or field.name] = to_param(item)
        for key, item in value.model_extra.items():
            out[key] = to_param(item)
        return out
    if isinstance(value, Mapping):
        return {k: to_param(v) for k, v in value.items()}
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | bytearray):
        return [to_param(v) for v in value]
    if attrs.has(type(value)):
        return converter.unstructure(value)
    return value
