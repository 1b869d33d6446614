"""Values made from a schema: the smallest value that conforms, the same every time.

:func:`synthesize` takes, in order: a ``const``; an enum's first value; a ``default`` or an
``example`` that conforms; for an object its required properties; for an array its
``minItems`` items; for a union its first branch that is not ``null``; for ``allOf`` the merge
of its branches. Scalars by format: ``unixtime`` integers are ``now``, ``uri`` strings a URL,
dates a date; others are ``0``, ``false`` or a string of the minimum length.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aio_openai.testing._generic.schema import Resolve, conforms, type_names

__all__ = ["synthesize"]

#: Deeper than this, optional structure stops (the spec's schemas are recursive).
_MAX_DEPTH: Final = 12
_STRINGS: Final = {
    "uri": "https://example.com",
    "date": "2024-01-01",
    "date-time": "2024-01-01T00:00:00Z",
    "email": "user@example.com",
    "binary": "",
}


def synthesize(
    schema: Mapping[str, Any], resolve: Resolve, now: int, *, name: str = "", depth: int = 0
) -> Any:
    """The value :mod:`this module <._generic.synth>` makes for ``schema``.

    ``name`` is the property the value is for (``id``-like names get an id-like string).
    """
    schema = resolve(schema)
    if "const" in schema:
        return schema["const"]
    enum = [v for v in schema.get("enum", ()) if v is not None]
    if enum:
        return enum[0]
    for key in ("default", "example"):
        if key in schema and schema[key] is not None and conforms(schema, schema[key], resolve):
            return schema[key]
    if "allOf" in schema:
        parts = [synthesize(b, resolve, now, name=name, depth=depth) for b in schema["allOf"]]
        if all(isinstance(p, dict) for p in parts):
            merged: dict[str, Any] = {}
            for part in parts:
                merged.update(part)
            return {**merged, **_object(schema, resolve, now, depth)}
        return parts[0]
    for key in ("anyOf", "oneOf"):
        for branch in schema.get(key, ()):
            if type_names(branch, resolve) != ["null"]:
                return synthesize(branch, resolve, now, name=name, depth=depth)
    kinds = [k for k in type_names(schema, resolve) if k != "null"]
    kind = kinds[0] if kinds else ("object" if "properties" in schema else None)
    if kind == "object":
        return _object(schema, resolve, now, depth)
    if kind == "array":
        items = schema.get("items", {})
        count = schema.get("minItems", 0)
        return [synthesize(items, resolve, now, depth=depth + 1) for _ in range(count)]
    if kind == "string":
        return _string(schema, name)
    if kind in ("integer", "number"):
        if schema.get("format") == "unixtime":
            return now
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        value = low + 1 if "exclusiveMinimum" in schema and "minimum" not in schema else low
        return int(value) if kind == "integer" else float(value)
    if kind == "boolean":
        return False
    return None


def _object(schema: Mapping[str, Any], resolve: Resolve, now: int, depth: int) -> dict[str, Any]:
    properties: Mapping[str, Any] = schema.get("properties", {})
    out: dict[str, Any] = {}
    for key in schema.get("required", ()):
        prop = properties.get(key, {})
        if depth > _MAX_DEPTH and type_names(prop, resolve) and "null" in type_names(prop, resolve):
            out[key] = None
            continue
        out[key] = synthesize(prop, resolve, now, name=key, depth=depth + 1)
    return out


def _string(schema: Mapping[str, Any], name: str) -> str:
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in _STRINGS:
        text = _STRINGS[fmt]
    elif name == "id" or name.endswith("_id"):
        text = f"{name.removesuffix('_id') or 'obj'}_abc123"
    else:
        text = name or "string"
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    text = text.ljust(low, "x")
    return text if high is None else text[:high]
