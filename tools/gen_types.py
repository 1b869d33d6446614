"""Write aio_openai's types from the SDK's: ``python tools/gen_types.py [--check] [ROOT...]``.

The installed ``openai`` package is read at run time (``tools/sdk_types.py``): the names, fields,
types and requiredness of its types. From those facts this writes our own source under
``aio_openai/types/``, at the SDK's module paths (``openai.types.x.y`` ->
``aio_openai/types/x/y.py``) with the SDK's names. No SDK source text or docstring is copied.

Roots
    ``tools/gen_types.roots`` lists the roots, one a line: a method or a resource of
    ``AsyncOpenAI`` (``files.create``; ``vector_stores`` for all its methods, nested resources
    included), whose signature's types and params module are taken, or a module, class or alias
    of ``openai.types``. ROOTs given on the command line are added to that file. Every run
    regenerates everything the roots reach, whole SDK modules at a time; generated files the
    roots no longer reach are deleted. ``--check`` writes nothing and exits 1 if a run would
    change any file (a test runs it, so a newer SDK that changes the types is noticed).

What is written
    - response models: ``@attrs.frozen(kw_only=True)`` subclasses of ``BaseObject`` (slotted,
      unknown keys kept in ``model_extra``); a field whose JSON key is not a Python name
      carries it as ``metadata={"json_key": ...}``;
    - request parameters: TypedDicts with the SDK's ``total`` and ``Required[...]`` keys;
    - aliases: ``TypeAlias`` assignments (Literal unions, unions, ``dict[str, str]``...).
    Each module gets ``__all__``; each package an ``__init__.py`` re-exporting what the SDK's
    package re-exports, lazily (``types/_lazy.py``: nothing is imported with the package, and
    mypy sees the names through ``if TYPE_CHECKING:`` imports).

Field rules of the response models
    - Types are the SDK's, except that enums are open: a Literal (inline or an alias) in a
      field also admits the class of its values (``str``; ``bool`` for ``Literal[True]``), so
      a value the SDK does not know yet passes. The tag field of
      a tagged union's member keeps its exact Literal (the converter picks members by it).
      An alias whose Literal sits inside a container (``List[Literal[...]]``) is written out
      at the field, opened, instead of named.
    - Optional fields (the SDK's ``= None``) are ``X | None = None``; one the SDK fills with an
      empty list or dict keeps its type and gets one.
    - Required fields keep the SDK's type. A response that lacks one fails structuring, and
      the call raises ``APIResponseValidationError`` naming the class and the key, with the
      body on the error - as our hand-written types treat ``id``. The SDK instead hands back
      a half-built model whose attribute raises AttributeError when read; we fail where the
      response is still at hand. Three kinds of required field cannot be wrong when absent and
      default instead, as in the hand-written types: a nullable one (``X | None``) to None, a
      single-valued Literal (``object: Literal["file"]``) to its value, a list to ``[]``.
    - Tagged unions (the SDK's ``Annotated[Union[...], PropertyInfo(discriminator=...)]``)
      become ``Annotated[A | B | UnknownVariant, Discriminator("type")]``: the converter picks
      the member by tag, and an unknown tag gives an ``UnknownVariant`` holding every key.
      Other unions follow the converter's one rule for untagged unions (``_convert.py``).
    In request parameters every type is the SDK's, exactly (closed Literals included), and a
    tagged union is a plain union of its TypedDicts.

Hand-written types
    A name that a hand-written module at the target path already binds is ours: it is
    referenced, not generated. Names of the SDK module that it lacks go in a generated region
    at the end of that module, below a marker line; the generator rewrites only that region.
    A file is generated whole when its first lines hold the generated-file marker, and only
    then rewritten or deleted. A response class that needs methods of its own (a property
    such as ``Response.output_text``) stays generated: the hand-written part defines them in
    a class ``_<Name>Methods`` (with ``__slots__ = ()``), which the generated class of that
    name in the region takes as its first base.

What cannot be mapped stops the run (exit 2) with the construct and where it is, before any
file is written. Today that is: a request parameter the SDK renames or formats on the wire
(``PropertyInfo(alias="async")``, ``format=...``; one renamed to a header name, such as
``betas`` sent as ``openai-beta``, keeps its Python name: its resource sends the header),
a generic model (``ParsedChatCompletion``)
and a websocket helper type; no root of ours reaches them.

The output passes ruff (the generator runs ``ruff check --fix`` for import order and ``ruff
format`` on it), ``mypy --strict``, has no import cycle (it imports as the SDK's modules do,
straight from the defining module), and a builtin a field name shadows (``object``,
``bytes``) is written ``builtins.object`` in that class.
"""

