"""How well a JSON value fits a type: the measure by which an untagged union (and the members
of a tagged union sharing a tag) picks the member an object becomes (see ``_convert``), and the
forms of types it reads (unions, tagged unions, Literals, open enums).
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Final, Literal, TypeVar, get_args, get_origin

import attrs

STRUCTURAL_FIELDS = frozenset({"model_extra", "_request_id", "_unset"})

#: The metadata key of a field whose JSON key differs from its name.
JSON_KEY: Final = "json_key"
#: The metadata key of a field this package adds to an API object (never sent back to the API).
NOT_SENT: Final = "not_sent"


def json_key(field: attrs.Attribute[Any]) -> str:
    """The JSON key of a field."""
    key: str = field.metadata.get(JSON_KEY, field.name)
    return key


class Discriminator:
    """Marks a union of object types as tagged on ``key``: see ``_convert``'s docstring."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def __repr__(self) -> str:
        return f"Discriminator({self.key!r})"


NONE_TYPE = type(None)
UNION_ORIGINS = (typing.Union, type(int | str))
PRIMITIVES = (str, int, float, bool)


def is_open_enum(tp: Any) -> bool:
    """``Literal[...] | str`` (the open enum form), possibly with None."""
    if get_origin(tp) not in (typing.Union, type(int | str)):
        return False
    args = get_args(tp)
    return str in args and all(
        a is str or a is type(None) or get_origin(a) is Literal for a in args
    )


def discriminator_of(tp: Any) -> Discriminator | None:
    if get_origin(tp) is not Annotated:
        return None
    return next((m for m in tp.__metadata__ if isinstance(m, Discriminator)), None)


def union_members(tp: Any) -> list[Any]:
    """The members of a union (or the one type), None left out."""
    args = get_args(tp) if get_origin(tp) in UNION_ORIGINS else (tp,)
    return [a for a in args if a is not NONE_TYPE]


def admits_str(members: list[Any]) -> bool:
    return any(m is str or get_origin(m) is Literal for m in members)


def literal_values(tp: Any) -> list[Any]:
    """The values of a Literal, or of the Literals of a union (``Literal[...] | str``)."""
    if get_origin(tp) is Literal:
        return list(get_args(tp))
    if get_origin(tp) in UNION_ORIGINS:
        return [v for a in get_args(tp) if get_origin(a) is Literal for v in get_args(a)]
    return []


#: How well a JSON value fits a type: (misfits, unknown enum values, fields set). A misfit is
#: a value of the wrong JSON kind, a closed Literal's value it does not name, a required key
#: missing or a tag no member names; an open enum's value it does not name (``Literal[...] |
#: str``: the SDK's type is the closed Literal) counts apart, as the SDK's lenient fallback
#: would; fields set counts the declared keys present in every object, nested ones included
#: (pydantic's ``fields_set`` count).
_Fit = tuple[int, int, int]
_FITS: _Fit = (0, 0, 0)
_MISFITS: _Fit = (1, 0, 0)
_UNKNOWN: _Fit = (0, 1, 0)
_WORST: _Fit = (1 << 30, 1, 0)
_fit_checks: dict[Any, Callable[[Any], _Fit]] = {}
_ABSENT: Any = object()


def fit_check(tp: Any) -> Callable[[Any], _Fit]:
    """The function measuring how well a JSON value fits ``tp`` (made once per type)."""
    try:
        return _fit_checks[tp]
    except KeyError:
        check = _fit_checks[tp] = _make_fit_check(tp)
        return check
    except TypeError:  # an unhashable type: not cached
        return _make_fit_check(tp)


def _rank(fit: _Fit) -> tuple[int, bool, int]:
    """A fit's rank (lower is better): fewest misfits; then a value the SDK validates (no
    unknown enum value) with the most fields set; the others equal (the SDK's fallback takes
    the earliest member)."""
    return fit[0], fit[1] > 0, -fit[2] if fit[1] == 0 else 0


