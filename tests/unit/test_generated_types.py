"""The generated types (``tools/gen_types.py``) against the official SDK's, which they mirror.

For every generated response class, JSON instances are made from the SDK model's JSON schema:
the required keys only, every key, every key plus an unknown key in each object, and every key
with an unknown value for each enum. The SDK validates the first three (so the JSON is right)
and its lenient constructor takes the fourth; our converter must structure each into our
class, give the JSON back from ``to_dict()`` (keys we add are absent optional fields, as None
or an empty list) and hold what the SDK holds, field by field. Params TypedDicts must have the
SDK's keys, requiredness and value types (by name); tagged unions must send an unknown tag to
``UnknownVariant`` with every key. ``--check`` must find the files as a run would write them.
"""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final, NamedTuple

import attrs
import openai.types
import pydantic
import pytest
from openai._models import construct_type

import aio_openai.types
from aio_openai._convert import Discriminator, converter
from aio_openai._models import BaseObject
from aio_openai.types import FileObject, UnknownVariant
from aio_openai.types.vector_stores import VectorStoreFileBatch

ROOT: Final = Path(aio_openai.types.__file__).parent
REPO: Final = ROOT.parent.parent
sys.path.insert(0, str(REPO / "tools"))
from gen_types import FILE_MARKER, REGION_MARKER  # noqa: E402

UNKNOWN_KEY: Final = "zz_unknown_key"
UNKNOWN_VALUE: Final = "zz_unknown_value"


class Generated(NamedTuple):
    ours: Any
    sdk: Any
    name: str  # dotted, ours


def _generated_names(path: Path) -> list[str]:
    """The names a file's generated part defines: its ``__all__``, or its region's."""
    text = path.read_text()
    if FILE_MARKER in text.split("\n", 3)[:3]:
        part = text
    elif REGION_MARKER in text:
        part = text.partition(REGION_MARKER)[2]
    else:
        return []
    for node in ast.parse(part).body:
        if isinstance(node, ast.Assign | ast.AugAssign):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name) and target.id == "__all__":
                value = ast.literal_eval(node.value)
                return [str(v) for v in value]
    return []


def _definitions() -> Iterator[Generated]:
    for path in sorted(ROOT.rglob("*.py")):
        if path.name == "__init__.py":
            continue  # packages re-export
        parts = path.relative_to(REPO).with_suffix("").parts
        module = ".".join(parts)
        names = _generated_names(path)
        if not names:
            continue
        ours = importlib.import_module(module)
        sdk = importlib.import_module("openai.types" + module[len("aio_openai.types") :])
        for name in names:
            yield Generated(getattr(ours, name), getattr(sdk, name), f"{module}.{name}")


DEFINITIONS: Final = list(_definitions())
MODELS: Final = [d for d in DEFINITIONS if isinstance(d.ours, type) and attrs.has(d.ours)]
PARAMS: Final = [d for d in DEFINITIONS if typing.is_typeddict(d.ours)]


def _tag(alias: Any) -> Discriminator | None:
    if typing.get_origin(alias) is not typing.Annotated:
        return None
    return next((m for m in alias.__metadata__ if isinstance(m, Discriminator)), None)


TAGGED: Final = [d for d in DEFINITIONS if _tag(d.ours) is not None]


def test_the_generated_set_is_the_one_expected() -> None:
    # the areas of tools/gen_types.roots; a change of these counts is a change of the SDK
    assert len(MODELS) > 150 and len(PARAMS) > 50 and len(TAGGED) >= 6
    names = {d.name.rsplit(".", 1)[1] for d in DEFINITIONS}
    assert {"FileObject", "VectorStore", "Batch", "UnwrapWebhookEvent", "FileCreateParams"} <= names


# -- JSON instances from the SDK's schema ------------------------------------------------------


class Instances:
    """JSON made from a JSON schema: ``minimal``, ``full``, ``extra`` or ``enum``."""

    def __init__(self, schema: dict[str, Any], mode: str) -> None:
        self.defs = schema.get("$defs", {})
        self.mode = mode
        self.root = schema

    def make(self, schema: dict[str, Any] | None = None, depth: int = 0) -> Any:
        s = self.root if schema is None else schema
        if "$ref" in s:
            s = self.defs[s["$ref"].rsplit("/", 1)[1]]
        if "const" in s:
            return s["const"]
        if "enum" in s:
            values = s["enum"]
            if self.mode == "enum" and all(isinstance(v, str) for v in values):
                return UNKNOWN_VALUE
            return values[-1]
        for key in ("anyOf", "oneOf"):
            if key in s:
                branches = [b for b in s[key] if b.get("type") != "null"]
                return self.make(branches[0], depth + 1) if branches else None
        kind = s.get("type")
        if kind == "object" or "properties" in s:
            return self._object(s, depth)
        if kind == "array":
            return [self.make(s.get("items", {}), depth + 1)]
        simple = {"string": "text", "integer": 7, "number": 2.5, "boolean": True, "null": None}
        if kind in simple:
            return simple[kind]
        return {"any": [1, "x"]}  # no type: any JSON

    def _object(self, s: dict[str, Any], depth: int) -> dict[str, Any]:
        required = set(s.get("required", ()))
        out: dict[str, Any] = {}
        for key, prop in s.get("properties", {}).items():
            if key in required or (self.mode != "minimal" and depth < 8):
                nullable = any(b.get("type") == "null" for b in prop.get("anyOf", ()))
                out[key] = None if self.mode == "minimal" and nullable else self.make(prop, depth)
        extra = s.get("additionalProperties")
        if isinstance(extra, dict) and extra and self.mode != "minimal":
            out["some_key"] = self.make(extra, depth + 1)
        if self.mode == "extra" and "properties" in s:
            out[UNKNOWN_KEY] = {"nested": [1, None]}
        return out