from __future__ import annotations

import argparse
import ast
import keyword
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sdk_types import (
    NONE,
    SDK,
    AliasDef,
    ClassDef,
    Collector,
    Def,
    Field,
    Gen,
    Helper,
    Lit,
    Prim,
    Ref,
    SDKIndex,
    Tagged,
    Type,
    Union,
    Unsupported,
    _snake,
    is_params_module,
)

REPO = Path(__file__).resolve().parent.parent
OURS = "aio_openai.types"
ROOTS_FILE = REPO / "tools" / "gen_types.roots"
FILE_MARKER = "# Generated by tools/gen_types.py from the openai package's types: do not edit."
REGION_MARKER = "# ---- Generated by tools/gen_types.py below this line: do not edit. ----"
#: Support names the generated code imports, by module (relative to aio_openai).
SUPPORT = {
    "BaseObject": "_models",
    "Discriminator": "_convert",
    "UnknownVariant": "types.unknown_variant",
    "lazy_exports": "types._lazy",
    "FileTypes": "types._param_types",
    "FileContent": "types._param_types",
    "SequenceNotStr": "types._param_types",
    "Base64FileInput": "types._param_types",
}
#: Support names the top package re-exports too.
SUPPORT_EXPORTS = {"UnknownVariant": ".unknown_variant"}
_BUILTINS = frozenset({"str", "int", "float", "bool", "bytes", "object", "list", "dict", "tuple"})
_ABC = frozenset({"Iterable", "Mapping", "Sequence"})


def our_module(sdk_module: str) -> str:
    return OURS + sdk_module[len(SDK) :]


def module_path(module: str, package: bool) -> Path:
    parts = module.split(".")
    base = REPO.joinpath(*parts)
    return base / "__init__.py" if package else base.with_suffix(".py")


def relative(source: str, source_is_package: bool, target: str) -> str:
    """``target`` as a relative import from module ``source`` (both dotted)."""
    here = source.split(".") if source_is_package else source.split(".")[:-1]
    there = target.split(".")
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    return "." * (len(here) - common + 1) + ".".join(there[common:])


# -- what exists already -------------------------------------------------------------------------


@dataclass
class Existing:
    """A file at a target path: generated whole, or hand-written (maybe with a region)."""

    path: Path
    text: str
    generated: bool
    hand_names: frozenset[str]  # names the hand-written part binds

    @property
    def hand_text(self) -> str:
        head, sep, _ = self.text.partition(REGION_MARKER)
        return head.rstrip("\n") + "\n" if sep else self.text


def read_existing(path: Path) -> Existing | None:
    if not path.is_file():
        return None
    text = path.read_text()
    if is_generated_file(path):
        return Existing(path, text, True, frozenset())
    head = text.partition(REGION_MARKER)[0]
    names: set[str] = set()
    for node in ast.parse(head).body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return Existing(path, text, False, frozenset(names))


def is_generated_file(path: Path) -> bool:
    head = path.read_text().split("\n", 4)
    return any(line == FILE_MARKER for line in head)


# -- the plan: which names each module gets --------------------------------------------------------