def _best_of(checks: list[Callable[[Any], _Fit]], value: Any) -> _Fit:
    best, best_rank = _WORST, _rank(_WORST)
    for check in checks:
        fit = check(value)
        rank = _rank(fit)
        if rank < best_rank:
            best, best_rank = fit, rank
    return best


def _sure_kinds(tp: Any) -> frozenset[type]:
    """The classes of JSON values that fit ``tp`` whatever they hold (``str`` for ``str | X``):
    a fit check's shortcut."""
    if tp in PRIMITIVES:
        return frozenset((int, float)) if tp is float else frozenset((tp,))
    if tp is NONE_TYPE:
        return frozenset((NONE_TYPE,))
    if get_origin(tp) in UNION_ORIGINS and not (is_open_enum(tp) and literal_values(tp)):
        return frozenset().union(*(_sure_kinds(m) for m in get_args(tp)))
    if get_origin(tp) is Annotated and discriminator_of(tp) is None:
        return _sure_kinds(get_args(tp)[0])
    if is_open_enum(tp) and NONE_TYPE in get_args(tp):
        return frozenset((NONE_TYPE,))
    return frozenset()


def _make_fit_check(tp: Any) -> Callable[[Any], _Fit]:
    if tp is Any or tp is object or isinstance(tp, TypeVar):
        return lambda value: _FITS
    if tp in PRIMITIVES:
        kinds = (int, float) if tp is float else (tp,)  # a JSON 1 is a float's value too
        return lambda value: _FITS if value.__class__ in kinds else _MISFITS
    if tp is NONE_TYPE:
        return lambda value: _FITS if value is None else _MISFITS
    values = frozenset(literal_values(tp)) if is_open_enum(tp) else frozenset()
    if values or get_origin(tp) is Literal:  # Literal[...], Literal[...] | str
        values = values or frozenset(get_args(tp))
        takes_none = NONE_TYPE in get_args(tp)

        open_enum = str in get_args(tp)

        def fit_literal(value: Any) -> _Fit:
            if value.__class__ in PRIMITIVES and value in values:
                return _FITS
            if value is None:
                return _FITS if takes_none else _MISFITS
            return _UNKNOWN if open_enum and value.__class__ is str else _MISFITS

        return fit_literal
    discriminator = discriminator_of(tp)
    if discriminator is not None:
        key = discriminator.key
        sharing, fallback = tagged_members(tp)
        tag_checks = {v: [fit_check(m) for m in ms] for v, ms in sharing.items()}
        # a tag no member names: a newer one the fallback keeps (as an open enum's value), or
        # a misfit where there is no fallback
        untagged = _MISFITS if fallback is None else _UNKNOWN
        takes_str = admits_str(union_members(get_args(tp)[0]))

        def fit_tagged(value: Any) -> _Fit:
            if value.__class__ is dict or isinstance(value, Mapping):
                tag = value.get(key)
                checks = tag_checks.get(tag) if tag.__class__ in PRIMITIVES else None
                return _best_of(checks, value) if checks else untagged
            return _FITS if takes_str and value.__class__ is str else _MISFITS

        return fit_tagged
    if get_origin(tp) is Annotated:
        return fit_check(get_args(tp)[0])
    if get_origin(tp) in UNION_ORIGINS:
        member_checks = [fit_check(m) for m in get_args(tp)]
        sure = _sure_kinds(tp)
        # the converter passes any string where a Literal admits strings: another value is new
        strings = admits_str(union_members(tp))

        def fit_union(value: Any) -> _Fit:
            if value.__class__ in sure:
                return _FITS
            fit = _best_of(member_checks, value)
            return _UNKNOWN if fit[0] and strings and value.__class__ is str else fit

        return fit_union
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
                item_check.append(fit_check(item))
            check = item_check[0]
            misfits = unknown = fields = 0
            for v in value.values() if isinstance(value, Mapping) else value:
                m, u, f = check(v)
                misfits += m
                unknown += u
                fields += f
            return misfits, unknown, fields

        return fit_collection
    if attrs.has(origin):
        return _object_fit_check(origin)
    return lambda value: _FITS  # a type the converter has its own hook for: taken as it is


