"""Write the spec FakeOpenAI's generic mode serves: ``python tools/gen_fake_spec.py [--check]``.

FakeOpenAI ships in the package, so the OpenAPI document its generic mode answers from
(``aio_openai/testing/_generic/openapi.json.gz``) ships too. This tool derives it from the copy
of OpenAI's spec kept in the repository (``tests/conformance/spec/openai-openapi-v2-latest.yaml``,
MIT License, copyright OpenAI; its ``LICENSE`` is shipped beside the data file as
``OPENAPI_LICENSE``), with the conformance fixtures' derivation
(``tests/conformance/derive_fixtures.py``): every operation, the components they reach, no
descriptions or ``x-*`` keys, and the same fixes for JSON Schema 2020-12 validators (``nullable``
made into type lists, discriminators dropped, ...). Beside them, ``x-examples`` holds each
operation's published example answer that is JSON (``"get /organization/projects"`` -> value),
and ``x-provenance`` names the source file, its commit and sha256, and every change made.

The SDK has operations the spec lacks (the admin API's newest: external keys and storage,
health alert rules, workload identity providers...). Those that no hand-written route of
FakeOpenAI serves are added from the SDK's own types, so the generic mode answers, checks
and keeps them like the spec's: the endpoint table of aio_openai gives the method, the path
and where each parameter goes (path, query or JSON body); the installed ``openai`` package's
method gives the parameters' types and its return type the answer (a model, or a page of
models), made into JSON Schema by pydantic (titles, descriptions and discriminators dropped,
component names prefixed ``sdk.``). Each such operation's ``x-provenance`` names the SDK's
version, method and answer type.

The JSON is written with sorted keys and gzip'd without a timestamp, so a rerun writes the same
bytes; ``--check`` exits 1 if the file differs from what this run would write
(``tests/unit/test_generic_spec_data.py`` checks the same).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import importlib.util
import inspect
import json
import shutil
import sys
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
SPEC_DIR = REPO_ROOT / "tests" / "conformance" / "spec"
OUT_DIR = REPO_ROOT / "aio_openai" / "testing" / "_generic"
DATA_FILE = OUT_DIR / "openapi.json.gz"
LICENSE_FILE = OUT_DIR / "OPENAPI_LICENSE"
VERSION = "v2"


def _load(relative: str, name: str) -> Any:
    """A module of the repository outside the package (a script under tests/), by path."""
    path = REPO_ROOT / relative
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def _example(entry: Any) -> Any:
    """The JSON value of an example answer string, or None when it is not JSON."""
    text = entry.get("response") if isinstance(entry, dict) else None
    if not isinstance(text, str):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict | list) else None


def build(spec_dir: Path = SPEC_DIR) -> dict[str, Any]:
    """The document the generic mode serves, derived from the spec in ``spec_dir``."""
    derive = _load("tests/conformance/derive_fixtures.py", "_derive_fixtures")
    source = derive.SOURCES[VERSION].spec
    # The source commit's date stands for the derivation date: reruns write the same bytes.
    spec_text, examples_text = derive.derive(
        VERSION, spec_dir, source.commit_date, every_operation=True
    )
    doc: dict[str, Any] = json.loads(spec_text)
    examples: dict[str, Any] = json.loads(examples_text)
    provenance = doc["x-provenance"]
    provenance["derived_by"] = "tools/gen_fake_spec.py (tests/conformance/derive_fixtures.py)"
    provenance["license"] = (
        "MIT License, copyright OpenAI: aio_openai/testing/_generic/OPENAPI_LICENSE"
    )
    provenance["patches"].append(
        "x-examples: each operation's first x-oaiMeta example response that parses as JSON, "
        "keyed by 'method path'"
    )
    kept: dict[str, Any] = {}
    for operation in examples["operations"].values():
        for entry in operation["examples"]:
            value = _example(entry)
            if value is not None:
                kept[f"{operation['method']} {operation['path']}"] = value
                break
    doc["x-examples"] = kept
    _add_sdk_operations(doc)
    return doc


# -- the operations the SDK has and the spec lacks ---------------------------------------------

#: The per-call options of the SDK's methods: no parameters of the request.
_SDK_OPTIONS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})
#: What the JSON Schema pydantic writes carries that the served spec leaves out.
_DROPPED_KEYS = frozenset({"title", "description", "examples", "discriminator"})
_PREFIX = "sdk."


def _sdk_only(doc: Mapping[str, Any]) -> list[Any]:
    """The endpoints of aio_openai the spec lacks and no hand-written route serves."""
    from aiohttp.test_utils import make_mocked_request

    from aio_openai.resources import endpoints
    from aio_openai.testing import FakeState
    from aio_openai.testing._app import build_app

    paths = doc["paths"]
    candidates = [
        e
        for e in endpoints()
        if "?" not in e.path and e.method.lower() not in paths.get(e.path, {})
    ]
    app = build_app(FakeState())

    async def generic() -> list[Any]:
        out = []
        for entry in candidates:
            path = entry.path.replace("{", "x").replace("}", "")
            match = await app.router.resolve(make_mocked_request(entry.method, "/v1" + path))
            resource = match.route.resource
            if resource is not None and "{tail}" in resource.canonical:
                out.append(entry)
        return out

    return asyncio.run(generic())


def _sdk_method(client: Any, where: str, name: str) -> Callable[..., Any]:
    for attribute in where.split("."):
        client = getattr(client, attribute)
    method: Callable[..., Any] = getattr(client, name)
    return method


def _without_omit(tp: Any, *, nullable: bool = True) -> Any:
    """A parameter's type without the SDK's "not given" markers (and None, unless
    ``nullable``: a query parameter is left out, never null)."""
    import openai

    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return tp
    dropped: tuple[Any, ...] = (openai.Omit, openai.NotGiven)
    if not nullable:
        dropped += (type(None),)
    kept = [a for a in typing.get_args(tp) if a not in dropped]
    return kept[0] if len(kept) == 1 else typing.Union[tuple(kept)]  # noqa: UP007


def _answer_type(annotation: Any) -> tuple[Any, str]:
    """The type the answer is made from (a page's class for a paginator) and its name."""
    origin = typing.get_origin(annotation)
    if isinstance(origin, type) and origin.__name__ == "AsyncPaginator":
        item, page = typing.get_args(annotation)
        base = page.__pydantic_generic_metadata__["origin"] or page
        return page, f"{_type_name(base)}[{_type_name(item)}]"
    return annotation, _type_name(annotation)


def _type_name(tp: Any) -> str:
    if isinstance(tp, type):
        return f"{tp.__module__}.{tp.__qualname__}"
    return " | ".join(_type_name(a) for a in typing.get_args(tp)) or repr(tp)


def _clean(node: Any, names: Mapping[str, str]) -> Any:
    """pydantic's JSON Schema as the served spec writes it: no titles, descriptions or
    discriminators (a ``oneOf`` is an ``anyOf``), references to the renamed components."""
    if isinstance(node, list):
        return [_clean(item, names) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED_KEYS:
            continue
        if key == "$ref":
            out[key] = "#/components/schemas/" + names[value.rsplit("/", 1)[1]]
        elif key == "oneOf":
            out["anyOf"] = _clean(value, names)
        elif key in ("properties", "$defs"):
            out[key] = {k: _clean(v, names) for k, v in value.items()}
        else:
            out[key] = _clean(value, names)
    return out


def _add_sdk_operations(doc: dict[str, Any]) -> None:
    """Add the SDK's operations the spec lacks (and no hand-written route serves) to ``doc``."""
    import openai
    from pydantic import TypeAdapter

    from aio_openai._endpoints import spec_of

    support = _load("tests/support.py", "_gen_fake_spec_support")
    where = support.resource_paths()
    client = openai.AsyncOpenAI(api_key="sk-gen-fake-spec", admin_api_key="sk-gen-fake-spec")
    #: per operation: (entry, SDK method name, answer type name, {name: (location, required)})
    plans: list[tuple[Any, str, str, dict[str, tuple[str, bool]]]] = []
    inputs: list[tuple[Any, Any, TypeAdapter[Any]]] = []
    for entry in _sdk_only(doc):
        method = _sdk_method(client, where[entry.resource], entry.name)
        hints = typing.get_type_hints(method, include_extras=True)
        declared = spec_of(getattr(entry.resource, entry.name))
        answer, answer_name = _answer_type(hints["return"])
        key = f"{entry.method.lower()} {entry.path}"
        if answer is not type(None):
            inputs.append(((key, ""), "validation", TypeAdapter(answer)))
        places: dict[str, tuple[str, bool]] = {}
        for name, parameter in inspect.signature(method).parameters.items():
            if name in _SDK_OPTIONS:
                continue
            required = parameter.default is parameter.empty
            if name in declared.ids:
                places[name] = ("path", True)
                continue
            query = declared.keys.get(name, None if declared.sends_body else name)
            location = "body" if query is None else "query"
            places[query or name] = (location, required)
            tp = _without_omit(hints[name], nullable=location == "body")
            inputs.append(((key, query or name), "validation", TypeAdapter(tp)))
        dotted = f"client.{where[entry.resource]}.{entry.name}"
        plans.append((entry, dotted, answer_name, places))
    if not plans:
        return
    made, defs = TypeAdapter.json_schemas(inputs, ref_template="#/$defs/{model}")
    definitions = defs.get("$defs", {})
    names = {n: _PREFIX + n.removeprefix("openai__types__") for n in definitions}
    assert len(set(names.values())) == len(names), "two SDK types under one name"
    schemas = doc["components"]["schemas"]
    for name, schema in definitions.items():
        schemas[names[name]] = _clean(schema, names)
    by_key = {k: _clean(v, names) for (k, _mode), v in made.items()}
    version = openai.__version__
    for entry, dotted, answer_name, places in plans:
        key = f"{entry.method.lower()} {entry.path}"
        # the path's ids in the template's order (the SDK's signature puts the last first)
        parameters: list[dict[str, Any]] = [
            {"in": "path", "name": name, "required": True, "schema": {"type": "string"}}
            for name in spec_of(getattr(entry.resource, entry.name)).ids
        ]
        parameters += [
            {"in": "query", "name": name, "required": required, "schema": by_key[key, name]}
            for name, (location, required) in places.items()
            if location == "query"
        ]
        operation: dict[str, Any] = {
            "x-provenance": {
                "derived_from": f"openai {version} (the SDK's types; the spec lacks it)",
                "method": dotted,
                "answer": answer_name,
            },
            "parameters": parameters,
            "responses": {"200": {"description": "OK"}},
        }
        body = {n: by_key[key, n] for n, (location, _) in places.items() if location == "body"}
        if body:
            required_fields = [n for n in body if places[n][1]]
            body_schema: dict[str, Any] = {
                "type": "object",
                "properties": body,
                "additionalProperties": False,
            }
            if required_fields:
                body_schema["required"] = required_fields
            operation["requestBody"] = {
                "required": bool(required_fields),
                "content": {"application/json": {"schema": body_schema}},
            }
        if (key, "") in by_key:
            content = {"application/json": {"schema": by_key[key, ""]}}
            operation["responses"]["200"]["content"] = content
        doc["paths"].setdefault(entry.path, {})[entry.method.lower()] = operation
    doc["x-provenance"]["patches"].append(
        f"operations with an x-provenance of their own: the SDK's (openai {version}) that the "
        "spec lacks and no hand-written route of FakeOpenAI serves, derived from the SDK's "
        "types (pydantic's JSON Schema, components named sdk.*)"
    )


def encode(doc: dict[str, Any]) -> bytes:
    """The data file's bytes: compact sorted JSON, gzip'd without a name or a timestamp."""
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return gzip.compress(text.encode(), compresslevel=9, mtime=0)


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check``, compare) the data file and its license."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    doc = build()
    if args.check:
        current = (
            json.loads(gzip.decompress(DATA_FILE.read_bytes())) if DATA_FILE.exists() else None
        )
        license_ok = (
            LICENSE_FILE.exists()
            and LICENSE_FILE.read_bytes() == (SPEC_DIR / "LICENSE").read_bytes()
        )
        if current != doc or not license_ok:
            print(f"{DATA_FILE} is stale: run tools/gen_fake_spec.py", file=sys.stderr)
            return 1
        return 0
    DATA_FILE.write_bytes(encode(doc))
    shutil.copyfile(SPEC_DIR / "LICENSE", LICENSE_FILE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