@dataclass
class Plan:
    """Every SDK module reached, what exists at its path, and what to generate there."""

    collector: Collector
    existing: dict[str, Existing | None] = field(default_factory=dict)  # by SDK module
    generate: dict[str, list[str]] = field(default_factory=dict)  # SDK module -> names
    #: class -> (tag key, tag value) when it is the member of a tagged union of responses
    tags: dict[Ref, tuple[str, str, str]] = field(default_factory=dict)
    #: class -> the (parent, field) that name it
    used_by: dict[Ref, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def index(self) -> SDKIndex:
        return self.collector.index

    def is_package(self, sdk_module: str) -> bool:
        return sdk_module in self.index.packages

    def path(self, sdk_module: str) -> Path:
        return module_path(our_module(sdk_module), self.is_package(sdk_module))

    def definition(self, ref: Ref) -> Def | None:
        return self.collector.defs.get((ref.module, ref.name))

    def is_ours(self, ref: Ref) -> bool:
        """Whether a hand-written module binds this name (then it is referenced, not made)."""
        existing = self.existing.get(ref.module)
        return existing is not None and ref.name in existing.hand_names


def make_plan(collector: Collector) -> Plan:
    plan = Plan(collector)
    for module, names in sorted(collector.modules.items()):
        existing = read_existing(plan.path(module))
        plan.existing[module] = existing
        if existing is not None and not existing.generated:
            names = [n for n in names if n not in existing.hand_names]
        for name in names:
            if (module, name) in collector.unmapped:
                raise Unsupported(collector.unmapped[module, name])
        plan.generate[module] = names
    for (_, name), d in collector.defs.items():
        if isinstance(d, ClassDef):
            for f in d.fields:
                for ref in refs_in(f.type):
                    plan.used_by.setdefault(ref, []).append((name, f.name))
        if isinstance(d, AliasDef) and alias_context(plan, d) == "model":
            for t in walk(d.type):
                if isinstance(t, Tagged):
                    for member in tagged_classes(plan, t):
                        value = tag_value(plan, member, t.key)
                        if value is not None:
                            plan.tags.setdefault(member, (t.key, value, name))
    return plan


def walk(t: Type) -> Iterable[Type]:
    yield t
    if isinstance(t, Union | Tagged):
        for m in t.members:
            yield from walk(m)
    elif isinstance(t, Gen):
        for a in t.args:
            yield from walk(a)


def refs_in(t: Type) -> list[Ref]:
    return [x for x in walk(t) if isinstance(x, Ref)]


def tagged_classes(plan: Plan, t: Tagged) -> list[Ref]:
    """The classes of a tagged union, through aliases and nested tagged unions."""
    out: list[Ref] = []
    for m in t.members:
        d = plan.definition(m) if isinstance(m, Ref) else None
        if isinstance(d, AliasDef):
            inner = d.type
            if isinstance(inner, Tagged | Union):
                out += tagged_classes(plan, Tagged(inner.members, t.key))
        elif isinstance(m, Ref):
            out.append(m)
        elif isinstance(m, Tagged):
            out += tagged_classes(plan, m)
    return out


def tag_value(plan: Plan, ref: Ref, key: str) -> str | None:
    d = plan.definition(ref)
    if not isinstance(d, ClassDef):
        return None
    for f in d.fields:
        if (f.key or f.name) == key and isinstance(f.type, Lit) and len(f.type.values) == 1:
            return str(f.type.values[0])
    return None


def alias_context(plan: Plan, d: AliasDef) -> str:
    """ "params" for an alias of request parameters, "model" otherwise."""
    if is_params_module(d.module):
        return "params"
    for ref in refs_in(d.type):
        target = plan.definition(ref)
        if isinstance(target, ClassDef) and target.kind == "params":
            return "params"
    return "model"


def is_literal_alias(plan: Plan, t: Type) -> bool:
    """A Literal, or an alias (or union) made only of Literals."""
    if isinstance(t, Lit):
        return True
    if isinstance(t, Ref):
        d = plan.definition(t)
        return isinstance(d, AliasDef) and not plan.is_ours(t) and is_literal_alias(plan, d.type)
    if isinstance(t, Union):
        return all(is_literal_alias(plan, m) for m in t.members)
    return False


def literal_bases(plan: Plan, t: Type) -> list[str]:
    """The classes of a literal type's values (``str`` for ``Literal["a"]``), in order."""
    if isinstance(t, Lit):
        return list(dict.fromkeys(type(v).__name__ for v in t.values))
    if isinstance(t, Ref):
        d = plan.definition(t)
        return literal_bases(plan, d.type) if isinstance(d, AliasDef) else []
    if isinstance(t, Union):
        return list(dict.fromkeys(b for m in t.members for b in literal_bases(plan, m)))
    return []


def needs_inlining(plan: Plan, t: Type) -> bool:
    """An alias type with a closed Literal where a response could not admit a new value:
    inside a container (a union's Literal members are admitted by the converter's rule)."""
    if isinstance(t, Union):
        return any(needs_inlining(plan, m) for m in t.members if not isinstance(m, Lit))
    if isinstance(t, Gen):
        return any(is_literal_alias(plan, a) or needs_inlining(plan, a) for a in t.args)
    if isinstance(t, Ref):
        d = plan.definition(t)
        return isinstance(d, AliasDef) and not plan.is_ours(t) and needs_inlining(plan, d.type)
    return False


# -- rendering one module --------------------------------------------------------------------------


class Imports:
    """The names a module uses, grouped into import statements."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module  # our dotted module
        self.is_package = is_package
        self.typing: set[str] = set()
        self.abc: set[str] = set()
        self.modules: set[str] = set()  # plain ``import x``
        self.names: dict[tuple[str, str], str] = {}  # (our module, name) -> local name
        self.local: set[str] = set()  # names the module defines itself
        self.bound: frozenset[str] = frozenset()  # names a hand-written part imports already

    def support(self, name: str) -> str:
        if name in self.bound:  # a hand-written part above imports it already
            return name
        return self.name(f"aio_openai.{SUPPORT[name]}", name)

    def name(self, module: str, name: str) -> str:
        if module == self.module:
            return name
        key = (module, name)
        if key not in self.names:
            local, n = name, 1
            taken = self.local | self.bound | set(self.names.values())
            while local in taken:  # the module has another thing of that name
                local, n = f"_{name}{n if n > 1 else ''}", n + 1
            self.names[key] = local
        return self.names[key]

    def lines(self) -> list[str]:
        """The import statements (ruff puts them in order afterwards)."""
        out = [f"import {m}" for m in sorted(self.modules - self.bound)]
        for source, names in (("collections.abc", self.abc), ("typing", self.typing)):
            if names - self.bound:
                out.append(f"from {source} import {', '.join(sorted(names - self.bound))}")
        by_module: dict[str, list[str]] = {}
        for (module, name), local in self.names.items():
            spec = name if local == name else f"{name} as {local}"
            by_module.setdefault(module, []).append(spec)
        for module in sorted(by_module):
            source = relative(self.module, self.is_package, module)
            out.append(f"from {source} import {', '.join(sorted(by_module[module]))}")
        return out


class Renderer:
    """Source text of the type language, in a module, for responses or for parameters."""

    def __init__(self, plan: Plan, imports: Imports) -> None:
        self.plan = plan
        self.imports = imports
        self.shadowed: frozenset[str] = frozenset()  # builtins a field name hides (per class)

    def ref(self, ref: Ref) -> str:
        return self.imports.name(our_module(ref.module), ref.name)

    def render(self, t: Type, ctx: str, *, exact: bool = False) -> str:
        """``t`` in context ``ctx``: "model" (a response field: enums open unless ``exact``),
        "params" or "alias" (the SDK's type exactly)."""
        opened = ctx == "model" and not exact and not isinstance(t, Union)
        if opened and is_literal_alias(self.plan, t):
            bases = [self.prim(b) for b in literal_bases(self.plan, t)]
            return " | ".join([self._render(t, ctx), *bases])
        return self._render(t, ctx)

    def prim(self, name: str) -> str:
        if name == "None":
            return "None"
        if name == "Any":
            self.imports.typing.add("Any")
            return "Any"
        if name in self.shadowed:
            self.imports.modules.add("builtins")
            return f"builtins.{name}"
        return name

    def _render(self, t: Type, ctx: str) -> str:
        if isinstance(t, Prim):
            return self.prim(t.name)
        if isinstance(t, Lit):
            self.imports.typing.add("Literal")
            return f"Literal[{', '.join(repr(v) for v in t.values)}]"
        if isinstance(t, Helper):
            return self.imports.support(t.name)
        if isinstance(t, Ref):
            d = self.plan.definition(t)
            if (
                ctx == "model"
                and isinstance(d, AliasDef)
                and not self.plan.is_ours(t)
                and needs_inlining(self.plan, d.type)
            ):
                return self.render(d.type, ctx)
            return self.ref(t)
        if isinstance(t, Gen):
            args = [self.render(a, ctx) for a in t.args]
            if t.origin in _ABC:
                self.imports.abc.add(t.origin)
                name = t.origin
            elif t.origin == "IO":
                self.imports.typing.add("IO")
                name = "IO"
            elif t.origin == "SequenceNotStr":
                name = self.imports.support("SequenceNotStr")
            else:
                name = self.prim(t.origin)
            return f"{name}[{', '.join(args)}]"
        if isinstance(t, Union):
            return self.union(list(t.members), ctx)
        if isinstance(t, Tagged):
            if ctx == "params" or self._tagged_params(t):
                return self.union(list(t.members), "params")
            members = [self._render(m, ctx) for m in t.members if m != NONE]
            members.append(self.imports.support("UnknownVariant"))
            if NONE in t.members:
                members.append("None")
            self.imports.typing.add("Annotated")
            discriminator = self.imports.support("Discriminator")
            return f"Annotated[{' | '.join(members)}, {discriminator}({t.key!r})]"
        raise Unsupported(f"cannot render {t!r}")

    def _tagged_params(self, t: Tagged) -> bool:
        for ref in refs_in(t):
            d = self.plan.definition(ref)
            if isinstance(d, ClassDef) and d.kind == "params":
                return True
        return False

    def union(self, members: list[Type], ctx: str) -> str:
        """Members in the SDK's order, None last; in a response, the classes of the Literals'
        values after them (``str``), so that any value of those classes passes."""
        texts = [self._render(m, ctx) for m in members if m != NONE]
        if ctx == "model":
            for m in members:
                if is_literal_alias(self.plan, m):
                    bases = literal_bases(self.plan, m)
                    texts += [self.prim(b) for b in bases if Prim(b) not in members]
        if NONE in members:
            texts.append("None")
        return " | ".join(dict.fromkeys(texts))


def docstring_of(plan: Plan, d: ClassDef) -> str:
    """A one-line docstring of our own, from where the class sits (the first that fits)."""
    ref = Ref(d.module, d.name)
    users = plan.used_by.get(ref, [])
    secondary = _snake(d.name) != d.module.rsplit(".", 1)[1] and len(set(users)) == 1
    candidates = []
    if d.kind == "params":
        paths = plan.collector.params_of.get((d.module, d.name), [])
        candidates += [f"The parameters of ``{'``, ``'.join(paths)}``."] if paths else []
        if secondary:
            candidates.append(f"The ``{users[0][1]}`` parameter of ``{users[0][0]}``.")
        candidates += [f"The ``{d.name}`` parameter object.", "A parameter object."]
    else:
        tag = plan.tags.get(ref)
        if tag is not None:
            candidates.append(f'The ``{tag[0]}="{tag[1]}"`` member of ``{tag[2]}``.')
            candidates.append(f"A member of ``{tag[2]}``.")
        if secondary:
            candidates.append(f"The ``{users[0][1]}`` of ``{users[0][0]}``.")
        candidates += [f"The ``{d.name}`` object of the API.", "An object of the API."]
    return next(c for c in candidates if len(c) <= 88 or c == candidates[-1])


#: Fields the SDK types as required that OpenAI answers with null, by the prefix of their
#: SDK module and their name: an eval run that did not fail has ``"error": null``, one not
#: yet run ``"per_model_usage": null`` (the spec's own examples). Generated ``X | None``.
SENT_NULL = frozenset(
    {
        ("openai.types.evals.", "error"),
        ("openai.types.evals.", "per_model_usage"),
        ("openai.types.evals.", "per_testing_criteria_results"),
    }
)


def _sent_null(d: ClassDef, name: str) -> bool:
    return any(d.module.startswith(prefix) and name == f for prefix, f in SENT_NULL)


def field_lines(r: Renderer, plan: Plan, d: ClassDef) -> list[str]:
    lines = []
    ref = Ref(d.module, d.name)
    tag = plan.tags.get(ref)
    for f in d.fields:
        name = f.name
        if keyword.iskeyword(name):
            raise Unsupported(f"{d.module}.{d.name}.{name}: a keyword as a field name")
        if d.kind == "params":
            lines.append(f"    {name}: {param_type(r, d, f)}")
            continue
        is_tag = tag is not None and (f.key or f.name) == tag[0]
        text = r.render(f.type, "model", exact=is_tag)
        nullable = f.type == NONE or (isinstance(f.type, Union) and NONE in f.type.members)
        default: str | None = None
        if _sent_null(d, name):
            text, default = (text if nullable else f"{text} | None"), "None"
        elif f.factory is not None:  # the SDK's default_factory: an empty list or dict
            default = f"attrs.field(factory={f.factory})"
        elif not f.required or nullable:
            if not nullable:
                text = f"{text} | None"
            default = "None"
        elif isinstance(f.type, Lit) and len(f.type.values) == 1:
            default = repr(f.type.values[0])
        elif isinstance(f.type, Gen) and f.type.origin == "list":
            default = "attrs.field(factory=list)"
        if f.key is not None:
            metadata = f"metadata={{{'json_key'!r}: {f.key!r}}}"
            if default is None:
                default = f"attrs.field({metadata})"
            elif default.startswith("attrs.field("):
                default = default[:-1] + f", {metadata})"
            else:
                default = f"attrs.field(default={default}, {metadata})"
        lines.append(f"    {name}: {text}" + ("" if default is None else f" = {default}"))
    return lines


def param_type(r: Renderer, d: ClassDef, f: Field) -> str:
    """The type of a TypedDict key, ``Required[...]`` or ``NotRequired[...]`` as ``total`` asks."""
    text = r.render(f.type, "params")
    if f.required and not d.total:
        r.imports.typing.add("Required")
        return f"Required[{text}]"
    if not f.required and d.total:
        r.imports.typing.add("NotRequired")
        return f"NotRequired[{text}]"
    return text


def is_functional(d: ClassDef) -> bool:
    """A TypedDict with a key that is no Python name (``"async"``): written as a call."""
    return any(keyword.iskeyword(f.name) or not f.name.isidentifier() for f in d.fields)


def shadowed_builtins(d: ClassDef) -> frozenset[str]:
    return frozenset(f.name for f in d.fields) & _BUILTINS


def order(plan: Plan, sdk_module: str, names: list[str]) -> list[str]:
    """Definitions in the SDK's order, moved after what they need at import time (an alias's
    value and a class's bases are evaluated then; annotations are not)."""
    here = set(names)

    def needs(name: str) -> set[str]:
        d = plan.collector.defs[sdk_module, name]
        if isinstance(d, AliasDef):
            refs = refs_in(d.type)
        elif is_functional(d):
            refs = [r for f in d.fields for r in refs_in(f.type)]
        else:
            refs = list(d.bases)
        return {r.name for r in refs if r.module == sdk_module and r.name in here}

    done: list[str] = []
    placing: set[str] = set()

    def place(name: str) -> None:
        if name in done:
            return
        if name in placing:
            raise Unsupported(f"{sdk_module}.{name}: definitions that need each other")
        placing.add(name)
        for other in sorted(needs(name), key=names.index):
            place(other)
        done.append(name)

    for name in names:
        place(name)
    return done


def render_module(plan: Plan, sdk_module: str, region: bool) -> str:
    """The generated text of a module: a whole file, or a region after hand-written code."""
    names = plan.generate[sdk_module]
    ours = our_module(sdk_module)
    imports = Imports(ours, plan.is_package(sdk_module))
    imports.local = set(names)
    if region:
        existing = plan.existing[sdk_module]
        assert existing is not None
        imports.local |= existing.hand_names
        imports.bound = existing.hand_names
    body: list[str] = []
    for name in order(plan, sdk_module, names):
        d = plan.collector.defs[sdk_module, name]
        r = Renderer(plan, imports)
        if isinstance(d, AliasDef):
            text = r.render(d.type, "alias")
            imports.typing.add("TypeAlias")
            body += ["", f"{name}: TypeAlias = {text}", ""]
            continue
        r.shadowed = shadowed_builtins(d)
        bases = [r.ref(b) for b in d.bases]
        if d.kind == "params" and is_functional(d):
            if bases:
                raise Unsupported(f"{sdk_module}.{name}: a TypedDict call with bases")
            imports.typing.add("TypedDict")
            keys = ", ".join(f"{f.name!r}: {param_type(r, d, f)}" for f in d.fields)
            total = "" if d.total else ", total=False"
            body += ["", f"{name} = TypedDict({name!r}, {{{keys}}}{total})", ""]
            continue
        body.append("")
        if d.kind == "model":
            imports.modules.add("attrs")
            base = bases or [imports.support("BaseObject")]
            if region and methods_of(name) in imports.bound:  # hand-written methods first
                base = [methods_of(name), *base]
            body += ["", "@attrs.frozen(kw_only=True)", f"class {name}({', '.join(base)}):"]
        else:
            if not bases:
                imports.typing.add("TypedDict")
            base = bases or ["TypedDict"]
            total = "" if d.total else ", total=False"
            body += ["", f"class {name}({', '.join(base)}{total}):"]
        body += [f'    """{docstring_of(plan, d)}"""']
        fields = field_lines(r, plan, d)
        if fields:
            body += ["", *fields]
        body.append("")
    exports = sorted(n for n in names if not n.startswith("_"))
    if region:  # after hand-written code: no __future__ import (the module has its own)
        head = ["", "", REGION_MARKER, "", *imports.lines()]
        return "\n".join([*head, "", f"__all__ += {exports!r}", *body]) + "\n"
    future = ["from __future__ import annotations", ""]
    lines = [module_docstring(exports), FILE_MARKER, "", *future, *imports.lines()]
    return "\n".join([*lines, "", f"__all__ = {exports!r}", *body]) + "\n"


def methods_of(name: str) -> str:
    """The hand-written class whose methods a generated class ``name`` takes (its first base)."""
    return f"_{name}Methods"


def module_docstring(names: list[str]) -> str:
    """``Types of the API: A, B, ...``, as many names as fit on the line."""
    shown: list[str] = []
    for name in names:
        if len(", ".join([*shown, name])) > 70:
            break
        shown.append(name)
    end = ", ..." if len(shown) < len(names) else "."
    return f'"""Types of the API: {", ".join(shown)}{end}"""'


# -- packages: lazy re-exports ---------------------------------------------------------------------


def package_exports(plan: Plan, package: str) -> dict[str, str]:
    """Name -> SDK module of every name the SDK's package re-exports that we have."""
    pkg = plan.index.module(package)
    found: dict[str, str] = {}
    for name, obj in vars(pkg).items():
        if name.startswith("_"):
            continue
        sites: list[str] = []
        if isinstance(obj, type):
            sites = [obj.__module__] if obj.__qualname__ == name else []
        else:
            sites = [m for m, o in plan.index.alias_sites.get(name, ()) if o is obj]
        sites = [s for s in sites if s.startswith(package + ".") and s in plan.collector.modules]
        if sites:
            found[name] = sorted(sites, key=lambda s: (s.count("."), s))[0]
    return found


def render_package(plan: Plan, package: str, region: bool) -> str | None:
    ours = our_module(package)
    exports = package_exports(plan, package)
    existing = plan.existing.get(package)
    hand = existing.hand_names if existing is not None and not existing.generated else frozenset()
    table = {
        name: relative(ours, True, our_module(module))
        for name, module in sorted(exports.items())
        if name not in hand
    }
    if package == SDK:
        table.update({k: v for k, v in SUPPORT_EXPORTS.items() if k not in hand})
    if region and not table:
        return None
    by_module: dict[str, tuple[str, ...]] = {}
    for name, module in sorted(table.items()):
        by_module[module] = (*by_module.get(module, ()), name)
    lazy = relative(ours, True, f"aio_openai.{SUPPORT['lazy_exports']}")
    lines = ["from typing import TYPE_CHECKING", "", f"from {lazy} import lazy_exports", ""]
    if table:
        lines.append("if TYPE_CHECKING:")
        lines += [f"    from {module} import {name}" for name, module in table.items()]
        lines.append("")
    lines += [f"__all__ {'+=' if region else '='} {sorted(table)!r}", ""]
    lazy_table = f"lazy_exports(__name__, {by_module!r})"
    lines += ["if not TYPE_CHECKING:", f"    __getattr__, __dir__ = {lazy_table}"]
    if region:
        return "\n".join(["", "", REGION_MARKER, "", *lines]) + "\n"
    doc = '"""Types of the API, each loaded when first used."""'
    head = [doc, FILE_MARKER, "", "from __future__ import annotations", ""]
    return "\n".join([*head, *lines]) + "\n"


# -- the run ---------------------------------------------------------------------------------------


def outputs(plan: Plan) -> dict[Path, str]:
    """Every file the roots make, with its full text (before formatting)."""
    out: dict[Path, str] = {}
    packages = {SDK}
    for module in plan.collector.modules:
        parts = module.split(".")
        for i in range(len(SDK.split(".")), len(parts)):
            packages.add(".".join(parts[:i]))
        if plan.is_package(module):
            packages.add(module)
    for module in sorted(plan.collector.modules):
        if plan.is_package(module):
            continue  # SDK packages only re-export
        existing = plan.existing[module]
        if existing is not None and not existing.generated:
            if plan.generate[module]:
                out[existing.path] = existing.hand_text + render_module(plan, module, True)
            else:
                out[existing.path] = existing.hand_text
        else:
            out[plan.path(module)] = render_module(plan, module, False)
    for package in sorted(packages):
        path = module_path(our_module(package), True)
        existing = read_existing(path)
        plan.existing.setdefault(package, existing)
        if existing is not None and not existing.generated:
            region = render_package(plan, package, True)
            out[path] = existing.hand_text + (region or "")
        else:
            text = render_package(plan, package, False)
            assert text is not None
            out[path] = text
    return out


def formatted(files: dict[Path, str]) -> dict[Path, str]:
    """The files as ruff leaves them: imports sorted, formatted (run once on a copy)."""
    ruff = Path(sys.executable).parent / "ruff"
    command = str(ruff) if ruff.exists() else shutil.which("ruff") or "ruff"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for path, text in files.items():
            target = root / path.relative_to(REPO)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        config = ["--config", str(REPO / "pyproject.toml")]
        check = [command, "check", "--quiet", *config]
        fmt = [command, "format", "--quiet", *config, tmp]
        subprocess.run([*check, "--fix", "--select", "I,F401", tmp], capture_output=True)
        subprocess.run(fmt, check=True)
        # a noqa on the imports of a region that follow hand-written code, and on the lines
        # an SDK class name makes longer than any line may be
        subprocess.run([*check, "--add-noqa", "--select", "E402,E501", tmp], capture_output=True)
        subprocess.run(fmt, check=True)
        return {path: (root / path.relative_to(REPO)).read_text() for path in files}


def read_roots() -> list[str]:
    if not ROOTS_FILE.is_file():
        return []
    lines = (line.split("#", 1)[0].strip() for line in ROOTS_FILE.read_text().splitlines())
    return [line for line in lines if line]


def write_roots(roots: list[str]) -> None:
    text = ROOTS_FILE.read_text() if ROOTS_FILE.is_file() else ""
    known = set(read_roots())
    added = [r for r in roots if r not in known]
    if added:
        ROOTS_FILE.write_text(text + "".join(f"{r}\n" for r in added))


def generated_files() -> set[Path]:
    root = REPO / "aio_openai" / "types"
    return {p for p in root.rglob("*.py") if is_generated_file(p)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="*", metavar="ROOT")
    parser.add_argument("--check", action="store_true", help="exit 1 if a run would change files")
    args = parser.parse_args(argv)
    roots = read_roots() + [r for r in args.roots if r not in read_roots()]
    if not roots:
        parser.error(f"no roots: give some, or list them in {ROOTS_FILE}")
    collector = Collector(SDKIndex())
    try:
        for root in roots:
            collector.add_root(root)
        plan = make_plan(collector)
        files = formatted(outputs(plan))
    except Unsupported as exc:
        print(f"gen_types: cannot map {exc}", file=sys.stderr)
        return 2
    stale = generated_files() - set(files)
    changed = sorted(p for p, text in files.items() if not p.is_file() or p.read_text() != text)
    if args.check:
        for path in [*changed, *sorted(stale)]:
            print(f"would change: {path.relative_to(REPO)}")
        return 1 if changed or stale else 0
    for path in changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[path])
    for path in stale:
        path.unlink()
    write_roots(args.roots)
    print(f"gen_types: {len(changed)} files written, {len(stale)} deleted, {len(files)} in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
