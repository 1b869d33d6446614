"""The private cattrs Converter: response JSON to attrs types, leniently and fast.

- Unknown keys are kept in ``model_extra`` (not rejected), so new API fields never break.
- Open enums are written ``Literal[...] | str``: any string passes through.
- Structure functions are generated once per class, without detailed validation: one dict
  lookup and one slot set per field, and no hook call for a value that already has the
  declared primitive type (cattrs' own generated functions serve classes that need their
  ``__init__``).
- Unstructuring puts unknown keys back, so an object turns into the JSON it came from.
- A field whose JSON key is not a Python name (``"self-harm"``) names its key in its metadata:
  ``attrs.field(metadata={"json_key": "self-harm"})``; a field that is ours, not the API's
  (``parsed``), says so with ``metadata={NOT_SENT: True}``: it is left out of request bodies.
- Generic classes (``ParsedChatCompletion[T]``): a parameterized class is structured and
  unstructured as its class, and a field typed by the parameter holds its value as it is
  (the code that makes such objects puts the value there).

Unions (each rule is one hook, made once per union type):

- ``Annotated[A | B | Fallback, Discriminator("type")]`` is a tagged union: an object goes to
  the member whose ``type`` field is a Literal naming its tag (members sharing a tag are told
  apart as below, by their keys); a tag no member names goes to the member that declares no
  such field (``UnknownVariant``, which keeps every key).
- Any other union of two or more types (open enums aside) goes by the JSON value's kind:
  ``null`` to None; a string passes when the union admits strings (``str`` or a Literal); a
  number or boolean when it admits that kind; an array to the first list member that takes
  it; an object to the object member that fits best, as pydantic's smart unions (the SDK's)
  pick (``_fit``): of the members whose required keys are all present, the one whose values
  fit their declared types (a value's JSON kind, a closed Literal's values, nested objects,
  lists and unions at any depth) with the fewest misfits; then one the SDK would validate (no
  enum value it does not know) with the most declared keys present (nested objects' too);
  then the earliest. An object no member has the required keys of goes to a mapping member
  (``dict[...]``, ``object``, a tagged union) if there is one, else structuring fails
  (TypeError), like a missing required key. The fit is measured only where two members have
  their required keys present: a tag or a single candidate costs nothing.

The hooks of API objects are registered for the base class ``_models.BaseObject`` defines
(:func:`register_object_base`), so this module knows no class of its own.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ._fit import (
    JSON_KEY,
    NONE_TYPE,
    NOT_SENT,
    PRIMITIVES,
    STRUCTURAL_FIELDS,
    UNION_ORIGINS,
    Discriminator,
    admits_str,
    discriminator_of,
    is_open_enum,
    json_key,
    member_picker,
    tagged_members,
    union_members,
)

__all__ = [
    "JSON_KEY",
    "NOT_SENT",
    "Discriminator",
    "converter",
    "register_object_base",
    "structure",
    "tagged_members",
]

T = TypeVar("T")

converter = cattrs.Converter(detailed_validation=False, forbid_extra_keys=False)


class _LazyHooks(dict[Any, Callable[[Any, Any], Any]]):
    """Structure hooks of union members, got on first use (a member may refer to its union)."""

    def __missing__(self, cl: Any) -> Callable[[Any, Any], Any]:
        hook = self[cl] = converter.get_structure_hook(cl)
        return hook


def _tagged_union_factory(tp: Any) -> Callable[[Any, Any], Any]:
    """The hook of ``Annotated[A | B | ..., Discriminator(key)]``. Members sharing a tag value
    (``"message"`` for an input and an output message) are told apart by their keys."""
    discriminator = discriminator_of(tp)
    assert discriminator is not None
    key = discriminator.key
    sharing, fallback = tagged_members(tp)
    tags = {v: ms[0] for v, ms in sharing.items() if len(ms) == 1}
    shared = {v: member_picker(ms, ms[0]) for v, ms in sharing.items() if len(ms) > 1}
    takes_str = admits_str(union_members(get_args(tp)[0]))
    hooks = _LazyHooks()

    def structure_tagged(value: Any, _: Any) -> Any:
        if value.__class__ is dict or isinstance(value, Mapping):
            tag = value.get(key)
            cl = tags.get(tag)
            if cl is None:
                cl = shared[tag](value) if tag in shared else fallback
                if cl is None:
                    raise TypeError(f"unknown {key} {tag!r}")
            return hooks[cl](value, cl)
        if value is None:
            return None  # an optional tagged union (the optional hook passes None itself)
        if takes_str and isinstance(value, str):
            return value
        raise TypeError(f"expected a JSON object, got {type(value).__name__}")

    return structure_tagged


def _is_plain_union(tp: Any) -> bool:
    """A union of two or more types besides None, other than an open enum."""
    return get_origin(tp) in UNION_ORIGINS and len(union_members(tp)) > 1 and not is_open_enum(tp)


def _mapping_like(tp: Any) -> bool:
    origin = get_origin(tp) or tp
    return (
        tp is object
        or tp is Any
        or discriminator_of(tp) is not None
        or (isinstance(origin, type) and issubclass(origin, Mapping))
    )


def _union_factory(tp: Any) -> Callable[[Any, Any], Any]:
    """The hook of a union that is neither tagged nor an open enum (see the module's rule)."""
    members = union_members(tp)
    takes_none = NONE_TYPE in get_args(tp)
    takes_str = admits_str(members)
    takes_any = any(m is object or m is Any for m in members)
    takes_bool = bool in members
    takes_int = int in members
    takes_float = float in members
    arrays = [m for m in members if get_origin(m) in (list, tuple) or m in (list, tuple)]
    mapping = next((m for m in members if _mapping_like(m)), None)
    pick = member_picker([m for m in members if _is_base_object(m)], mapping)
    hooks = _LazyHooks()

    def structure_union(value: Any, _: Any) -> Any:
        cls = value.__class__
        if cls is dict or isinstance(value, Mapping):
            cl = pick(value)
            if cl is not None:
                return value if cl is object or cl is Any else hooks[cl](value, cl)
        elif value is None:
            if takes_none:
                return None
        elif cls is str:
            if takes_str:
                return value
        elif cls is bool:
            if takes_bool:
                return value
        elif cls is int:
            if takes_int:
                return value
            if takes_float:
                return float(value)
        elif cls is float:
            if takes_float:
                return value
        elif cls is list:
            for array in arrays:
                try:
                    return hooks[array](value, array)
                except Exception:  # the next list member may take it
                    continue
        if takes_any:
            return value
        raise TypeError(f"a JSON {type(value).__name__} fits no member of {tp!r}")

    return structure_union


# Registered first: every rule below (and every union a types module registers) goes before it.
converter.register_structure_hook_factory(_is_plain_union, _union_factory)
converter.register_structure_hook_factory(
    lambda tp: discriminator_of(tp) is not None, _tagged_union_factory
)
converter.register_structure_hook_func(lambda tp: tp is object, lambda value, _: value)
# A field typed by a class's type parameter holds a value made by the code that builds the
# object (a parsed output): kept as it is, and unstructured by its own class.
converter.register_structure_hook_func(lambda tp: isinstance(tp, TypeVar), lambda value, _: value)
converter.register_unstructure_hook_func(
    lambda tp: isinstance(tp, TypeVar), lambda value: converter.unstructure(value)
)


def _structure_open_enum(value: Any, tp: Any) -> Any:
    # null is kept even where the API promises a value: a streamed snapshot's finish_reason
    # is null until its last chunk, and the SDK's snapshots keep it as None too
    if value is None:
        return None
    if isinstance(value, str):
        return value
    raise TypeError(f"expected a string, got {type(value).__name__}")


converter.register_structure_hook_func(is_open_enum, _structure_open_enum)


def _is_optional_primitive(tp: Any) -> bool:
    """``str | None``, ``int | None``, ``float | None``, ``bool | None``."""
    if get_origin(tp) not in (typing.Union, type(int | str)):
        return False
    args = get_args(tp)
    return len(args) == 2 and type(None) in args and any(a in PRIMITIVES for a in args)


def _optional_primitive_factory(tp: Any) -> Callable[[Any, Any], Any]:
    """A direct hook for an optional primitive (cattrs' generic one dispatches twice)."""
    base = next(a for a in get_args(tp) if a is not type(None))

    def structure_optional(value: Any, _: Any) -> Any:
        if value is None or type(value) is base:
            return value
        return base(value)

    return structure_optional


converter.register_structure_hook_factory(_is_optional_primitive, _optional_primitive_factory)


_MISSING: Any = object()
#: The class of ``attrs.Factory(...)`` defaults (attrs types ``Factory`` as a function).
_FACTORY: type[Any] = type(attrs.Factory(list))


def _passes_unchanged(tp: Any) -> tuple[type, bool] | None:
    """(class, None allowed) when a value of exactly that class structures to itself.

    True of ``str``, ``int``, ``float``, ``bool``, their optional forms and open enums: their
    hooks return such a value unchanged, so the generated code skips the call for it.
    """
    if tp in PRIMITIVES:
        return tp, False
    if _is_optional_primitive(tp):
        return next(a for a in get_args(tp) if a is not NONE_TYPE), True
    if is_open_enum(tp):
        return str, NONE_TYPE in get_args(tp)
    return None


def _plain(cl: type[Any]) -> bool:
    """Whether ``cl.__init__`` only assigns its fields (so __new__ plus slot sets equal it)."""
    if not getattr(cl, "__attrs_attrs__", None) or "__slots__" not in cl.__dict__:
        return False
    if hasattr(cl, "__attrs_post_init__") or hasattr(cl, "__attrs_pre_init__"):
        return False
    for f in attrs.fields(cl):
        own_logic = f.validator is not None or f.converter is not None or not f.init
        if own_logic and f.name not in STRUCTURAL_FIELDS:
            return False
        if isinstance(f.default, _FACTORY) and f.default.takes_self:
            return False
    return True


def _generated_structure(cl: type[Any]) -> Callable[[Any, Any], Any]:
    """A structure function written for ``cl``: one dict lookup and one slot set per field.

    The object is made with ``__new__`` and its slots are set directly (the class is frozen and
    its ``__init__`` does nothing else); a value whose class is exactly the declared primitive
    skips its hook, and so does a primitive field's default. Unknown keys go to
    ``model_extra``; ``model_extra`` and ``_request_id`` are left unset at their defaults,
    which ``the base class's ``__getattr__```` supplies; so is ``_unset``, the JSON keys of
    the fields the object lacked, but for an object that lacks some (one length check when
    none is missing).
    """
    attrs.resolve_types(cl)
    ns: dict[str, Any] = {
        "cl": cl,
        "new": cl.__new__,
        "Mapping": Mapping,
        "M": _MISSING,
        "set_extra": _slot(cl, "model_extra").__set__,
        "set_unset": _slot(cl, "_unset").__set__,
    }
    fields = [f for f in attrs.fields(cl) if f.name not in STRUCTURAL_FIELDS]
    known = frozenset(json_key(f) for f in fields)
    ns["known_superset"] = known.issuperset
    ns["known"] = known
    ns["n"] = len(known)
    lines = [
        "def structure(o, _):",
        "    if o.__class__ is not dict and not isinstance(o, Mapping):",
        "        raise TypeError(",
        f"            'expected a JSON object for {cl.__name__}, got ' + type(o).__name__",
        "        )",
        "    obj = new(cl)",
    ]
    for i, f in enumerate(fields):
        ns[f"set{i}"] = _slot(cl, f.name).__set__
        tp = f.type
        fast = None if tp is Any else _passes_unchanged(tp)
        convert: str | None = None
        if tp is not Any:
            try:
                hook = converter.get_structure_hook(tp)
            except RecursionError:  # the type refers back to a class being generated
                hook, fast = converter.structure, None  # dispatched when called instead
            inner = _optional_inner(tp, hook)
            if inner is not None:  # X | None: call X's hook directly, not cattrs' dispatch
                try:
                    hook, tp = converter.get_structure_hook(inner), inner
                    convert = f"if v is not None: v = h{i}(v, t{i})"
                except RecursionError:  # X is being generated: keep the dispatching hook
                    convert = f"v = h{i}(v, t{i})"
            elif fast is not None:
                ns[f"c{i}"] = fast[0]
                test = f"v.__class__ is not c{i}" + (" and v is not None" if fast[1] else "")
                convert = f"if {test}: v = h{i}(v, t{i})"
            else:
                convert = f"v = h{i}(v, t{i})"
            ns[f"h{i}"] = hook
            ns[f"t{i}"] = tp
        key = repr(json_key(f))
        if f.default is attrs.NOTHING:
            lines.append(f"    v = o[{key}]")
            if convert:
                lines.append(f"    {convert}")
        elif fast is not None and (
            f.default.__class__ is fast[0] or (f.default is None and fast[1])
        ):  # the default passes the same check as a value of the declared type
            ns[f"d{i}"] = f.default
            lines.append(f"    v = o.get({key}, d{i})")
            if convert:
                lines.append(f"    {convert}")
        else:
            lines.append(f"    v = o.get({key}, M)")
            if isinstance(f.default, _FACTORY):
                ns[f"d{i}"] = f.default.factory
                lines.append(f"    if v is M: v = d{i}()")
            else:
                ns[f"d{i}"] = f.default
                lines.append(f"    if v is M: v = d{i}")
            if convert:
                lines.append(f"    else:\n        {convert}")
        lines.append(f"    set{i}(obj, v)")
    lines += [  # model_extra, _request_id, _unset stay unset at their defaults (BaseObject)
        "    if not known_superset(o):",
        "        extra = {k: v for k, v in o.items() if k not in known}",
        "        set_extra(obj, extra)",
        "        if len(o) - len(extra) != n:",
        "            set_unset(obj, known.difference(o))",
        "    elif len(o) != n:",
        "        set_unset(obj, known.difference(o))",
        "    return obj",
    ]
    source = "\n".join(lines)
    filename = f"<aio_openai structure {cl.__module__}.{cl.__qualname__}>"
    exec(compile(source, filename, "exec"), ns)  # our own generated code
    function: Callable[[Any, Any], Any] = ns["structure"]
    return function


def _optional_inner(tp: Any, hook: Any) -> Any:
    """X for an ``X | None`` that cattrs' generic optional hook serves, else None."""
    if getattr(hook, "__func__", None) is not cattrs.BaseConverter._structure_optional:
        return None
    args = [a for a in get_args(tp) if a is not NONE_TYPE]
    return args[0] if len(args) == 1 else None


def _slot(cl: type, name: str) -> Any:
    """The slot descriptor of ``name`` on ``cl`` or the base class that declares it."""
    for klass in cl.__mro__:
        descriptor = klass.__dict__.get(name)
        if descriptor is not None:
            return descriptor
    raise AttributeError(name)


def _cattrs_structure(cl: type[Any]) -> Callable[[Any, Any], Any]:
    """cattrs' own generated function, for classes whose ``__init__`` does more than assign."""
    fields = [f for f in attrs.fields(cl) if f.name not in STRUCTURAL_FIELDS]
    known = frozenset(json_key(f) for f in fields)
    overrides: dict[str, Any] = {
        "model_extra": override(omit=True),
        "_unset": override(omit=True),
    }
    overrides.update(
        {f.name: override(rename=json_key(f)) for f in fields if JSON_KEY in f.metadata}
    )
    base = make_dict_structure_fn(
        cl,
        converter,
        _cattrs_forbid_extra_keys=False,
        _cattrs_detailed_validation=False,
        **overrides,
    )
    issubset = known.issuperset

    def structure_object(data: Any, _: Any) -> Any:
        if not isinstance(data, Mapping):
            raise TypeError(f"expected a JSON object for {cl.__name__}, got {type(data).__name__}")
        obj = base(data, cl)
        if not issubset(data):
            extra = {k: v for k, v in data.items() if k not in known}
            object.__setattr__(obj, "model_extra", extra)
        if not known.issubset(data):
            object.__setattr__(obj, "_unset", known.difference(data))
        return obj

    return structure_object


#: The classes whose structure functions are being made (a class may refer to itself).
_generating: set[type] = set()


def _structure_factory(cl: type[Any]) -> Callable[[Any, Any], Any]:
    if cl in _generating:
        raise RecursionError(f"{cl.__name__} refers to itself")
    _generating.add(cl)
    try:
        return _generated_structure(cl) if _plain(cl) else _cattrs_structure(cl)
    finally:
        _generating.discard(cl)


def _unstructure_factory(cl: type[Any]) -> Callable[[Any], dict[str, Any]]:
    overrides: dict[str, Any] = {
        "model_extra": override(omit=True),
        "_request_id": override(omit=True),
        "_unset": override(omit=True),
    }
    overrides.update(
        {f.name: override(rename=json_key(f)) for f in attrs.fields(cl) if JSON_KEY in f.metadata}
    )
    base = make_dict_unstructure_fn(cl, converter, **overrides)

    def unstructure_object(obj: Any) -> dict[str, Any]:
        data = base(obj)
        if obj.model_extra:
            data.update(obj.model_extra)
        return data

    return unstructure_object


#: The bases registered with :func:`register_object_base` (``BaseObject``).
_object_bases: list[type] = []


def _is_base_object(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, tuple(_object_bases))


def _is_parameterized_object(tp: Any) -> bool:
    """``ParsedChoice[T]``: a generic object class with its parameters."""
    return _is_base_object(get_origin(tp))


def register_object_base(base: type) -> None:
    """Structure and unstructure every subclass of ``base`` (attrs, frozen, slotted, with
    ``model_extra`` and ``_request_id`` slots) with the functions above, and a parameterized
    generic subclass as its class."""

    _object_bases.append(base)
    converter.register_structure_hook_factory(_is_base_object, _structure_factory)
    converter.register_unstructure_hook_factory(_is_base_object, _unstructure_factory)
    converter.register_structure_hook_factory(
        _is_parameterized_object, lambda tp: converter.get_structure_hook(get_origin(tp))
    )
    converter.register_unstructure_hook_factory(
        _is_parameterized_object, lambda tp: converter.get_unstructure_hook(get_origin(tp))
    )


def structure(data: Any, cl: type[T]) -> T:
    """Structure JSON data into ``cl``."""
    return converter.structure(data, cl)