def _schema(sdk: type[pydantic.BaseModel]) -> dict[str, Any]:
    return sdk.model_json_schema()


def assert_lossless(data: Any, produced: Any, where: str = "$") -> None:
    """``produced`` holds ``data``: the same keys with equal values, and only absent optional
    fields besides (None, an empty list or dict)."""
    if isinstance(data, dict):
        assert isinstance(produced, dict), where
        for key, value in data.items():
            assert key in produced, f"{where}.{key} lost"
            assert_lossless(value, produced[key], f"{where}.{key}")
        for key in produced.keys() - data.keys():
            assert produced[key] in (None, [], {}), f"{where}.{key} added: {produced[key]!r}"
    elif isinstance(data, list):
        assert isinstance(produced, list) and len(produced) == len(data), where
        for i, (a, b) in enumerate(zip(data, produced, strict=True)):
            assert_lossless(a, b, f"{where}[{i}]")
    else:
        assert produced == data and type(produced) is type(data), f"{where}: {produced!r}"


def _refused_by_its_literals(sdk: pydantic.BaseModel) -> bool:
    """Whether a Literal field of ``sdk`` holds a value its Literal does not name: the SDK's
    lenient constructor, finding no member of a union that validates (an unknown enum value
    elsewhere in the object), keeps one whose tag fits even when another Literal (``role``)
    refuses the value."""
    return any(
        typing.get_origin(info.annotation) is typing.Literal
        and getattr(sdk, name, None) not in typing.get_args(info.annotation)
        for name, info in type(sdk).model_fields.items()
    )


