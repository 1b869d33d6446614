"""A structured output's type: the format that asks for it, and the model's JSON made into it.

The type ``T`` of ``response_format=T`` (``text_format=T``, ``function_tool(T)``) is an attrs
class, a dataclass, a TypedDict, or a pydantic model. :func:`response_format_param` and
:func:`text_format_param` are the request's ``json_schema`` formats naming T's strict schema
(``_schema``); :func:`load` makes the model's JSON text into a T:

- a pydantic type is validated by pydantic (``model_validate_json``, or a TypeAdapter), as the
  official SDK does;
- our own classes are built by cattrs from the parsed JSON, strictly: a string is only a
  ``str`` (never made from a number), an ``int`` only an integer, a ``float`` a number, a
  ``bool`` a boolean; ``datetime``/``date``/``time`` from ISO text, ``UUID`` from its text;
  a union takes the first member that fits; keys the class does not declare are ignored (as
  pydantic does by default); the class's own ``__init__`` (attrs validators, a dataclass's
  ``__post_init__``) runs.

Both raise :class:`LoadError` (a ValueError whose ``__cause__`` is pydantic's or cattrs' error)
when the text is not JSON or does not fit; the caller turns it into ContentParseError.
"""

from __future__ import annotations

import datetime
import enum
import functools
import types
import typing
import uuid
from collections.abc import Callable
from typing import Any, Final, get_args, get_origin

import cattrs
from cattrs.gen.typeddicts import make_dict_structure_fn as make_typeddict_structure_fn
from cattrs.v import format_exception

from ._json import loads
from ._schema import is_pydantic_type, is_typeddict, strict_schema

__all__ = [
    "LoadError",
    "check_output_type",
    "load",
    "output_name",
    "response_format_param",
    "text_format_param",
]

_UNION_ORIGINS: Final = (typing.Union, types.UnionType)
_NONE: Final = type(None)


class LoadError(ValueError):
    """The model's text does not make a T: ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_output_type(tp: Any) -> None:
    """TypeError unless a strict schema describes ``tp`` (made once per type, then cached)."""
    strict_schema(tp)


def output_name(tp: Any) -> str:
    """The ``name`` of ``tp``'s format: its class name."""
    name = getattr(tp, "__name__", None)
    if name is None:  # a pydantic TypeAdapter
        name = getattr(getattr(tp, "_type", None), "__name__", None)
    if not isinstance(name, str):
        raise TypeError(f"{tp!r} has no name to give its JSON schema; use a class")
    return name


def response_format_param(tp: Any) -> dict[str, Any]:
    """The Chat Completions ``response_format`` asking for a ``tp`` (strict JSON schema)."""
    return {
        "type": "json_schema",
        "json_schema": {"schema": strict_schema(tp), "name": output_name(tp), "strict": True},
    }


def text_format_param(tp: Any) -> dict[str, Any]:
    """The Responses API's ``text.format`` asking for a ``tp`` (strict JSON schema)."""
    return {
        "type": "json_schema",
        "strict": True,
        "name": output_name(tp),
        "schema": strict_schema(tp),
    }


def load(tp: Any, text: str) -> Any:
    """The model's JSON ``text`` as a ``tp``; LoadError when it is not JSON or does not fit."""
    return _loader(tp)(text)


@functools.cache
def _loader(tp: Any) -> Callable[[str], Any]:
    if is_pydantic_type(tp):
        return _pydantic_loader(tp)
    check_output_type(tp)
    hook = _converter.get_structure_hook(tp)

    def load_ours(text: str) -> Any:
        try:
            data = loads(text.encode())
        except ValueError as exc:
            raise LoadError(f"the text is not valid JSON: {exc}") from None
        try:
            return hook(data, tp)
        except Exception as exc:
            raise LoadError(_cattrs_reason(exc)) from exc

    return load_ours


