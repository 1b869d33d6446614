"""The OpenAPI document the generic mode serves, loaded on first use, and its operations.

The document (``openapi.json.gz`` beside this module) is OpenAI's spec reduced by
``tools/gen_fake_spec.py`` (see its ``x-provenance``; MIT License, ``OPENAPI_LICENSE``). It is
read the first time a request reaches the generic mode, never at import or server start.
:func:`load_spec` gives the :class:`Spec`: its path templates matched to a request's path
(literal segments before parameters), each :class:`Operation` with its parameters, request
body, success answer and published example, and the collections (a path whose template plus
``/{id}`` is also in the spec).
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs

__all__ = ["DATA_FILE", "Operation", "Parameter", "Spec", "load_spec", "spec_loaded"]

DATA_FILE: Final = Path(__file__).resolve().parent / "openapi.json.gz"
_METHODS: Final = ("get", "post", "put", "patch", "delete")
_JSON_TYPES: Final = ("application/json",)


@attrs.frozen
class Parameter:
    """A path or query parameter of an operation."""

    name: str
    location: str
    required: bool
    schema: Mapping[str, Any]


@attrs.frozen
class Operation:
    """One operation of the spec: method, path template and what it takes and answers."""

    method: str
    template: str
    parameters: tuple[Parameter, ...]
    #: The request body's media type and schema (None: no body), and whether it is required.
    body_type: str | None
    body_schema: Mapping[str, Any] | None
    body_required: bool
    #: The success answer's status, media type (None: no body) and schema (None: not JSON).
    status: int
    answer_type: str | None
    answer_schema: Mapping[str, Any] | None
    #: The spec's published example answer (JSON), if any.
    example: Any

    @property
    def key(self) -> str:
        """``"get /organization/projects"``: how tests and ``x-examples`` name it."""
        return f"{self.method} {self.template}"


def _media(content: Mapping[str, Any] | None) -> tuple[str | None, Mapping[str, Any] | None]:
    """The preferred media type of a content map (JSON first) and its schema."""
    if not content:
        return None, None
    kind = next((k for k in _JSON_TYPES if k in content), next(iter(content)))
    schema = content[kind].get("schema")
    return kind, schema if isinstance(schema, Mapping) else None


def _operation(method: str, template: str, item: Mapping[str, Any], example: Any) -> Operation:
    raw = item[method]
    params: dict[tuple[str, str], Parameter] = {}
    for entry in [*item.get("parameters", ()), *raw.get("parameters", ())]:
        if entry.get("in") in ("path", "query"):
            params[entry["in"], entry["name"]] = Parameter(
                entry["name"], entry["in"], bool(entry.get("required")), entry.get("schema", {})
            )
    body = raw.get("requestBody") or {}
    body_type, body_schema = _media(body.get("content"))
    answer_type: str | None = None
    answer_schema: Mapping[str, Any] | None = None
    responses = raw.get("responses", {})
    status = next((s for s in sorted(responses) if s.startswith("2")), None)
    if status is not None:
        answer_type, answer_schema = _media(responses[status].get("content"))
    return Operation(
        method=method,
        template=template,
        parameters=tuple(params.values()),
        body_type=body_type,
        body_schema=body_schema,
        body_required=bool(body.get("required")),
        status=int(status) if status is not None and status.isdigit() else 200,
        answer_type=answer_type,
        answer_schema=answer_schema if answer_type in _JSON_TYPES else None,
        example=example,
    )


class Spec:
    """The served document: operations by path template, schemas by reference."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.schemas: Mapping[str, Any] = document["components"]["schemas"]
        examples = document.get("x-examples", {})
        #: path template -> method -> Operation.
        self.operations: dict[str, dict[str, Operation]] = {}
        # A trie of path segments: literal children, then one "{}" child for parameters.
        self._trie: dict[str, Any] = {}
        for template, item in document["paths"].items():
            ops = {
                m: _operation(m, template, item, examples.get(f"{m} {template}"))
                for m in _METHODS
                if m in item
            }
            self.operations[template] = ops
            node = self._trie
            for segment in template.strip("/").split("/"):
                node = node.setdefault("{}" if segment.startswith("{") else segment, {})
            node[""] = template

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """``schema`` with its ``$ref`` (a component schema) followed, until it has none."""
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def match(self, path: str) -> tuple[str, dict[str, str]] | None:
        """The template ``path`` (without ``/v1``) matches and its parameters, or None."""
        segments = path[1:].split("/") if path.startswith("/") else [""]
        if any(not s for s in segments):
            return None
        found = self._walk(self._trie, segments, [])
        if found is None:
            return None
        template, values = found
        names = [s[1:-1] for s in template.strip("/").split("/") if s.startswith("{")]
        return template, dict(zip(names, values, strict=True))

    def _walk(
        self, node: Mapping[str, Any], segments: list[str], values: list[str]
    ) -> tuple[str, list[str]] | None:
        if not segments:
            return (node[""], values) if "" in node else None
        head, rest = segments[0], segments[1:]
        if head in node:
            found = self._walk(node[head], rest, values)
            if found is not None:
                return found
        if "{}" in node:
            return self._walk(node["{}"], rest, [*values, head])
        return None

    def item_template(self, template: str) -> str | None:
        """The template of one item of the collection at ``template``, if the spec has one."""
        node = self._trie
        for segment in template.strip("/").split("/"):
            node = node.get("{}" if segment.startswith("{") else segment, {})
        child = node.get("{}", {})
        found = child.get("")
        return found if isinstance(found, str) else None

    def collection_of(self, template: str) -> str | None:
        """The collection template whose item ``template`` is (it ends in a parameter)."""
        parent, _, last = template.rpartition("/")
        if not last.startswith("{") or not parent or parent not in self.operations:
            return None
        return parent


_LOCK: Final = threading.Lock()
_LOADED: list[Spec] = []


def load_spec() -> Spec:
    """The served :class:`Spec`, read from :data:`DATA_FILE` on the first call."""
    if not _LOADED:
        with _LOCK:
            if not _LOADED:
                _LOADED.append(Spec(json.loads(gzip.decompress(DATA_FILE.read_bytes()))))
    return _LOADED[0]


def spec_loaded() -> bool:
    """Whether :func:`load_spec` has read the document (it is read on first use only)."""
    return bool(_LOADED)
