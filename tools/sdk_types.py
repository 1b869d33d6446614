"""What the official SDK's types say, read from the installed ``openai`` package at run time.

:class:`SDKIndex` imports every module of ``openai.types`` and knows where each name is
defined; :class:`Collector` turns the definitions reachable from some roots into a small
type language (:data:`Type`, :class:`ClassDef`, :class:`AliasDef`) that ``gen_types.py``
writes out as aio_openai source. Only facts are read: module paths, names, fields, their types,
requiredness and JSON keys. No source text or docstring of the SDK is read or carried over.

Annotations come from two places:

- models (pydantic) are evaluated at import time: their annotation objects are walked, and an
  alias is recognised by identity among the names its module binds (``typing`` caches its
  objects, so one object may carry several names; the module's own name wins). A union alias
  that ``Optional[...]`` flattened into a bigger union is found again the same way;
- request parameters (TypedDicts) keep their annotations as strings, which are parsed and their
  names resolved in the module's namespace, so every alias keeps its name, and ``Required`` and
  ``NotRequired`` give requiredness (the runtime ``__required_keys__`` is wrong for them).
"""

from __future__ import annotations

import ast
import builtins
import collections.abc
import importlib
import inspect
import pkgutil
import sys
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import typing_extensions

SDK = "openai.types"


class Unsupported(Exception):
    """An SDK typing construct the generator cannot map (the message says which, and where)."""


# -- the type language ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A class or alias of the SDK, by the module that defines it and its name."""

    module: str
    name: str


@dataclass(frozen=True)
class Prim:
    """``str``, ``int``, ``float``, ``bool``, ``bytes``, ``object``, ``Any`` or ``None``."""

    name: str


@dataclass(frozen=True)
class Lit:
    """``Literal[...]``."""

    values: tuple[Any, ...]


@dataclass(frozen=True)
class Gen:
    """A generic: ``list``, ``dict``, ``tuple``, ``Iterable``, ``Sequence``, ``Mapping``,
    ``IO``, ``SequenceNotStr``."""

    origin: str
    args: tuple[Type, ...]


@dataclass(frozen=True)
class Union:
    """A union; None is a member like any other."""

    members: tuple[Type, ...]


@dataclass(frozen=True)
class Tagged:
    """A union of objects tagged by the key ``key`` (the SDK's discriminated unions)."""

    members: tuple[Type, ...]
    key: str


@dataclass(frozen=True)
class Helper:
    """A request-parameter helper of the SDK's ``_types`` (``FileTypes``, ``SequenceNotStr``)."""

    name: str


Type = Ref | Prim | Lit | Gen | Union | Tagged | Helper

NONE = Prim("None")


@dataclass(frozen=True)
class Field:
    """A field of a model or a key of a TypedDict."""

    name: str
    type: Type
    required: bool
    key: str | None = None  # the JSON key, when it is not the name
    factory: str | None = None  # an optional field's default made anew: "list" or "dict"


@dataclass
class ClassDef:
    """A pydantic model (``kind="model"``) or a TypedDict (``kind="params"``) of the SDK."""

    module: str
    name: str
    kind: str
    bases: tuple[Ref, ...]
    fields: list[Field]
    total: bool = True


@dataclass
class AliasDef:
    """A module-level type alias of the SDK."""

    module: str
    name: str
    type: Type


Def = ClassDef | AliasDef

# -- the index of openai.types -------------------------------------------------------------------

_PRIMS: dict[Any, str] = {
    str: "str",
    int: "int",
    float: "float",
    bool: "bool",
    bytes: "bytes",
    object: "object",
    Any: "Any",
    type(None): "None",
    None: "None",
}

_GENERICS: dict[Any, str] = {
    list: "list",
    typing.List: "list",  # noqa: UP006 - the SDK's spellings
    dict: "dict",
    typing.Dict: "dict",  # noqa: UP006
    tuple: "tuple",
    typing.Tuple: "tuple",  # noqa: UP006
    collections.abc.Iterable: "Iterable",
    typing.Iterable: "Iterable",
    collections.abc.Sequence: "Sequence",
    typing.Sequence: "Sequence",
    collections.abc.Mapping: "Mapping",
    typing.Mapping: "Mapping",
    typing.IO: "IO",
}

