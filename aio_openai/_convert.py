"""The private cattrs Converter: response JSON to attrs types, leniently and fast.

- Unknown keys are kept in ``model_extra`` (not rejected), so new API fields never break.
- Open enums are written ``Literal[...] | str``: any string passes through.
- Structure functions are generated once per class (cattrs ``gen``), without detailed
  validation, so the happy path is a straight function call per object.
- Unstructuring puts unknown keys back, so an object turns into the JSON it came from.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ._models import BaseObject

__all__ = ["converter", "structure"]

T = TypeVar("T")

converter = cattrs.Converter(detailed_validation=False, forbid_extra_keys=False)

_STRUCTURAL_FIELDS = frozenset({"model_extra", "_request_id"})


def _is_open_enum(tp: Any) -> bool:
    """``Literal[...] | str`` (the open enum form), possibly with None."""
    if get_origin(tp) not in (typing.Union, type(int | str)):
        return False
    args = get_args(tp)
    return str in args and all(
        a is str or a is type(None) or get_origin(a) is Literal for a in args
    )


def _structure_open_enum(value: Any, tp: Any) -> Any:
    if value is None and type(None) in get_args(tp):
        return None
    if isinstance(value, str):
        return value
    raise TypeError(f"expected a string, got {type(value).__name__}")


converter.register_structure_hook_func(_is_open_enum, _structure_open_enum)


_PRIMITIVES = (str, int, float, bool)


def _is_optional_primitive(tp: Any) -> bool:
    """``str | None``, ``int | None``, ``float | None``, ``bool | None``."""
    if get_origin(tp) not in (typing.Union, type(int | str)):
        return False
    args = get_args(tp)
    return len(args) == 2 and type(None) in args and any(a in _PRIMITIVES for a in args)


def _optional_primitive_factory(tp: Any) -> Callable[[Any, Any], Any]:
    """A direct hook for an optional primitive (cattrs' generic one dispatches twice)."""
    base = next(a for a in get_args(tp) if a is not type(None))

    def structure_optional(value: Any, _: Any) -> Any:
        if value is None or type(value) is base:
            return value
        return base(value)

    return structure_optional


converter.register_structure_hook_factory(_is_optional_primitive, _optional_primitive_factory)


def _is_base_object(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseObject)


def _structure_factory(cl: type[BaseObject]) -> Callable[[Any, Any], BaseObject]:
    fields = [f for f in attrs.fields(cl) if f.name not in _STRUCTURAL_FIELDS]
    known = frozenset(f.alias or f.name for f in fields)
    overrides: dict[str, Any] = {"model_extra": override(omit=True)}
    base = make_dict_structure_fn(
        cl,
        converter,
        _cattrs_forbid_extra_keys=False,
        _cattrs_detailed_validation=False,
        **overrides,
    )
    issubset = known.issuperset

    def structure_object(data: Any, _: Any) -> BaseObject:
        if not isinstance(data, Mapping):
            raise TypeError(f"expected a JSON object for {cl.__name__}, got {type(data).__name__}")
        obj = base(data, cl)
        if not issubset(data):
            extra = {k: v for k, v in data.items() if k not in known}
            object.__setattr__(obj, "model_extra", extra)
        return obj

    return structure_object


def _unstructure_factory(cl: type[BaseObject]) -> Callable[[BaseObject], dict[str, Any]]:
    base = make_dict_unstructure_fn(
        cl,
        converter,
        model_extra=override(omit=True),
        _request_id=override(omit=True),
    )

    def unstructure_object(obj: BaseObject) -> dict[str, Any]:
        data = base(obj)
        if obj.model_extra:
            data.update(obj.model_extra)
        return data

    return unstructure_object


converter.register_structure_hook_factory(_is_base_object, _structure_factory)
converter.register_unstructure_hook_factory(_is_base_object, _unstructure_factory)


def structure(data: Any, cl: type[T]) -> T:
    """Structure JSON data into ``cl``."""
    return converter.structure(data, cl)
