"""The JSON Schema subset the spec uses, checked as OpenAI checks a request.

:func:`check` raises :class:`APIError` (400) naming the offending ``param`` as a dotted path
(``project.name``, ``items[2].role``) with OpenAI's messages; :func:`conforms` says whether a
value passes. Keywords: ``$ref``, ``type`` (a name or a list, ``null`` included), ``enum``,
``const``, ``properties``, ``required``, ``additionalProperties``, ``items``,
``anyOf``/``oneOf`` (both read as "any of": the spec's unions overlap), ``allOf``, the
bounds (``minimum``, ``maximum``, ``exclusiveMinimum``, ``exclusiveMaximum``, ``minLength``,
``maxLength``, ``minItems``, ``maxItems``). Other keywords are not checked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from aio_openai.testing._checks import APIError, invalid_value, missing, wrong_type

__all__ = ["Resolve", "check", "conforms", "type_names"]

#: Follows a schema's ``$ref``.
Resolve = Callable[[Mapping[str, Any]], Mapping[str, Any]]

_ARTICLES: Final = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


def _is(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    return kind == "null" and value is None


def type_names(schema: Mapping[str, Any], resolve: Resolve) -> list[str]:
    """The JSON types ``schema`` admits at its top (empty: any)."""
    schema = resolve(schema)
    kind = schema.get("type")
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list):
        return [k for k in kind if isinstance(k, str)]
    names: list[str] = []
    for key in ("anyOf", "oneOf"):
        for branch in schema.get(key, ()):
            branch_names = type_names(branch, resolve)
            if not branch_names:
                return []
            names += [n for n in branch_names if n not in names]
    if "const" in schema or "enum" in schema:
        values = [schema["const"]] if "const" in schema else schema["enum"]
        for value in values:
            for name in _ARTICLES:
                if _is(value, name) and name not in names and name != "number":
                    names.append(name)
    return names


def _expected(names: list[str]) -> str:
    words = [_ARTICLES.get(n, n) for n in names]
    if len(words) == 1:
        return words[0]
    return "one of " + ", ".join(words[:-1]) + " or " + words[-1]


def _refused(param: str, what: str, expected: str, got: Any, code: str) -> APIError:
    """OpenAI's 400 for a value out of its schema's bounds."""
    return APIError(
        400,
        f"Invalid '{param}': {what}. Expected {expected}, but got {got} instead.",
        param=param,
        code=code,
    )


def _bounds(schema: Mapping[str, Any], value: Any, param: str) -> None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        noun = "integer" if isinstance(value, int) else "decimal"
        low, above = schema.get("minimum"), schema.get("exclusiveMinimum")
        high = schema.get("maximum")
        if (low is not None and value < low) or (above is not None and value <= above):
            bound = f">= {low}" if low is not None and value < low else f"> {above}"
            what, code = f"{noun} below minimum value", f"{noun}_below_min_value"
            raise _refused(param, what, f"a value {bound}", value, code)
        if high is not None and value > high:
            what, code = f"{noun} above maximum value", f"{noun}_above_max_value"
            raise _refused(param, what, f"a value <= {high}", value, code)
    if isinstance(value, str):
        noun, suffix = "string", "Length"
    elif isinstance(value, list):
        noun, suffix = "array", "Items"
    else:
        return
    size, a = len(value), _article(noun)
    low, high = schema.get(f"min{suffix}"), schema.get(f"max{suffix}")
    if low is not None and size < low:
        what = "empty string" if noun == "string" and size == 0 else f"{noun} too short"
        expected = f"{a} with minimum length {low}"
        raise _refused(param, what, expected, f"{a} with length {size}", f"{noun}_below_min_length")
    if high is not None and size > high:
        expected = f"{a} with maximum length {high}"
        what, code = f"{noun} too long", f"{noun}_above_max_length"
        raise _refused(param, what, expected, f"{a} with length {size}", code)


def _article(noun: str) -> str:
    return "an array" if noun == "array" else "a string"


def _join(param: str, key: str) -> str:
    return f"{param}.{key}" if param else key


def check(schema: Mapping[str, Any], value: Any, param: str, resolve: Resolve) -> None:
    """Raise :class:`APIError` (400) if ``value`` does not match ``schema``.

    ``param`` names ``value`` in the error (dotted; ``""`` for a whole body).
    """
    schema = resolve(schema)
    for branch in schema.get("allOf", ()):
        check(branch, value, param, resolve)
    branches = [*schema.get("anyOf", ()), *schema.get("oneOf", ())]
    if branches:
        _check_union(branches, value, param, resolve)
    names = type_names({k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}, resolve)
    if "type" in schema and not any(_is(value, n) for n in names):
        raise wrong_type(param or "body", _expected(names), value)
    if "const" in schema and value != schema["const"]:
        raise invalid_value(param, value, (str(schema["const"]),))
    if "enum" in schema and value not in schema["enum"]:
        raise invalid_value(param, value, tuple(str(v) for v in schema["enum"] if v is not None))
    _bounds(schema, value, param)
    if isinstance(value, dict):
        _check_object(schema, value, param, resolve)
    elif isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for index, item in enumerate(value):
            check(schema["items"], item, f"{param}[{index}]", resolve)


def _check_object(
    schema: Mapping[str, Any], value: dict[str, Any], param: str, resolve: Resolve
) -> None:
    properties: Mapping[str, Any] = schema.get("properties", {})
    for name in schema.get("required", ()):
        if name not in value:
            raise missing(_join(param, name))
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        where = _join(param, name)
        if name in properties:
            check(properties[name], item, where, resolve)
        elif extra is False and "properties" in schema:
            raise APIError(
                400, f"Unknown parameter: '{where}'.", param=where, code="unknown_parameter"
            )
        elif isinstance(extra, Mapping):
            check(extra, item, where, resolve)
    if "maxProperties" in schema and len(value) > schema["maxProperties"]:
        raise APIError(
            400,
            f"Invalid '{param}': too many properties. Expected an object with at most "
            f"{schema['maxProperties']} properties, but got an object with {len(value)} "
            "properties instead.",
            param=param,
            code="object_above_max_properties",
        )


def _check_union(
    branches: list[Mapping[str, Any]], value: Any, param: str, resolve: Resolve
) -> None:
    """Pass if any branch passes; else raise the error of the branch that got furthest."""
    errors: list[APIError] = []
    admitted: list[str] = []
    for branch in branches:
        names = type_names(branch, resolve)
        admitted += [n for n in names if n not in admitted]
        if names and not any(_is(value, n) for n in names):
            continue
        try:
            check(branch, value, param, resolve)
        except APIError as exc:
            errors.append(exc)
        else:
            return
    if not errors:
        raise wrong_type(param or "body", _expected(admitted), value)
    raise max(errors, key=lambda e: len(e.param or ""))


def conforms(schema: Mapping[str, Any], value: Any, resolve: Resolve) -> bool:
    """Whether ``value`` matches ``schema`` (as :func:`check` sees it)."""
    try:
        check(schema, value, "", resolve)
    except APIError:
        return False
    return True
