"""The generic mode's JSON Schema subset: what passes, and the error OpenAI's way (message,
``param`` as a dotted path) for what does not; and values made from schemas conform."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import pytest

from aio_openai.testing._checks import APIError
from aio_openai.testing._generic.schema import check, conforms
from aio_openai.testing._generic.spec import load_spec
from aio_openai.testing._generic.synth import synthesize

SCHEMAS: Final[dict[str, Any]] = {
    "Role": {"type": "string", "enum": ["reader", "owner"]},
    "Member": {
        "type": "object",
        "required": ["id", "role"],
        "properties": {"id": {"type": "string"}, "role": {"$ref": "#/components/schemas/Role"}},
        "additionalProperties": False,
    },
}


def resolve(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in schema:
        schema = SCHEMAS[schema["$ref"].rsplit("/", 1)[1]]
    return schema


BODY: Final = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 5},
        "size": {"type": ["integer", "null"], "minimum": 1, "maximum": 10},
        "ratio": {"type": "number", "exclusiveMinimum": 0},
        "kind": {"const": "team"},
        "members": {
            "type": "array",
            "maxItems": 2,
            "items": {"$ref": "#/components/schemas/Member"},
        },
        "input": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "tags": {"type": "object", "additionalProperties": {"type": "string"}},
        "both": {"allOf": [{"type": "object", "required": ["a"]}, {"required": ["b"]}]},
    },
}


def error_of(value: Any) -> tuple[str | None, str]:
    with pytest.raises(APIError) as caught:
        check(BODY, value, "", resolve)
    assert caught.value.status == 400
    return caught.value.param, caught.value.message


@pytest.mark.parametrize(
    "value",
    [
        {"name": "a"},
        {"name": "abcde", "size": None, "ratio": 0.5, "kind": "team"},
        {"name": "a", "size": 10, "members": [{"id": "u", "role": "owner"}]},
        {"name": "a", "input": "x", "tags": {"k": "v"}, "both": {"a": 1, "b": 2}},
        {"name": "a", "input": ["x", "y"], "unknown_top_level": 1},
    ],
)
def test_conforming_values_pass(value: Any) -> None:
    check(BODY, value, "", resolve)
    assert conforms(BODY, value, resolve)


@pytest.mark.parametrize(
    ("value", "param", "message"),
    [
        ({}, "name", "Missing required parameter: 'name'."),
        ([], "body", "Invalid type for 'body': expected an object, but got an array instead."),
        (
            {"name": 1},
            "name",
            "Invalid type for 'name': expected a string, but got an integer instead.",
        ),
        ({"name": ""}, "name", "Invalid 'name': empty string."),
        ({"name": "abcdef"}, "name", "Invalid 'name': string too long."),
        ({"name": "a", "size": 0}, "size", "Invalid 'size': integer below minimum value."),
        ({"name": "a", "size": 11}, "size", "Invalid 'size': integer above maximum value."),
        ({"name": "a", "size": "1"}, "size", "Invalid type for 'size': expected one of an"),
        ({"name": "a", "ratio": 0}, "ratio", "Invalid 'ratio': integer below minimum value."),
        ({"name": "a", "kind": "club"}, "kind", "Invalid value: 'club'. Supported values"),
        (
            {"name": "a", "members": [{"id": "u", "role": "owner"}, {"id": "v", "role": "x"}]},
            "members[1].role",
            "Invalid value: 'x'. Supported values are: 'reader' and 'owner'.",
        ),
        ({"name": "a", "members": [{"role": "owner"}]}, "members[0].id", "Missing required"),
        (
            {"name": "a", "members": [{"id": "u", "role": "owner", "age": 3}]},
            "members[0].age",
            "Unknown parameter: 'members[0].age'.",
        ),
        ({"name": "a", "members": [{}, {}, {}]}, "members", "Invalid 'members': array too long"),
        ({"name": "a", "input": ["x", 2]}, "input[1]", "Invalid type for 'input[1]'"),
        ({"name": "a", "input": 3}, "input", "Invalid type for 'input': expected one of a string"),
        ({"name": "a", "tags": {"k": 1}}, "tags.k", "Invalid type for 'tags.k'"),
        ({"name": "a", "both": {"a": 1}}, "both.b", "Missing required parameter: 'both.b'."),
    ],
)
def test_errors_name_the_param(value: Any, param: str, message: str) -> None:
    got_param, got_message = error_of(value)
    assert got_param == param
    assert got_message.startswith(message), got_message
    assert not conforms(BODY, value, resolve)


def test_made_values_conform_to_every_request_and_answer_schema_of_the_spec() -> None:
    spec = load_spec()
    checked = 0
    for item in spec.operations.values():
        for op in item.values():
            for schema in (op.body_schema, op.answer_schema):
                if schema is not None:
                    value = synthesize(schema, spec.resolve, 1_700_000_000)
                    check(schema, value, "", spec.resolve)
                    checked += 1
    assert checked > 250