#: Names of the SDK's ``_types`` module that parameters use, mapped by name.
HELPERS = frozenset({"FileTypes", "SequenceNotStr", "Base64FileInput", "FileContent"})


def _special(obj: Any, *forms: str) -> bool:
    return any(obj is getattr(mod, f, None) for f in forms for mod in (typing, typing_extensions))


def is_model(obj: Any) -> bool:
    from openai._models import BaseModel

    return isinstance(obj, type) and issubclass(obj, BaseModel) and obj is not BaseModel


def is_typeddict(obj: Any) -> bool:
    return isinstance(obj, type) and typing_extensions.is_typeddict(obj)


def _is_alias_value(obj: Any) -> bool:
    """A typing construct a module may name (``Union[...]``, ``Literal[...]``, ``List[X]``)."""
    return typing.get_origin(obj) is not None and not isinstance(obj, type)


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and (not name[i - 1].isupper() or name[i + 1 : i + 2].islower()):
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def is_params_module(module: str) -> bool:
    return module.endswith(("_param", "_params")) or ".shared_params" in module


class SDKIndex:
    """Every module of ``openai.types`` and where each of its names is defined."""

    def __init__(self) -> None:
        import openai._types
        import openai.types

        self.modules: dict[str, types.ModuleType] = {SDK: openai.types}
        for info in pkgutil.walk_packages(openai.types.__path__, SDK + "."):
            self.modules[info.name] = importlib.import_module(info.name)
        self.packages = {n for n, m in self.modules.items() if hasattr(m, "__path__")}
        helpers = {id(getattr(openai._types, n)) for n in HELPERS if hasattr(openai._types, n)}
        self._helpers = helpers
        #: name -> [(defining module, object)] of every alias
        self.alias_sites: dict[str, list[tuple[str, Any]]] = {}
        listed: dict[str, set[int]] = {}
        for name, module in self.modules.items():
            for attr in getattr(module, "__all__", ()):
                obj = getattr(module, attr)
                if isinstance(obj, type) and obj.__module__ == name and obj.__qualname__ == attr:
                    continue  # a class, found through its own __module__
                self.alias_sites.setdefault(attr, []).append((name, obj))
                listed.setdefault(attr, set()).add(id(obj))
        # Names a module defines without listing them in __all__ (a union of its TypedDicts):
        # bound to a typing construct that no __all__ lists under that name, outside packages.
        for name, module in self.modules.items():
            if name in self.packages:
                continue
            for attr, obj in vars(module).items():
                if (
                    not attr.startswith("_")
                    and _is_alias_value(obj)
                    and id(obj) not in listed.get(attr, ())
                    and id(obj) not in helpers
                    and _snake(attr) == name.rsplit(".", 1)[1]
                ):
                    self.alias_sites.setdefault(attr, []).append((name, obj))

    def module(self, name: str) -> types.ModuleType:
        found = self.modules.get(name)
        if found is None:
            raise Unsupported(f"{name} is not a module of {SDK}")
        return found

    def definitions(self, module: str) -> list[str]:
        """The names ``module`` defines, in the order it lists them (classes and aliases)."""
        mod = self.module(module)
        names = list(getattr(mod, "__all__", ()))
        names += [n for n, sites in self.alias_sites.items() for m, _ in sites if m == module]
        return list(dict.fromkeys(names))

    def alias_site(self, name: str, obj: Any, ctx: str) -> tuple[str, str] | None:
        """Where the alias ``name`` (bound to ``obj`` in module ``ctx``) is defined."""
        sites = [m for m, o in self.alias_sites.get(name, ()) if o is obj]
        if not sites:
            return None
        if ctx in sites:
            return ctx, name

        def closeness(module: str) -> tuple[int, bool, str]:
            common = len(_common_prefix(module.split("."), ctx.split(".")))
            same_kind = is_params_module(module) == is_params_module(ctx)
            return (-common, not same_kind, module)

        return min(sites, key=closeness), name

    def site_of_object(self, obj: Any, ctx: str) -> tuple[str, str] | None:
        """The alias ``obj`` is, by a name module ``ctx`` binds to it (the module's own first)."""
        if not _is_alias_value(obj):
            return None
        found = []
        for attr, value in vars(self.module(ctx)).items():
            if value is obj and not attr.startswith("_"):
                site = self.alias_site(attr, obj, ctx)
                if site is not None:
                    found.append(site)
        if not found:
            return None
        own = [s for s in found if s[0] == ctx]
        return (own or sorted(found))[0]

    def is_helper(self, obj: Any) -> bool:
        return id(obj) in self._helpers


