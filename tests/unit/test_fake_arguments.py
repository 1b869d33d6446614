"""The fake model's tool arguments follow the tool's JSON schema and read the prompt."""

from __future__ import annotations

from typing import Any, Final

import pytest

from aio_openai.testing._arguments import fill

CITY: Final = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}


@pytest.mark.parametrize(
    ("prompt", "city"),
    [
        ("What's the weather in Lisbon?", "Lisbon"),
        ("Weather in San Francisco today?", "San Francisco"),
        ("Lisbon weather", "Lisbon"),  # opens the sentence, but the only name there is
        ("weather in lisbon", "lisbon"),  # no capitals: the last word
        ("Is it raining? Tell me about Oslo.", "Oslo"),
        ("I wonder about Kyoto", "Kyoto"),  # "I" is never a name
    ],
)
def test_a_name_like_field_gets_a_name_from_the_prompt(prompt: str, city: str) -> None:
    assert fill(CITY, prompt) == {"city": city}


def test_each_name_like_field_takes_the_next_name() -> None:
    schema = {
        "type": "object",
        "properties": {
            "origin": {"type": "string"},
            "destinationCity": {"type": "string"},
            "passengers": {"type": "integer"},
            "note": {"type": "string"},
        },
    }
    prompt = "Book a flight from Paris to New York for 2 people"
    assert fill(schema, prompt) == {
        "origin": "Paris",
        "destinationCity": "New York",
        "passengers": 2,
        "note": prompt,  # free text gets the whole prompt
    }


def test_a_description_can_make_a_field_name_like() -> None:
    schema = {
        "type": "object",
        "properties": {"q": {"type": "string", "description": "City name, e.g. Paris"}},
    }
    assert fill(schema, "How warm is Rome?") == {"q": "Rome"}


def test_numbers_enums_and_booleans() -> None:
    schema = {
        "type": "object",
        "properties": {
            "days": {"type": "integer", "minimum": 1, "maximum": 10},
            "temperature": {"type": "number"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "mode": {"enum": ["fast", "light rain", "slow"]},
            "hourly": {"type": "boolean"},
            "alerts": {"type": "boolean", "default": False},
            "level": {"enum": [1, 2, 3]},
        },
    }
    value = fill(schema, "Forecast for 30 days, 21.5 degrees, in Fahrenheit, light rain")
    assert value == {
        "days": 10,  # 30 kept within the maximum
        "temperature": 21.5,
        "unit": "fahrenheit",  # the member the prompt names, whatever its case
        "mode": "light rain",
        "hourly": True,
        "alerts": False,  # the default
        "level": 1,  # none named: the first member
    }


def test_without_numbers_the_default_then_the_minimum_then_one() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "integer", "default": 7},
            "b": {"type": "integer", "minimum": 3},
            "c": {"type": "number"},
            "d": {"type": "integer", "exclusiveMinimum": 5},
        },
    }
    assert fill(schema, "no numbers here") == {"a": 7, "b": 3, "c": 1.0, "d": 6}


def test_digits_inside_words_are_not_numbers() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    assert fill(schema, "Ask gpt-4o about H2O, then 12") == {"n": 12}


def test_formats_lengths_and_const() -> None:
    schema = {
        "type": "object",
        "properties": {
            "day": {"type": "string", "format": "date"},
            "at": {"type": "string", "format": "date-time"},
            "mail": {"type": "string", "format": "email"},
            "link": {"type": "string", "format": "uri"},
            "id": {"type": "string", "format": "uuid"},
            "short": {"type": "string", "maxLength": 5},
            "long": {"type": "string", "minLength": 12},
            "kind": {"const": "fixed"},
        },
    }
    value = fill(schema, "Mail ana@example.org on 2025-05-01 about https://x.test/a")
    assert value["day"] == "2025-05-01"
    assert value["at"] == "2000-01-01T00:00:00Z"  # none in the prompt: a well-formed one
    assert value["mail"] == "ana@example.org"
    assert value["link"] == "https://x.test/a"
    assert len(value["id"]) == 36 and value["id"].count("-") == 4
    assert value["short"] == "Mail "
    assert value["kind"] == "fixed"
    assert fill(schema["properties"]["long"], "hi") == "hixxxxxxxxxx"


def test_required_fields_nested_objects_arrays_and_refs() -> None:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "stops": {"type": "array", "items": {"$ref": "#/$defs/Stop"}, "minItems": 2},
            "traveller": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/Person"}]},
            "extra": {"allOf": [{"properties": {"x": {"type": "integer"}}}, {"required": ["y"]}]},
            "tags": {"type": ["array", "null"], "items": {"type": "string", "enum": ["a", "b"]}},
        },
        "required": ["stops", "traveller", "missing"],
        "$defs": {
            "Stop": {"type": "object", "properties": {"city": {"type": "string"}}},
            "Person": {"type": "object", "properties": {"name": {"type": "string"}}},
        },
    }
    value = fill(schema, "Trip via Rome and Vienna for Ana, 3 nights")
    assert value == {
        "stops": [{"city": "Rome"}, {"city": "Vienna"}],
        "traveller": {"name": "Ana"},
        "extra": {"x": 3, "y": "Trip via Rome and Vienna for Ana, 3 nights"},
        "tags": ["a"],
        "missing": "Trip via Rome and Vienna for Ana, 3 nights",  # required, not described
    }


def test_a_schema_that_refers_to_itself_ends() -> None:
    schema = {
        "$defs": {
            "Node": {
                "type": "object",
                "properties": {
                    "v": {"type": "integer"},
                    "kids": {"items": {"$ref": "#/$defs/Node"}},
                },
            }
        },
        "$ref": "#/$defs/Node",
    }
    value = fill(schema, "1 2")
    depth = 0
    while value:
        assert set(value) == {"v", "kids"}
        depth += 1
        value = value["kids"][0] if value["kids"] else None
    assert 2 <= depth <= 8
    # pointers in a circle constrain nothing: any value (the prompt) will do
    assert fill({"$ref": "#/$defs/Loop", "$defs": {"Loop": {"$ref": "#/$defs/Loop"}}}, "x") == "x"


def test_not_a_schema_gives_the_prompt() -> None:
    assert fill(None, "hello") == "hello"
    assert fill({"type": "string"}, "hello") == "hello"
    assert fill({"type": "object"}, "hello") == {}
