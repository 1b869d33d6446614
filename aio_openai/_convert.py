"""The private cattrs Converter: response JSON to attrs types, leniently and fast.

- Unknown keys are kept in ``model_extra`` (not rejected), so new API fields never break.
- Open enums are written ``Literal[...] | str``: any string passes through.
- Structure functions are generated once per class, without detailed validation: one dict
  lookup and one slot set per field, and no hook call for a value that already has the
  declared primitive type (cattrs' own generated functions serve classes that need their
  ``__init__``).
- Unstructuring puts unknown keys back, so an object turns into the JSON it came from.

The hooks of API objects are registered for the base class ``_models.BaseObject`` defines
(:func:`register_object_base`), so this module knows no class of its own.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

__all__ = ["converter", "register_object_base", "structure"]

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


_MISSING: Any = object()
#: The class of ``attrs.Factory(...)`` defaults (attrs types ``Factory`` as a function).
_FACTORY: type[Any] = type(attrs.Factory(list))
_NONE_TYPE = type(None)


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
        if own_logic and f.name != "_request_id":
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
    which ``the base class's ``__getattr__```` supplies.
    """
    attrs.resolve_types(cl)
    ns: dict[str, Any] = {
        "cl": cl,
        "new": cl.__new__,
        "Mapping": Mapping,
        "M": _MISSING,
        "set_extra": _slot(cl, "model_extra").__set__,
    }
    fields = [f for f in attrs.fields(cl) if f.name not in _STRUCTURAL_FIELDS]
    known = frozenset(f.name for f in fields)
    ns["known_superset"] = known.issuperset
    ns["known"] = known
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
        key = repr(f.name)
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
    lines += [  # model_extra and _request_id stay unset at their defaults (see BaseObject)
        "    if not known_superset(o):",
        "        set_extra(obj, {k: v for k, v in o.items() if k not in known})",
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

    def structure_object(data: Any, _: Any) -> Any:
        if not isinstance(data, Mapping):
            raise TypeError(f"expected a JSON object for {cl.__name__}, got {type(data).__name__}")
        obj = base(data, cl)
        if not issubset(data):
            extra = {k: v for k, v in data.items() if k not in known}
            object.__setattr__(obj, "model_extra", extra)
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
    base = make_dict_unstructure_fn(
        cl,
        converter,
        model_extra=override(omit=True),
        _request_id=override(omit=True),
    )

    def unstructure_object(obj: Any) -> dict[str, Any]:
        data = base(obj)
        if obj.model_extra:
            data.update(obj.model_extra)
        return data

    return unstructure_object


def register_object_base(base: type) -> None:
    """Structure and unstructure every subclass of ``base`` (attrs, frozen, slotted, with
    ``model_extra`` and ``_request_id`` slots) with the functions above."""

    def is_object(tp: Any) -> bool:
        return isinstance(tp, type) and issubclass(tp, base)

    converter.register_structure_hook_factory(is_object, _structure_factory)
    converter.register_unstructure_hook_factory(is_object, _unstructure_factory)


def structure(data: Any, cl: type[T]) -> T:
    """Structure JSON data into ``cl``."""
    return converter.structure(data, cl)
