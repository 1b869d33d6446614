"""OpenAI's checks of a strict JSON schema: structured outputs and strict function tools.

With ``strict: true``, OpenAI refuses (400) a schema whose root is not an object, an object
that is not closed (``additionalProperties: false``), or one whose ``required`` does not list
every property; the message names the place as a tuple of keys (``context=('properties',
'steps', 'items')``). :func:`strict_schema_problem` says what OpenAI would say, or None.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["strict_schema_problem"]

_NESTED = ("anyOf", "allOf", "oneOf")


def strict_schema_problem(schema: Any, *, parameters: bool = False) -> str | None:
    """What is wrong with ``schema`` for strict mode (as OpenAI words it), or None.

    ``parameters``: the schema is a function's; an empty one (``{}``, or none) stands for a
    function without parameters.
    """
    if parameters and not schema:
        return None
    if not isinstance(schema, Mapping):
        return "In context=(), schema must be a JSON Schema of 'type: \"object\"', got 'None'."
    if schema.get("type") != "object" or "anyOf" in schema:
        got = schema.get("type", "anyOf" if "anyOf" in schema else None)
        return f"In context=(), schema must be a JSON Schema of 'type: \"object\"', got '{got}'."
    return _problem(schema, ())


def _problem(node: Any, context: tuple[str, ...]) -> str | None:
    if not isinstance(node, Mapping):
        return None
    kind = node.get("type")
    is_object = kind == "object" or (isinstance(kind, list) and "object" in kind)
    if is_object or "properties" in node:
        if node.get("additionalProperties") is not False:
            return (
                f"In context={context!r}, 'additionalProperties' is required to be supplied"
                " and to be false."
            )
        found_properties = node.get("properties")
        properties: Mapping[str, Any] = (
            found_properties if isinstance(found_properties, Mapping) else {}
        )
        names = list(properties)
        required = node.get("required")
        listed = required if isinstance(required, list) else []
        missing = [name for name in names if name not in listed]
        if missing or not isinstance(required, list):
            return (
                f"In context={context!r}, 'required' is required to be supplied and to be an"
                " array including every key in properties."
                + (f" Missing '{missing[0]}'." if missing else "")
            )
        for name in names:
            found = _problem(properties[name], (*context, "properties", name))
            if found:
                return found
    for key in ("items", "additionalProperties"):
        found = _problem(node.get(key), (*context, key))
        if found:
            return found
    for key in _NESTED:
        members = node.get(key)
        for i, member in enumerate(members if isinstance(members, list) else ()):
            found = _problem(member, (*context, key, str(i)))
            if found:
                return found
    for key in ("$defs", "definitions"):
        defs = node.get(key)
        for name, sub in defs.items() if isinstance(defs, Mapping) else ():
            found = _problem(sub, (*context, key, name))
            if found:
                return found
    return None