def _common_prefix(a: list[str], b: list[str]) -> list[str]:
    out = []
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        out.append(x)
    return out


# -- annotations to the type language ------------------------------------------------------------


class Reader:
    """Turns the SDK's annotations into the type language, noting every definition they name."""

    def __init__(self, index: SDKIndex) -> None:
        self.index = index
        self.seen: list[Ref] = []  # every Ref made, in order (the collector follows them)

    def _ref(self, module: str, name: str) -> Ref:
        ref = Ref(module, name)
        self.seen.append(ref)
        return ref

    def class_ref(self, cls: type, where: str) -> Type:
        if cls in _PRIMS:
            return Prim(_PRIMS[cls])
        if (is_model(cls) or is_typeddict(cls)) and cls.__module__.startswith(SDK + "."):
            if "." in cls.__qualname__:
                raise Unsupported(f"{where}: nested class {cls.__qualname__}")
            return self._ref(cls.__module__, cls.__qualname__)
        raise Unsupported(f"{where}: class {cls.__module__}.{cls.__qualname__}")

    # runtime objects (models, alias values)

    def from_object(self, tp: Any, ctx: str, where: str, *, top: bool = False) -> Type:
        """The type of a runtime annotation object found in module ``ctx``."""
        if not top:
            site = self.index.site_of_object(tp, ctx)
            if site is not None:
                return self._ref(*site)
        if tp is None or tp is type(None) or tp is Any:
            return Prim(_PRIMS[tp])
        if isinstance(tp, str | typing.ForwardRef):
            text = tp if isinstance(tp, str) else tp.__forward_arg__
            return self.from_source(text, ctx, where)[0]
        if isinstance(tp, type):
            return self.class_ref(tp, where)
        if self.index.is_helper(tp):
            raise Unsupported(f"{where}: an SDK helper type in a model")
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is typing.Annotated:
            return self._annotated(self.from_object(args[0], ctx, where), tp.__metadata__, where)
        if origin is typing.Union:
            return Union(self._union_members(tp, ctx, where))
        if origin is typing.Literal:
            return Lit(args)
        if origin in _GENERICS:
            return Gen(_GENERICS[origin], tuple(self.from_object(a, ctx, where) for a in args))
        raise Unsupported(f"{where}: {tp!r}")

    def _union_members(self, tp: Any, ctx: str, where: str) -> tuple[Type, ...]:
        """The members of a union, with union aliases that ``typing`` flattened into it found
        again among the aliases module ``ctx`` names."""
        args = list(typing.get_args(tp))
        members: list[tuple[int, Type]] = []
        candidates = sorted(
            (
                (attr, value)
                for attr, value in vars(self.index.module(ctx)).items()
                if typing.get_origin(value) is typing.Union
                and value is not tp
                and len(set(typing.get_args(value))) < len(set(args))
                and set(typing.get_args(value)) <= set(args)
                and (
                    self.index.alias_site(attr, value, ctx) is not None
                    or self.index.is_helper(value)
                )
            ),
            key=lambda item: (-len(typing.get_args(item[1])), item[0]),
        )
        for attr, value in candidates:
            inner = set(typing.get_args(value))
            if inner <= set(args):
                position = min(args.index(a) for a in inner)
                site = self.index.alias_site(attr, value, ctx)
                members.append((position, Helper(attr) if site is None else self._ref(*site)))
                args = [a if a not in inner else _TAKEN for a in args]
        for position, arg in enumerate(args):
            if arg is not _TAKEN:
                members.append((position, self.from_object(arg, ctx, where)))
        return tuple(t for _, t in sorted(members, key=lambda m: m[0]))

    def _annotated(self, inner: Type, metadata: tuple[Any, ...], where: str) -> Type:
        from openai._utils._transform import PropertyInfo

        for meta in metadata:
            if isinstance(meta, PropertyInfo):
                if meta.format is None and meta.alias is not None and "-" in meta.alias:
                    return inner  # a header (``betas`` as openai-beta): the resource sends it
                if meta.alias is not None or meta.format is not None:
                    raise Unsupported(f"{where}: {meta!r} (a renamed or formatted parameter)")
                if meta.discriminator is not None:
                    members = inner.members if isinstance(inner, Union) else (inner,)
                    return Tagged(members, meta.discriminator)
            elif type(meta).__name__ != "Strict":  # pydantic strictness: no meaning here
                raise Unsupported(f"{where}: Annotated metadata {meta!r}")
        return inner

    # annotation strings (TypedDicts, method signatures)

    def from_source(self, text: str, ctx: str, where: str) -> tuple[Type, bool | None]:
        """The type of an annotation string in module ``ctx``, and True for ``Required[...]``,
        False for ``NotRequired[...]``, None otherwise."""
        node = ast.parse(text, mode="eval").body
        return self._node(node, ctx, where)

    def resolve(self, node: ast.expr, ctx: str, where: str) -> Any:
        if isinstance(node, ast.Name):
            namespace = vars(sys.modules[ctx])
            if node.id in namespace:
                return namespace[node.id]
            if hasattr(builtins, node.id):
                return getattr(builtins, node.id)
            raise Unsupported(f"{where}: unknown name {node.id}")
        if isinstance(node, ast.Attribute):
            return getattr(self.resolve(node.value, ctx, where), node.attr)
        raise Unsupported(f"{where}: {ast.unparse(node)}")

    def _node(self, node: ast.expr, ctx: str, where: str) -> tuple[Type, bool | None]:
        if isinstance(node, ast.Constant):
            if node.value is None:
                return NONE, None
            if isinstance(node.value, str):
                return self.from_source(node.value, ctx, where)
            raise Unsupported(f"{where}: constant {node.value!r}")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            left = self._node(node.left, ctx, where)[0]
            right = self._node(node.right, ctx, where)[0]
            return Union(_flat(left) + _flat(right)), None
        if isinstance(node, ast.Name | ast.Attribute):
            return self._named(node, ctx, where), None
        if not isinstance(node, ast.Subscript):
            raise Unsupported(f"{where}: {ast.unparse(node)}")
        head = self.resolve(node.value, ctx, where)
        items = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if _special(head, "Required"):
            return self._node(items[0], ctx, where)[0], True
        if _special(head, "NotRequired"):
            return self._node(items[0], ctx, where)[0], False
        if _special(head, "Optional"):
            return Union((*_flat(self._node(items[0], ctx, where)[0]), NONE)), None
        if _special(head, "Union"):
            members: tuple[Type, ...] = ()
            for item in items:
                members += _flat(self._node(item, ctx, where)[0])
            return Union(members), None
        if _special(head, "Literal"):
            values = []
            for item in items:
                if not isinstance(item, ast.Constant):
                    raise Unsupported(f"{where}: Literal of {ast.unparse(item)}")
                values.append(item.value)
            return Lit(tuple(values)), None
        if _special(head, "Annotated"):
            inner, required = self._node(items[0], ctx, where)
            metadata = tuple(
                eval(compile(ast.Expression(m), "<annotation>", "eval"), vars(sys.modules[ctx]))
                for m in items[1:]
            )
            return self._annotated(inner, metadata, where), required
        if self.index.is_helper(head) or head is _sequence_not_str():
            name = node.value.id if isinstance(node.value, ast.Name) else ast.unparse(node.value)
            if name != "SequenceNotStr":
                raise Unsupported(f"{where}: {ast.unparse(node)}")
            return Gen("SequenceNotStr", (self._node(items[0], ctx, where)[0],)), None
        if head in _GENERICS:
            args = tuple(self._node(i, ctx, where)[0] for i in items)
            return Gen(_GENERICS[head], args), None
        raise Unsupported(f"{where}: {ast.unparse(node)}")

    def _named(self, node: ast.Name | ast.Attribute, ctx: str, where: str) -> Type:
        obj = self.resolve(node, ctx, where)
        name = node.id if isinstance(node, ast.Name) else node.attr
        if obj in _PRIMS and not _is_alias_value(obj):
            return Prim(_PRIMS[obj])
        if isinstance(obj, type):
            return self.class_ref(obj, where)
        if self.index.is_helper(obj):
            return Helper(name)
        site = self.index.alias_site(name, obj, ctx)
        if site is None:
            site = self.index.site_of_object(obj, ctx)
        if site is None:
            raise Unsupported(f"{where}: {name} is not a definition of {SDK}")
        return self._ref(*site)


