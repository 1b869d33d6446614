"""The strict JSON schema of a class: what structured outputs and strict function tools send.

:func:`to_strict_json_schema` takes an attrs class, a dataclass, a TypedDict, or a pydantic
model (or pydantic dataclass, or a ``pydantic.TypeAdapter``), and returns the schema OpenAI's
strict mode accepts: every object closed (``additionalProperties: false``) with every property
required, an optional field nullable (``anyOf`` with ``{"type": "null"}``), nested classes and
enums in ``$defs`` referred to by ``$ref``. Our own classes are described the way pydantic
describes its models (titles, descriptions, defaults), so the same class written either way
gives the same schema; pydantic's own types are described by pydantic, which is imported only
for them (it is never a dependency).

Field types: ``str``, ``int``, ``float``, ``bool``, ``None``; ``Literal``; ``enum.Enum``;
``datetime``, ``date``, ``time``, ``UUID`` (strings of that ``format``); ``list``, ``tuple[X,
...]``, ``set``, ``frozenset``, ``Sequence``; unions and optionals; nested classes (also
recursive ones); ``Annotated[X, ...]`` is ``X``. A field's ``description`` comes from its
metadata (``attrs.field(metadata={"description": ...})``, the same for dataclass fields), a
class's from its docstring. Strict mode has no open objects, so a ``dict``/``Mapping`` field
(or ``Any``) raises TypeError, naming the field, rather than a 400 from the API later.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import enum
import functools
import inspect
import sys
import types
import typing
import uuid
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Final, Literal, cast, get_args, get_origin

import attrs

__all__ = [
    "class_description",
    "ensure_strict",
    "is_pydantic_type",
    "is_typeddict",
    "strict_schema",
    "to_strict_json_schema",
]

_UNION_ORIGINS: Final = (typing.Union, types.UnionType)
_NONE: Final = type(None)
_PRIMITIVES: Final[Mapping[Any, str]] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
}
_FORMATS: Final[Mapping[Any, str]] = {
    datetime.datetime: "date-time",
    datetime.date: "date",
    datetime.time: "time",
    uuid.UUID: "uuid",
}
_ARRAYS: Final = (list, set, frozenset, tuple, Sequence, typing.Sequence)
#: The class of ``attrs.Factory(...)`` defaults (attrs types ``Factory`` as a function).
_FACTORY: Final[type[Any]] = type(attrs.Factory(list))


def to_strict_json_schema(model: Any) -> dict[str, Any]:
    """The strict JSON schema of ``model`` (see the module's docstring), a new dict each time.

    Raises TypeError for a type that is none of the classes above, or that has a field no
    strict schema can describe.
    """
    return copy.deepcopy(strict_schema(model))


@functools.cache
def strict_schema(model: Any) -> dict[str, Any]:
    """As :func:`to_strict_json_schema`, made once per type: the caller must not change it."""
    if is_pydantic_type(model):
        return ensure_strict(_pydantic_schema(model))
    if not _is_class_type(model):
        raise TypeError(
            f"expected an attrs class, a dataclass, a TypedDict or a pydantic model, got {model!r}"
        )
    return ensure_strict(_Builder().root(model))


# -- pydantic ------------------------------------------------------------------------------------


def is_pydantic_type(tp: Any) -> bool:
    """Whether pydantic describes ``tp``: a model, a pydantic dataclass (or a class configured
    for pydantic), or a TypeAdapter. Never imports pydantic: without it there are none."""
    pydantic = sys.modules.get("pydantic")
    if pydantic is None:
        return False
    if isinstance(tp, pydantic.TypeAdapter):
        return True
    if inspect.isclass(tp) and issubclass(tp, pydantic.BaseModel):
        return True
    return hasattr(tp, "__pydantic_config__")


def _pydantic_schema(tp: Any) -> dict[str, Any]:
    import pydantic

    if isinstance(tp, pydantic.TypeAdapter):
        schema: dict[str, Any] = tp.json_schema()
    elif inspect.isclass(tp) and issubclass(tp, pydantic.BaseModel):
        schema = tp.model_json_schema()
    else:
        schema = pydantic.TypeAdapter(tp).json_schema()
    return schema


# -- our own classes -------------------------------------------------------------------------------


def _is_class_type(tp: Any) -> bool:
    return inspect.isclass(tp) and (
        attrs.has(tp) or dataclasses.is_dataclass(tp) or is_typeddict(tp)
    )


def is_typeddict(tp: Any) -> bool:
    """Whether ``tp`` is a TypedDict class (``typing``'s or ``typing_extensions``')."""
    return (
        isinstance(tp, type)
        and issubclass(tp, dict)
        and hasattr(tp, "__required_keys__")
        and hasattr(tp, "__total__")
    )


@attrs.frozen
class _Field:
    name: str
    annotation: Any
    description: str | None
    default: Any  # attrs.NOTHING when there is none (or it comes from a factory)


def _fields(cls: type) -> list[_Field]:
    """The fields of a class as the JSON object has them (its ``__init__`` arguments)."""
    own = {cls.__name__: cls}  # a class defined in a function can still refer to itself
    if attrs.has(cls):
        attrs.resolve_types(cls, localns=own)
        return [
            _Field(
                a.name,
                a.type,
                a.metadata.get("description"),
                attrs.NOTHING if isinstance(a.default, _FACTORY) else a.default,
            )
            for a in attrs.fields(cls)
            if a.init
        ]
    hints = typing.get_type_hints(cls, localns=own, include_extras=True)
    if dataclasses.is_dataclass(cls):
        return [
            _Field(
                f.name,
                hints[f.name],
                f.metadata.get("description"),
                attrs.NOTHING if f.default is dataclasses.MISSING else f.default,
            )
            for f in dataclasses.fields(cls)
            if f.init
        ]
    return [_Field(name, _unrequired(tp), None, attrs.NOTHING) for name, tp in hints.items()]


def _unrequired(tp: Any) -> Any:
    """A TypedDict key's type without ``Required``/``NotRequired`` (strict mode wants them all)."""
    while get_origin(tp) in (typing.Required, typing.NotRequired):
        tp = get_args(tp)[0]
    return tp


def class_description(cls: Any) -> str | None:
    """A class's own docstring, cleaned (not one a dataclass made up, not an Enum's default)."""
    doc = cls.__dict__.get("__doc__") if inspect.isclass(cls) else None
    if not isinstance(doc, str) or not doc.strip():
        return None
    if dataclasses.is_dataclass(cls):
        klass = cast(type, cls)
        try:  # dataclasses writes "Name(field: type, ...)" when the class has no docstring
            made_up = klass.__name__ + str(inspect.signature(klass)).replace(" -> None", "")
        except (TypeError, ValueError):
            made_up = None
        if doc == made_up:
            return None
    return inspect.cleandoc(doc)


def _title(name: str) -> str:
    return name.replace("_", " ").strip().title()


def _strip(tp: Any) -> Any:
    """``Annotated[X, ...]`` and ``NewType`` as the type they stand for."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        elif isinstance(tp, typing.NewType):
            tp = tp.__supertype__
        else:
            return tp


class _Builder:
    """One schema: the definitions (``$defs``) of the classes and enums it meets."""

    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}
        self.names: dict[Any, str] = {}
        self.path: list[str] = []

    def root(self, cls: type) -> dict[str, Any]:
        name = self.define(cls)
        schema = self.defs.pop(name)
        if _refers_to((schema, self.defs), name):  # recursive: references need its definition
            self.defs[name] = copy.deepcopy(schema)
        if self.defs:
            schema = {"$defs": self.defs, **schema}
        return schema

    def define(self, tp: Any) -> str:
        """The name of ``tp``'s definition in ``$defs``, written on first use."""
        name = self.names.get(tp)
        if name is not None:
            return name
        name = tp.__name__
        if name in self.defs or name in self.names.values():
            name = f"{tp.__module__}__{tp.__qualname__}".replace(".", "__")
        self.names[tp] = name
        self.defs[name] = {}  # taken: a class that refers to itself finds its name
        self.defs[name] = self.enum(tp) if issubclass(tp, enum.Enum) else self.object(tp)
        return name

    def object(self, cls: type) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in _fields(cls):
            self.path.append(field.name)
            try:
                properties[field.name] = self.field(field)
            finally:
                self.path.pop()
            if field.default is attrs.NOTHING:
                required.append(field.name)
        schema: dict[str, Any] = {}
        description = class_description(cls)
        if description is not None:
            schema["description"] = description
        schema["properties"] = properties
        if is_typeddict(cls):
            keys: frozenset[str] = getattr(cls, "__required_keys__", frozenset())
            required = sorted(keys, key=list(properties).index)
        schema["required"] = required
        schema["title"] = cls.__name__
        schema["type"] = "object"
        return schema

    def enum(self, tp: type[enum.Enum]) -> dict[str, Any]:
        values = [member.value for member in tp]
        schema: dict[str, Any] = {}
        description = class_description(tp)
        if description is not None:
            schema["description"] = description
        schema["enum"] = values
        schema["title"] = tp.__name__
        kind = _kind_of_values(values)
        if kind is not None:
            schema["type"] = kind
        return schema

    def field(self, field: _Field) -> dict[str, Any]:
        schema = self.type(field.annotation)
        out: dict[str, Any] = {}
        if field.default is not attrs.NOTHING:
            out["default"] = _json_value(field.default)
        if field.description is not None:
            out["description"] = field.description
        if not _is_reference(field.annotation):
            out["title"] = _title(field.name)
        return {**out, **schema} if "$ref" not in schema else {**schema, **out}

    def type(self, tp: Any) -> dict[str, Any]:
        tp = _strip(tp)
        if tp is _NONE or tp is None:
            return {"type": "null"}
        primitive = _PRIMITIVES.get(tp)
        if primitive is not None:
            return {"type": primitive}
        form = _FORMATS.get(tp)
        if form is not None:
            return {"format": form, "type": "string"}
        origin = get_origin(tp)
        if origin is Literal:
            return _literal(get_args(tp))
        if origin in _UNION_ORIGINS:
            return {"anyOf": [self.type(member) for member in get_args(tp)]}
        if isinstance(tp, enum.EnumMeta) or _is_class_type(tp):
            return {"$ref": f"#/$defs/{self.define(tp)}"}
        if origin in _ARRAYS or tp in _ARRAYS:
            return self.array(tp, origin or tp)
        raise self.unsupported(tp)

    def array(self, tp: Any, origin: Any) -> dict[str, Any]:
        args = get_args(tp)
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            raise self.unsupported(tp, "strict mode has no fixed-length arrays; use a class")
        if not args:
            raise self.unsupported(tp, "name the type of its items")
        schema: dict[str, Any] = {"items": self.type(args[0]), "type": "array"}
        if origin in (set, frozenset):
            schema["uniqueItems"] = True
        return schema

    def unsupported(self, tp: Any, why: str | None = None) -> TypeError:
        where = ".".join(self.path) or "the class"
        origin = get_origin(tp) or tp
        if why is None:
            if (isinstance(origin, type) and issubclass(origin, Mapping)) or origin is dict:
                why = "strict mode only takes objects whose keys are declared; use a class"
            elif tp is Any or tp is object:
                why = "strict mode needs a type for every value"
            else:
                why = "no strict JSON schema describes it"
        return TypeError(f"cannot make a strict JSON schema of {where}: {tp!r} ({why})")


def _refers_to(node: Any, name: str) -> bool:
    """Whether a ``$ref`` in ``node`` points at the definition ``name``."""
    if isinstance(node, dict):
        return node.get("$ref") == f"#/$defs/{name}" or any(
            _refers_to(v, name) for v in node.values()
        )
    if isinstance(node, list | tuple):
        return any(_refers_to(v, name) for v in node)
    return False


def _is_reference(annotation: Any) -> bool:
    """Whether a field's type is a class or enum (or an optional one), which pydantic writes
    as a bare ``$ref``, without a title."""
    tp = _strip(annotation)
    if get_origin(tp) in _UNION_ORIGINS:
        members = [m for m in get_args(tp) if _strip(m) is not _NONE]
        if len(members) != 1:
            return False
        tp = _strip(members[0])
    return isinstance(tp, enum.EnumMeta) or _is_class_type(tp)


def _json_value(value: Any) -> Any:
    """A default value as JSON has it (an enum's value, a date's ISO form, ...)."""
    if isinstance(value, enum.Enum):
        return _json_value(value.value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(v) for v in value]
    return value


def _kind_of_values(values: Sequence[Any]) -> str | None:
    kinds = {_PRIMITIVES.get(type(v)) if v is not None else "null" for v in values}
    return kinds.pop() if len(kinds) == 1 else None


def _literal(values: tuple[Any, ...]) -> dict[str, Any]:
    values = tuple(v.value if isinstance(v, enum.Enum) else v for v in values)
    kind = _kind_of_values(values)
    schema: dict[str, Any] = {"const": values[0]} if len(values) == 1 else {"enum": list(values)}
    if kind is not None:
        schema["type"] = kind
    return schema


# -- strictness ------------------------------------------------------------------------------------


def ensure_strict(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (a JSON schema as pydantic writes one), changed in place to what strict mode
    accepts: objects closed, every property required, no ``null`` default, a ``$ref`` with
    other keys replaced by what it points at, a one-part ``allOf`` by its part. Returns it."""
    return _strict(schema, schema, ())


def _strict(node: Any, root: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(node, dict):
        raise TypeError(f"expected a JSON schema object at {'/'.join(path) or 'the root'}")
    for key in ("$defs", "definitions"):
        defs = node.get(key)
        if isinstance(defs, dict):
            for name, sub in defs.items():
                _strict(sub, root, (*path, key, name))
    if node.get("type") == "object":
        node.setdefault("additionalProperties", False)
    properties = node.get("properties")
    if isinstance(properties, dict):
        node["required"] = list(properties)
        for name, sub in properties.items():
            properties[name] = _strict(sub, root, (*path, "properties", name))
    items = node.get("items")
    if isinstance(items, dict):
        node["items"] = _strict(items, root, (*path, "items"))
    any_of = node.get("anyOf")
    if isinstance(any_of, list):
        node["anyOf"] = [_strict(v, root, (*path, "anyOf", str(i))) for i, v in enumerate(any_of)]
    all_of = node.get("allOf")
    if isinstance(all_of, list):
        if len(all_of) == 1:
            node.update(_strict(all_of[0], root, (*path, "allOf", "0")))
            node.pop("allOf")
        else:
            node["allOf"] = [
                _strict(v, root, (*path, "allOf", str(i))) for i, v in enumerate(all_of)
            ]
    if "default" in node and node["default"] is None:
        del node["default"]
    ref = node.get("$ref")
    if isinstance(ref, str) and len(node) > 1:
        target = _resolve(root, ref)
        merged = {**copy.deepcopy(target), **node}  # the node's own keys win
        del merged["$ref"]
        node.clear()
        node.update(merged)
        return _strict(node, root, path)  # what came from the definition gets the rules too
    return node


def _resolve(root: Mapping[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $ref pointers (#/...) can be inlined, got {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part] if isinstance(node, Mapping) else None
        if node is None:
            raise ValueError(f"$ref {ref!r} points at nothing")
    if not isinstance(node, dict):
        raise ValueError(f"$ref {ref!r} does not point at a schema object")
    return node