def assert_same(ours: Any, sdk: Any, where: str = "$") -> None:
    """Our value holds what the SDK's does: same class names and fields, same values."""
    if isinstance(sdk, pydantic.BaseModel):
        assert isinstance(ours, BaseObject), f"{where}: {ours!r}"
        if type(ours).__name__ != type(sdk).__name__ and _refused_by_its_literals(sdk):
            # the SDK's member is a lenient misfit; ours is the member whose Literals take the
            # value (the whole JSON is checked against ours by assert_lossless)
            return
        assert type(ours).__name__ == type(sdk).__name__, where
        for name in type(sdk).model_fields:
            assert_same(getattr(ours, name), getattr(sdk, name, None), f"{where}.{name}")
        # the SDK's lenient constructor also keeps a renamed field's JSON key as an extra key
        aliases = {f.alias for f in type(sdk).model_fields.values()}
        extra = {k: v for k, v in (sdk.model_extra or {}).items() if k not in aliases}
        assert dict(ours.model_extra) == extra, f"{where}: extra keys"
    elif isinstance(sdk, list):
        assert isinstance(ours, list) and len(ours) == len(sdk), where
        for i, (a, b) in enumerate(zip(ours, sdk, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    elif isinstance(sdk, dict) and isinstance(ours, BaseObject):
        # the SDK kept raw JSON (a union member it could not validate, as with an unknown
        # enum value); we hold a class that gives the same JSON back
        assert_lossless(sdk, ours.to_dict(), where)
    elif isinstance(sdk, dict):
        assert isinstance(ours, dict) and ours.keys() == sdk.keys(), where
        for key in sdk:
            assert_same(ours[key], sdk[key], f"{where}.{key}")
    else:
        assert ours == sdk and type(ours) is type(sdk), f"{where}: {ours!r} != {sdk!r}"


@pytest.mark.parametrize("mode", ["minimal", "full", "extra", "enum"])
@pytest.mark.parametrize("model", MODELS, ids=lambda d: d.name.removeprefix("aio_openai.types."))
def test_a_response_class_reads_what_the_sdk_reads(model: Generated, mode: str) -> None:
    data = Instances(_schema(model.sdk), mode).make()
    if mode == "enum":  # the SDK refuses unknown enum values; its lenient constructor keeps them
        sdk = construct_type(value=data, type_=model.sdk)
    else:
        sdk = model.sdk.model_validate(data)
    ours = converter.structure(data, model.ours)
    assert type(ours) is model.ours
    assert_lossless(data, ours.to_dict())
    assert_same(ours, sdk)


def test_unknown_enum_values_and_keys_reach_the_attributes() -> None:
    data = Instances(_schema(openai.types.FileObject), "enum").make()
    data[UNKNOWN_KEY] = 3
    obj = converter.structure(data, FileObject)
    assert obj.purpose == obj.status == UNKNOWN_VALUE
    assert obj.zz_unknown_key == 3 and obj.model_extra == {UNKNOWN_KEY: 3}


def test_a_missing_required_key_fails_and_those_that_cannot_be_wrong_default() -> None:
    data = Instances(_schema(openai.types.FileObject), "minimal").make()
    del data["filename"]
    with pytest.raises(KeyError, match="filename"):
        converter.structure(data, FileObject)
    del data["object"]  # a single-valued Literal: its value
    data["filename"] = "a.txt"
    assert converter.structure(data, FileObject).object == "file"
    batch = converter.structure(
        {
            "id": "vsfb_1",
            "created_at": 1,
            "file_counts": dict.fromkeys(
                ("cancelled", "completed", "failed", "in_progress", "total"), 0
            ),
            "status": "completed",
            "vector_store_id": "vs_1",
        },
        VectorStoreFileBatch,
    )
    assert batch.object == "vector_store.files_batch"


# -- request parameters --------------------------------------------------------------------------


def _canon(tp: Any) -> Any:
    """A type by names: unions and Literals as sets, aliases expanded, markers dropped."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Required, typing.NotRequired, typing.Annotated):
        return _canon(args[0])
    if origin in (typing.Union, types.UnionType):
        return ("Union", frozenset(_canon(a) for a in args))
    if origin is typing.Literal:
        return ("Literal", frozenset(args))
    if origin is os.PathLike or tp is os.PathLike:
        return "PathLike"  # the SDK leaves it unsubscripted at run time
    if origin is not None:
        return (getattr(origin, "__name__", repr(origin)), tuple(_canon(a) for a in args))
    if isinstance(tp, type):
        return tp.__name__
    return repr(tp)


def _keys(td: Any) -> tuple[dict[str, Any], frozenset[str]]:
    hints = typing.get_type_hints(td, include_extras=True)
    required = frozenset(
        key
        for key, tp in hints.items()
        if typing.get_origin(tp) is typing.Required
        or (td.__total__ and typing.get_origin(tp) is not typing.NotRequired)
    )
    return {k: _canon(v) for k, v in hints.items()}, required


@pytest.mark.parametrize("params", PARAMS, ids=lambda d: d.name.removeprefix("aio_openai.types."))
def test_a_params_typeddict_has_the_sdk_keys_requiredness_and_types(params: Generated) -> None:
    ours, ours_required = _keys(params.ours)
    sdk, sdk_required = _keys(params.sdk)
    assert ours.keys() == sdk.keys()
    assert ours_required == sdk_required
    for key in sdk:
        assert ours[key] == sdk[key], key


# -- tagged unions -------------------------------------------------------------------------------


@pytest.mark.parametrize("union", TAGGED, ids=lambda d: d.name.removeprefix("aio_openai.types."))
def test_a_tagged_union_picks_members_by_tag_and_keeps_unknown_ones(union: Generated) -> None:
    tag = _tag(union.ours)
    assert tag is not None
    members = [m for m in typing.get_args(typing.get_args(union.ours)[0]) if m is not type(None)]
    assert members[-1] is UnknownVariant
    for member in members[:-1]:
        sdk_member = getattr(importlib.import_module(_sdk_module(member)), member.__name__)
        data = Instances(_schema(sdk_member), "full").make()
        assert type(converter.structure(data, union.ours)) is member
    unknown = {tag.key: "zz.new_kind", "payload": {"a": [1, 2]}, "n": None}
    obj = converter.structure(unknown, union.ours)
    assert type(obj) is UnknownVariant
    assert obj.to_dict() == unknown
    assert getattr(obj, tag.key) == "zz.new_kind"


def _sdk_module(cls: type) -> str:
    return "openai.types" + cls.__module__[len("aio_openai.types") :]


# -- the generator -------------------------------------------------------------------------------


def test_check_finds_the_files_as_written_and_a_stale_one() -> None:
    stale = ROOT / "zz_stale_generated.py"
    stale.write_text(f'"""Left over."""\n{FILE_MARKER}\n')
    try:
        done = subprocess.run(
            [sys.executable, str(REPO / "tools" / "gen_types.py"), "--check"],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=False,
        )
    finally:
        stale.unlink()
    assert done.stdout.splitlines() == ["would change: aio_openai/types/zz_stale_generated.py"], (
        done.stdout + done.stderr
    )
    assert done.returncode == 1


def _imports(path: Path, module: str) -> Iterator[str]:
    """The aio_openai modules a file imports at run time (not under ``if TYPE_CHECKING:``)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")
            base = base[: len(base) - node.level + 1]
            if node.module:
                yield ".".join([*base, node.module])
            else:  # from . import x: the submodules
                yield from (".".join([*base, alias.name]) for alias in node.names)


def test_generated_modules_import_without_cycles() -> None:
    graph: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        graph[module] = {m for m in _imports(path, module) if m.startswith("aio_openai.types")}
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        assert module not in path, "import cycle: " + " -> ".join([*path, module])
        if module in done or module not in graph:
            return
        for target in sorted(graph[module]):
            visit(target, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