_TAKEN: Any = object()


def _sequence_not_str() -> Any:
    import openai._types

    return openai._types.SequenceNotStr


def _flat(t: Type) -> tuple[Type, ...]:
    return t.members if isinstance(t, Union) else (t,)


# -- definitions reachable from roots ------------------------------------------------------------


@dataclass
class Collector:
    """The definitions reachable from some roots, whole modules at a time.

    Reaching one name of a module brings the whole module (as ``from openai.types.x import Y``
    works for every Y the SDK's module defines); each definition brings what it names.
    """

    index: SDKIndex
    defs: dict[tuple[str, str], Def] = field(default_factory=dict)
    modules: dict[str, list[str]] = field(default_factory=dict)  # module -> names, in order
    #: params TypedDict -> the method paths it is the parameters of
    params_of: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    #: definitions that cannot be mapped -> why; an error only where one would be generated
    #: (a hand-written module may define it instead: a renamed request parameter)
    unmapped: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.reader = Reader(self.index)

    def add_root(self, root: str) -> None:
        """A module, a class or alias (dotted, under ``openai.types``) or a method path."""
        if root == SDK or root.startswith(SDK + "."):
            if root in self.index.modules:
                self.add_module(root)
                return
            module, _, name = root.rpartition(".")
            if name not in self.index.definitions(module):
                raise Unsupported(f"{root}: no such definition")
            self.add_module(module)
            return
        from openai import AsyncOpenAI

        obj: Any = AsyncOpenAI(api_key="sk-generator", base_url="http://127.0.0.1:9/v1")
        for part in root.split("."):
            try:
                obj = getattr(obj, part)
            except AttributeError:
                raise Unsupported(f"{root}: no such method or resource of AsyncOpenAI") from None
        self._add_call(root, obj)
        self._drain()

    def _add_call(self, path: str, obj: Any) -> None:
        """A method, or every method of a resource and of the resources under it."""
        if inspect.ismethod(obj):
            self._add_method(path, obj)
            return
        if not type(obj).__module__.startswith("openai.resources"):
            raise Unsupported(f"{path}: not a method or resource of AsyncOpenAI")
        for name in sorted(dir(type(obj))):
            if name.startswith("_") or name.startswith("with_"):
                continue
            static = inspect.getattr_static(type(obj), name)
            value = getattr(obj, name)
            if inspect.isfunction(static) or type(value).__module__.startswith("openai.resources"):
                self._add_call(f"{path}.{name}", value)

    def add_module(self, module: str) -> None:
        self._add_module(module)
        self._drain()

    def _add_module(self, module: str) -> None:
        if module in self.modules:
            return
        names = self.index.definitions(module)
        self.modules[module] = names
        for name in names:
            self._define(module, name)

    def _drain(self) -> None:
        while self.reader.seen:
            ref = self.reader.seen.pop()
            self._add_module(ref.module)
            if (ref.module, ref.name) not in self.defs:  # a private base class
                self.modules[ref.module].insert(0, ref.name)
                self._define(ref.module, ref.name)

    def _define(self, module: str, name: str) -> None:
        try:
            self._define_one(module, name)
        except Unsupported as exc:
            self.unmapped[module, name] = str(exc)

    def _define_one(self, module: str, name: str) -> None:
        obj = getattr(self.index.module(module), name)
        where = f"{module}.{name}"
        if isinstance(obj, type) and obj.__module__ == module and obj.__qualname__ == name:
            if is_model(obj):
                self.defs[module, name] = self._model(obj, module, where)
            elif is_typeddict(obj):
                self.defs[module, name] = self._typeddict(obj, module, where)
            else:
                raise Unsupported(f"{where}: a class that is neither a model nor a TypedDict")
        else:
            kind = self.reader.from_object(obj, module, where, top=True)
            self.defs[module, name] = AliasDef(module, name, kind)

    def _model(self, cls: type, module: str, where: str) -> ClassDef:
        from openai._models import BaseModel

        if getattr(cls, "__parameters__", ()):
            raise Unsupported(f"{where}: a generic model")
        bases = []
        for base in cls.__bases__:
            if base is BaseModel:
                continue
            ref = self.reader.class_ref(base, where)
            if not isinstance(ref, Ref):
                raise Unsupported(f"{where}: base {base!r}")
            bases.append(ref)
        own = inspect.get_annotations(cls)
        fields = []
        for name, info in cls.model_fields.items():  # type: ignore[attr-defined]
            if name not in own:
                continue  # inherited
            kind = self.reader.from_object(own[name], module, f"{where}.{name}")
            key = info.alias if info.alias and info.alias != name else None
            factory = None
            if not info.is_required():
                if info.default_factory in (list, dict):
                    factory = info.default_factory.__name__
                elif info.default is not None:
                    raise Unsupported(f"{where}.{name}: the default {info.default!r}")
            fields.append(Field(name, kind, info.is_required(), key, factory))
        return ClassDef(module, cls.__name__, "model", tuple(bases), fields)

    def _typeddict(self, cls: type, module: str, where: str) -> ClassDef:
        bases = [b for b in getattr(cls, "__orig_bases__", ()) if is_typeddict(b)]
        inherited: set[str] = set()
        for base in bases:
            inherited |= set(base.__annotations__)
        total = bool(getattr(cls, "__total__", True))
        fields = []
        for name, annotation in cls.__annotations__.items():
            if name in inherited:
                continue
            text = annotation.__forward_arg__ if isinstance(annotation, typing.ForwardRef) else None
            if text is None:  # an evaluated annotation (a functional TypedDict)
                marker: Any = typing.get_origin(annotation)
                required = {typing.Required: True, typing.NotRequired: False}.get(marker)
                if required is not None:
                    annotation = typing.get_args(annotation)[0]
                kind = self.reader.from_object(annotation, module, f"{where}.{name}")
            else:
                kind, required = self.reader.from_source(text, module, f"{where}.{name}")
            fields.append(Field(name, kind, total if required is None else required))
        refs = tuple(self.reader.class_ref(b, where) for b in bases)
        return ClassDef(module, cls.__name__, "params", refs, fields, total)  # type: ignore[arg-type]

    def _add_method(self, path: str, obj: Any) -> None:
        """A resource method of ``AsyncOpenAI``: the types its signature names, and its params
        module (``openai.types...<resource>_<method>_params``) whole."""
        ctx = obj.__module__
        signature = inspect.signature(obj)
        texts = [signature.return_annotation]
        texts += [p.annotation for p in signature.parameters.values()]
        for text in texts:
            if isinstance(text, str):
                for ref in self._named_types(text, ctx, path):
                    self._add_module(ref.module)
        method = path.rsplit(".", 1)[1]
        for value in vars(sys.modules[ctx]).values():
            if (
                isinstance(value, types.ModuleType)
                and value.__name__.startswith(SDK + ".")
                and value.__name__.endswith(f"_{method}_params")
            ):
                self._add_module(value.__name__)
                stem = "".join(p.title() for p in value.__name__.rsplit(".", 1)[1].split("_"))
                for name in self.index.definitions(value.__name__):
                    d = self.defs.get((value.__name__, name))
                    if isinstance(d, ClassDef) and name.lower().startswith(stem.lower()):
                        self.params_of.setdefault((d.module, d.name), []).append(path)

    def _named_types(self, text: str, ctx: str, where: str) -> Iterator[Ref]:
        """The SDK definitions an annotation string of a resource module names."""
        for node in ast.walk(ast.parse(text, mode="eval")):
            if not isinstance(node, ast.Name | ast.Attribute):
                continue
            try:
                obj = self.reader.resolve(node, ctx, where)
            except (Unsupported, AttributeError):
                continue
            name = node.id if isinstance(node, ast.Name) else node.attr
            if isinstance(obj, type) and (is_model(obj) or is_typeddict(obj)):
                if obj.__module__.startswith(SDK + "."):
                    yield Ref(obj.__module__, obj.__qualname__)
            elif _is_alias_value(obj):
                sites = [m for m, o in self.index.alias_sites.get(name, ()) if o is obj]
                if sites:
                    yield Ref(sorted(sites)[0], name)