def _pydantic_loader(tp: Any) -> Callable[[str], Any]:
    import pydantic

    if isinstance(tp, pydantic.TypeAdapter):
        validate: Callable[[str], Any] = tp.validate_json
    elif isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        validate = tp.model_validate_json
    else:
        validate = pydantic.TypeAdapter(tp).validate_json

    def load_pydantic(text: str) -> Any:
        try:
            return validate(text)
        except pydantic.ValidationError as exc:
            raise LoadError(str(exc)) from exc

    return load_pydantic


def _cattrs_reason(exc: BaseException) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        return "; ".join(cattrs.transform_error(exc, path="$", format_exception=_describe))
    return _describe(exc, None)


def _describe(exc: BaseException, tp: type | None) -> str:
    """One failure in words: our hooks' own message, else cattrs' wording."""
    if isinstance(exc, ValueError | TypeError) and str(exc) and not isinstance(exc, KeyError):
        return str(exc)
    return format_exception(exc, tp)


# -- the converter of our own classes -------------------------------------------------------------

_converter = cattrs.Converter(detailed_validation=True, forbid_extra_keys=False)


def _exactly(kind: type, noun: str) -> Callable[[Any, Any], Any]:
    def structure(value: Any, tp: Any) -> Any:
        if tp is not kind and isinstance(tp, type) and issubclass(tp, enum.Enum):
            return tp(value)  # an IntEnum or StrEnum comes here: made from its value
        if type(value) is kind:
            return value
        raise ValueError(f"expected {noun}, got {_json_kind(value)}")

    return structure


def _number(value: Any, _: Any) -> float:
    if type(value) is float:
        return value
    if type(value) is int:
        return float(value)
    raise ValueError(f"expected a number, got {_json_kind(value)}")


def _json_kind(value: Any) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}
    if value is None:
        return "null"
    return names.get(type(value), "an array" if isinstance(value, list) else "an object")


def _from_text(parse: Callable[[str], Any], noun: str) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        if type(value) is not str:
            raise ValueError(f"expected {noun} as a string, got {_json_kind(value)}")
        return parse(value)

    return structure


def _is_union(tp: Any) -> bool:
    if get_origin(tp) not in _UNION_ORIGINS:
        return False
    members = [m for m in get_args(tp) if m is not _NONE]
    return len(members) > 1


def _union_hook(tp: Any) -> Callable[[Any, Any], Any]:
    """The first member of the union that takes the value (None to None when it is allowed)."""
    members = [m for m in get_args(tp) if m is not _NONE]
    takes_none = _NONE in get_args(tp)

    def structure(value: Any, _: Any) -> Any:
        if value is None and takes_none:
            return None
        errors = []
        for member in members:
            try:
                return _converter.structure(value, member)
            except Exception as exc:
                errors.append(f"{getattr(member, '__name__', member)}: {_cattrs_reason(exc)}")
        raise ValueError(f"fits no member of the union ({'; '.join(errors)})")

    return structure


def _typeddict_hook(tp: Any) -> Callable[[Any, Any], Any]:
    """cattrs' TypedDict function, given only the declared keys (it would keep the others)."""
    base = make_typeddict_structure_fn(tp, _converter)
    keys = frozenset(typing.get_type_hints(tp))

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, dict) and not keys.issuperset(value):
            value = {k: v for k, v in value.items() if k in keys}
        return base(value, tp)

    return structure


_converter.register_structure_hook_factory(is_typeddict, _typeddict_hook)

_EXACT: Final[dict[type, Callable[[Any, Any], Any]]] = {
    str: _exactly(str, "a string"),
    int: _exactly(int, "an integer"),
    bool: _exactly(bool, "a boolean"),
    float: _number,
    datetime.datetime: _from_text(datetime.datetime.fromisoformat, "a date-time"),
    datetime.date: _from_text(datetime.date.fromisoformat, "a date"),
    datetime.time: _from_text(datetime.time.fromisoformat, "a time"),
    uuid.UUID: _from_text(uuid.UUID, "a UUID"),
}
for _cls, _hook in _EXACT.items():
    _converter.register_structure_hook(_cls, _hook)
_converter.register_structure_hook_factory(_is_union, _union_hook)
