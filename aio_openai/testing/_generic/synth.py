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
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        for branch in schema["allOf"]:
            merged = _merge(merged, resolve(branch))
        return synthesize(merged, resolve, now, name=name, depth=depth)
    for key in ("anyOf", "oneOf"):
        for branch in schema.get(key, ()):
            if type_names(branch, resolve) == ["null"]:
                continue
            rest = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
            # A branch beside the schema's own keywords narrows it: {type: object, anyOf:
            # [{required: [a]}, ...]} is an object with a.
            merged = _merge(rest, resolve(branch)) if rest else branch
            return synthesize(merged, resolve, now, name=name, depth=depth)
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


def _merge(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """Two schemas of one value as one: properties and required names joined."""
    out = {**a, **b}
    if "properties" in a or "properties" in b:
        out["properties"] = {**a.get("properties", {}), **b.get("properties", {})}
    if "required" in a or "required" in b:
        out["required"] = list(dict.fromkeys([*a.get("required", ()), *b.get("required", ())]))
    if "type" in a and "type" not in b:
        out["type"] = a["type"]
    return out


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
