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
  it; an object to the object member that fits best: every required key of the member
  present, then the most of its known keys present, then the earliest member. An object no
  member fits goes to a mapping member (``dict[...]``, ``object``, a tagged union) if there is
  one, else structuring fails (TypeError), like a missing required key.

The hooks of API objects are registered for the base class ``_models.BaseObject`` defines
(:func:`register_object_base`), so this module knows no class of its own.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Final, Literal, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

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

_STRUCTURAL_FIELDS = frozenset({"model_extra", "_request_id", "_unset"})

#: The metadata key of a field whose JSON key differs from its name.
JSON_KEY: Final = "json_key"
#: The metadata key of a field this package adds to an API object (never sent back to the API).
NOT_SENT: Final = "not_sent"


def _key(field: attrs.Attribute[Any]) -> str:
    """The JSON key of a field."""
    key: str = field.metadata.get(JSON_KEY, field.name)
    return key


class Discriminator:
    """Marks a union of object types as tagged on ``key``: see the module's docstring."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def __repr__(self) -> str:
        return f"Discriminator({self.key!r})"


_NONE_TYPE = type(None)
_UNION_ORIGINS = (typing.Union, type(int | str))


def _discriminator(tp: Any) -> Discriminator | None:
    if get_origin(tp) is not Annotated:
        return None
    return next((m for m in tp.__metadata__ if isinstance(m, Discriminator)), None)


def _union_members(tp: Any) -> list[Any]:
    """The members of a union (or the one type), None left out."""
    args = get_args(tp) if get_origin(tp) in _UNION_ORIGINS else (tp,)
    return [a for a in args if a is not _NONE_TYPE]


def _takes_str(members: list[Any]) -> bool:
    return any(m is str or get_origin(m) is Literal for m in members)


def _literal_values(tp: Any) -> list[Any]:
    """The values of a Literal, or of the Literals of a union (``Literal[...] | str``)."""
    if get_origin(tp) is Literal:
        return list(get_args(tp))
    if get_origin(tp) in _UNION_ORIGINS:
        return [v for a in get_args(tp) if get_origin(a) is Literal for v in get_args(a)]
    return []


class _LazyHooks(dict[Any, Callable[[Any, Any], Any]]):
    """Structure hooks of union members, got on first use (a member may refer to its union)."""

    def __missing__(self, cl: Any) -> Callable[[Any, Any], Any]:
        hook = self[cl] = converter.get_structure_hook(cl)
        return hook


#: How well a JSON value fits a type: (mismatches, fields set). A mismatch is a value of the
#: wrong JSON kind, a Literal's value it does not name (an open enum's too: the API's type is
#: closed), a required key missing or a tag no member names; fields set counts the declared
#: keys present in every object, nested ones included (pydantic's ``fields_set`` count).
_Fit = tuple[int, int]
_FITS: _Fit = (0, 0)
_MISFITS: _Fit = (1, 0)
_fit_checks: dict[Any, Callable[[Any], _Fit]] = {}


def _fit_check(tp: Any) -> Callable[[Any], _Fit]:
    """The function measuring how well a JSON value fits ``tp`` (made once per type)."""
    try:
        return _fit_checks[tp]
    except KeyError:
        check = _fit_checks[tp] = _make_fit_check(tp)
        return check
    except TypeError:  # an unhashable type: not cached
        return _make_fit_check(tp)


def _better(a: _Fit, b: _Fit) -> bool:
    """Whether fit ``a`` beats ``b``: fewer mismatches, then more fields set."""
    return a[0] < b[0] or (a[0] == b[0] and a[1] > b[1])


def _best_of(checks: list[Callable[[Any], _Fit]], value: Any) -> _Fit:
    best = (1 << 30, -1)
    for check in checks:
        fit = check(value)
        if _better(fit, best):
            best = fit
    return best


def _make_fit_check(tp: Any) -> Callable[[Any], _Fit]:  # noqa: C901 (one case per type form)
    if tp is Any or tp is object or isinstance(tp, TypeVar):
        return lambda value: _FITS
    if tp in _PRIMITIVES:
        kinds = (int, float) if tp is float else (tp,)  # a JSON 1 is a float's value too
        return lambda value: _FITS if value.__class__ in kinds else _MISFITS
    if tp is _NONE_TYPE:
        return lambda value: _FITS if value is None else _MISFITS
    values = frozenset(_literal_values(tp)) if _is_open_enum(tp) else frozenset()
    if values or get_origin(tp) is Literal:  # Literal[...], Literal[...] | str
        values = values or frozenset(get_args(tp))
        takes_none = _NONE_TYPE in get_args(tp)

        def fit_literal(value: Any) -> _Fit:
            if value.__class__ in _PRIMITIVES and value in values:
                return _FITS
            return _FITS if value is None and takes_none else _MISFITS

        return fit_literal
    discriminator = _discriminator(tp)
    if discriminator is not None:
        key = discriminator.key
        sharing, _ = tagged_members(tp)
        tag_checks = {v: [_fit_check(m) for m in ms] for v, ms in sharing.items()}
        takes_str = _takes_str(_union_members(get_args(tp)[0]))

        def fit_tagged(value: Any) -> _Fit:
            if value.__class__ is dict or isinstance(value, Mapping):
                tag = value.get(key)
                checks = tag_checks.get(tag) if tag.__class__ in _PRIMITIVES else None
                return _best_of(checks, value) if checks else _MISFITS
            return _FITS if takes_str and value.__class__ is str else _MISFITS

        return fit_tagged
    if get_origin(tp) is Annotated:
        return _fit_check(get_args(tp)[0])
    if get_origin(tp) in _UNION_ORIGINS:
        member_checks = [_fit_check(m) for m in get_args(tp)]
        return lambda value: _best_of(member_checks, value)
    origin = get_origin(tp) or tp
    if origin in (list, tuple) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        args = get_args(tp)
        item = args[-1] if args and args[-1] is not Ellipsis else args[0] if args else Any
        kind = Mapping if origin not in (list, tuple) else list
        item_check: list[Callable[[Any], _Fit]] = []  # made on first use (a type may nest)

        def fit_collection(value: Any) -> _Fit:
            if not isinstance(value, kind):
                return _MISFITS
            if not item_check:
                item_check.append(_fit_check(item))
            check = item_check[0]
            mismatches = fields = 0
            for v in value.values() if kind is Mapping else value:
                m, f = check(v)
                mismatches += m
                fields += f
            return mismatches, fields

        return fit_collection
    if attrs.has(origin):
        return _object_fit_check(origin)
    return lambda value: _FITS  # a type the converter has its own hook for: taken as it is


def _object_fit_check(cl: type[Any]) -> Callable[[Any], _Fit]:
    attrs.resolve_types(cl)
    fields = [f for f in attrs.fields(cl) if f.name not in _STRUCTURAL_FIELDS]
    required = [_key(f) for f in fields if f.default is attrs.NOTHING]
    declared = [(_key(f), f.type) for f in fields]
    checks: list[tuple[str, Callable[[Any], _Fit]]] = []  # made on first use (self-reference)

    def fit_object(value: Any) -> _Fit:
        if value.__class__ is not dict and not isinstance(value, Mapping):
            return _MISFITS
        if not checks:
            checks.extend((k, _fit_check(t)) for k, t in declared)
        mismatches = sum(1 for k in required if k not in value)
        fields = 0
        for k, check in checks:
            v = value.get(k, _MISSING)
            if v is not _MISSING:
                m, f = check(v)
                mismatches += m
                fields += f + 1
        return mismatches, fields

    return fit_object


def _best_fit(members: list[Any], otherwise: Any = None) -> Callable[[Mapping[str, Any]], Any]:
    """A function picking, for a JSON object, the member class that fits it best: of those
    whose required keys are all present, the one whose values fit their declared types best
    (fewest mismatches: a value of the wrong kind, a Literal's value it does not name, at any
    depth), then the one with the most declared keys present (nested objects' too), then the
    earliest; ``otherwise`` when none has all its required keys. This is the pick of pydantic's
    smart unions (the SDK's), made lenient: a member that fits with mismatches still wins when
    none fits without."""
    classes = []
    for m in members:
        attrs.resolve_types(m)
        fields = [f for f in attrs.fields(m) if f.name not in _STRUCTURAL_FIELDS]
        required = frozenset(_key(f) for f in fields if f.default is attrs.NOTHING)
        classes.append((m, required, _fit_check(m)))

    def best_fit(value: Mapping[str, Any]) -> Any:
        best, best_fit, keys = otherwise, (1 << 30, -1), value.keys()
        for cl, required, fit in classes:
            if required <= keys:
                score = fit(value)
                if _better(score, best_fit):
                    best, best_fit = cl, score
        return best

    return best_fit


def tagged_members(tp: Any) -> tuple[dict[Any, list[Any]], Any]:
    """The members of ``Annotated[A | B | ..., Discriminator(key)]`` (nested tagged unions on
    the same key flattened): those of each tag value, in order, and the member without the
    tag field (the fallback, or None)."""
    discriminator = _discriminator(tp)
    if discriminator is None:
        raise TypeError(f"{tp!r} is not a tagged union")
    key = discriminator.key
    sharing: dict[Any, list[Any]] = {}
    fallback: Any = None
    pending = _union_members(get_args(tp)[0])
    while pending:
        member = pending.pop(0)
        nested = _discriminator(member)
        if nested is not None and nested.key == key:  # a tagged union inside: its members
            pending[:0] = _union_members(get_args(member)[0])
            continue
        if not attrs.has(member):
            continue  # a string member (``"auto"``): see takes_str
        attrs.resolve_types(member)
        field = attrs.fields_dict(member).get(key)
        values = _literal_values(field.type) if field is not None else []
        for value in values:
            sharing.setdefault(value, []).append(member)
        if not values:
            if fallback is not None:
                raise TypeError(f"{tp!r} has two members without a {key!r} tag")
            fallback = member
    return sharing, fallback


def _tagged_union_factory(tp: Any) -> Callable[[Any, Any], Any]:
    """The hook of ``Annotated[A | B | ..., Discriminator(key)]``. Members sharing a tag value
    (``"message"`` for an input and an output message) are told apart by their keys."""
    discriminator = _discriminator(tp)
    assert discriminator is not None
    key = discriminator.key
    sharing, fallback = tagged_members(tp)
    tags = {v: ms[0] for v, ms in sharing.items() if len(ms) == 1}
    shared = {v: _best_fit(ms, ms[0]) for v, ms in sharing.items() if len(ms) > 1}
    takes_str = _takes_str(_union_members(get_args(tp)[0]))
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
    return (
        get_origin(tp) in _UNION_ORIGINS and len(_union_members(tp)) > 1 and not _is_open_enum(tp)
    )


def _mapping_like(tp: Any) -> bool:
    origin = get_origin(tp) or tp
    return (
        tp is object
        or tp is Any
        or _discriminator(tp) is not None
        or (isinstance(origin, type) and issubclass(origin, Mapping))
    )


def _union_factory(tp: Any) -> Callable[[Any, Any], Any]:
    """The hook of a union that is neither tagged nor an open enum (see the module's rule)."""
    members = _union_members(tp)
    takes_none = _NONE_TYPE in get_args(tp)
    takes_str = _takes_str(members)
    takes_any = any(m is object or m is Any for m in members)
    takes_bool = bool in members
    takes_int = int in members
    takes_float = float in members
    arrays = [m for m in members if get_origin(m) in (list, tuple) or m in (list, tuple)]
    mapping = next((m for m in members if _mapping_like(m)), None)
    best_fit = _best_fit([m for m in members if _is_base_object(m)], mapping)
    hooks = _LazyHooks()

    def structure_union(value: Any, _: Any) -> Any:
        cls = value.__class__
        if cls is dict or isinstance(value, Mapping):
            cl = best_fit(value)
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
    lambda tp: _discriminator(tp) is not None, _tagged_union_factory
)
converter.register_structure_hook_func(lambda tp: tp is object, lambda value, _: value)
# A field typed by a class's type parameter holds a value made by the code that builds the
# object (a parsed output): kept as it is, and unstructured by its own class.
converter.register_structure_hook_func(lambda tp: isinstance(tp, TypeVar), lambda value, _: value)
converter.register_unstructure_hook_func(
    lambda tp: isinstance(tp, TypeVar), lambda value: converter.unstructure(value)
)


def _is_open_enum(tp: Any) -> bool:
    """``Literal[...] | str`` (the open enum form), possibly with None."""
    if get_origin(tp) not in (typing.Union, type(int | str)):
        return False
    args = get_args(tp)
    return str in args and all(
        a is str or a is type(None) or get_origin(a) is Literal for a in args
    )


def _structure_open_enum(value: Any, tp: Any) -> Any:
    # null is kept even where the API promises a value: a streamed snapshot's finish_reason
    # is null until its last chunk, and the SDK's snapshots keep it as None too
    if value is None:
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


_MISSING: Any = object()
#: The class of ``attrs.Factory(...)`` defaults (attrs types ``Factory`` as a function).
_FACTORY: type[Any] = type(attrs.Factory(list))


def _passes_unchanged(tp: Any) -> tuple[type, bool] | None:
    """(class, None allowed) when a value of exactly that class structures to itself.

    True of ``str``, ``int``, ``float``, ``bool``, their optional forms and open enums: their
    hooks return such a value unchanged, so the generated code skips the call for it.
    """
    if tp in _PRIMITIVES:
        return tp, False
    if _is_optional_primitive(tp):
        return next(a for a in get_args(tp) if a is not _NONE_TYPE), True
    if _is_open_enum(tp):
        return str, _NONE_TYPE in get_args(tp)
    return None


def _plain(cl: type[Any]) -> bool:
    """Whether ``cl.__init__`` only assigns its fields (so __new__ plus slot sets equal it)."""
    if not getattr(cl, "__attrs_attrs__", None) or "__slots__" not in cl.__dict__:
        return False
    if hasattr(cl, "__attrs_post_init__") or hasattr(cl, "__attrs_pre_init__"):
        return False
    for f in attrs.fields(cl):
        own_logic = f.validator is not None or f.converter is not None or not f.init
        if own_logic and f.name not in _STRUCTURAL_FIELDS:
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
    fields = [f for f in attrs.fields(cl) if f.name not in _STRUCTURAL_FIELDS]
    known = frozenset(_key(f) for f in fields)
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
        key = repr(_key(f))
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
    args = [a for a in get_args(tp) if a is not _NONE_TYPE]
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
    fields = [f for f in attrs.fields(cl) if f.name not in _STRUCTURAL_FIELDS]
    known = frozenset(_key(f) for f in fields)
    overrides: dict[str, Any] = {
        "model_extra": override(omit=True),
        "_unset": override(omit=True),
    }
    overrides.update({f.name: override(rename=_key(f)) for f in fields if JSON_KEY in f.metadata})
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
        {f.name: override(rename=_key(f)) for f in attrs.fields(cl) if JSON_KEY in f.metadata}
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