def _object_fit_check(cl: type[Any]) -> Callable[[Any], _Fit]:
    attrs.resolve_types(cl)
    fields = [f for f in attrs.fields(cl) if f.name not in STRUCTURAL_FIELDS]
    required = [json_key(f) for f in fields if f.default is attrs.NOTHING]
    declared = [(json_key(f), f.type) for f in fields]
    #: (key, the classes sure to fit, the check): made on first use (a class may refer to itself)
    checks: list[tuple[str, frozenset[type], Callable[[Any], _Fit]]] = []

    def fit_object(value: Any) -> _Fit:
        if value.__class__ is not dict and not isinstance(value, Mapping):
            return _MISFITS
        if not checks:
            checks.extend((k, _sure_kinds(t), fit_check(t)) for k, t in declared)
        misfits = sum(1 for k in required if k not in value)
        unknown = fields = 0
        for k, sure, check in checks:
            v = value.get(k, _ABSENT)
            if v.__class__ in sure:
                fields += 1
            elif v is not _ABSENT:
                m, u, f = check(v)
                misfits += m
                unknown += u
                fields += f + 1
        return misfits, unknown, fields

    return fit_object


def member_picker(members: list[Any], otherwise: Any = None) -> Callable[[Mapping[str, Any]], Any]:
    """A function picking, for a JSON object, the member class that fits it best: of those
    whose required keys are all present, the one whose values fit their declared types with
    the fewest misfits (see ``_Fit``; at any depth); then one the SDK would validate (no
    unknown enum value) with the most declared keys present (nested objects' too); then the
    earliest. ``otherwise`` when none has all its required keys; the only member that has them
    wins unmeasured. This is the pick of pydantic's smart unions (the SDK's), made lenient."""
    classes = []
    for m in members:
        attrs.resolve_types(m)
        fields = [f for f in attrs.fields(m) if f.name not in STRUCTURAL_FIELDS]
        required = frozenset(json_key(f) for f in fields if f.default is attrs.NOTHING)
        classes.append((m, required, fit_check(m)))

    def pick(value: Mapping[str, Any]) -> Any:
        keys = value.keys()
        candidates = [c for c in classes if c[1] <= keys]
        if len(candidates) < 2:  # nothing to compare: no fit measured
            return candidates[0][0] if candidates else otherwise
        best, best_rank = otherwise, _rank(_WORST)
        for cl, _, fit in candidates:
            rank = _rank(fit(value))
            if rank < best_rank:
                best, best_rank = cl, rank
        return best

    return pick


def tagged_members(tp: Any) -> tuple[dict[Any, list[Any]], Any]:
    """The members of ``Annotated[A | B | ..., Discriminator(key)]`` (nested tagged unions on
    the same key flattened): those of each tag value, in order, and the member without the
    tag field (the fallback, or None)."""
    discriminator = discriminator_of(tp)
    if discriminator is None:
        raise TypeError(f"{tp!r} is not a tagged union")
    key = discriminator.key
    sharing: dict[Any, list[Any]] = {}
    fallback: Any = None
    pending = union_members(get_args(tp)[0])
    while pending:
        member = pending.pop(0)
        nested = discriminator_of(member)
        if nested is not None and nested.key == key:  # a tagged union inside: its members
            pending[:0] = union_members(get_args(member)[0])
            continue
        if not attrs.has(member):
            continue  # a string member (``"auto"``): see takes_str
        attrs.resolve_types(member)
        field = attrs.fields_dict(member).get(key)
        values = literal_values(field.type) if field is not None else []
        for value in values:
            sharing.setdefault(value, []).append(member)
        if not values:
            if fallback is not None:
                raise TypeError(f"{tp!r} has two members without a {key!r} tag")
            fallback = member
    return sharing, fallback
