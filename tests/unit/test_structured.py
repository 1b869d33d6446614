"""Structured outputs, the pure parts: the strict schema of a type (compared with what the
official SDK's ``to_strict_json_schema`` gives for the same class written as a pydantic model),
the model's JSON made into the type, and the partial JSON read while a stream comes in
(compared with the SDK's partial parser, jiter)."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
import typing
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any, Final, Literal

import attrs
import jiter
import pydantic
import pytest
import typing_extensions
from aioresponses import aioresponses as Aioresponses
from openai.lib._pydantic import to_strict_json_schema as sdk_strict_schema

from aio_openai import (
    AsyncOpenAI,
    ContentFilterFinishReasonError,
    function_tool,
    pydantic_function_tool,
    responses_function_tool,
)
from aio_openai._partial_json import PartialJSON
from aio_openai._structured import LoadError, load
from aio_openai.lib import (
    to_strict_json_schema,
    type_to_response_format_param,
    type_to_text_format_param,
)
from aio_openai.testing._strict import strict_schema_problem
from aio_openai.types.responses import ParsedResponseOutputMessage


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Size(enum.IntEnum):
    """Sizes, in centimetres."""

    SMALL = 10
    LARGE = 20


# -- the same classes, written four ways ------------------------------------------------------


class P:
    """pydantic models: what the official SDK takes."""

    class Step(pydantic.BaseModel):
        explanation: str
        output: str

    class Answer(pydantic.BaseModel):
        """A worked answer."""

        steps: list[P.Step]
        final_answer: str = pydantic.Field(description="the answer alone")
        confidence: float
        attempts: int = 3
        note: str | None = None
        best: P.Step | None = None
        kind: Literal["exact", "estimate"]
        unit: Literal["m"]
        color: Color = Color.RED
        size: Size
        when: datetime.datetime
        day: datetime.date
        ref: uuid.UUID
        tags: set[str]
        scores: tuple[int, ...]
        either: int | P.Step
        done: bool

    class Node(pydantic.BaseModel):
        name: str
        children: list[P.Node]


class A:
    """attrs classes."""

    @attrs.define
    class Step:
        explanation: str
        output: str

    @attrs.define
    class Answer:
        """A worked answer."""

        steps: list[A.Step]
        final_answer: str = attrs.field(metadata={"description": "the answer alone"})
        confidence: float = attrs.field()
        attempts: int = 3
        note: str | None = None
        best: A.Step | None = None
        kind: Literal["exact", "estimate"] = attrs.field(kw_only=True)
        unit: Literal["m"] = attrs.field(kw_only=True)
        color: Color = Color.RED
        size: Size = attrs.field(kw_only=True)
        when: datetime.datetime = attrs.field(kw_only=True)
        day: datetime.date = attrs.field(kw_only=True)
        ref: uuid.UUID = attrs.field(kw_only=True)
        tags: set[str] = attrs.field(kw_only=True)
        scores: tuple[int, ...] = attrs.field(kw_only=True)
        either: int | A.Step = attrs.field(kw_only=True)
        done: bool = attrs.field(kw_only=True)


class D:
    """dataclasses."""

    @dataclasses.dataclass
    class Step:
        explanation: str
        output: str

    @dataclasses.dataclass(kw_only=True)
    class Answer:
        """A worked answer."""

        steps: list[D.Step]
        final_answer: str = dataclasses.field(metadata={"description": "the answer alone"})
        confidence: float
        attempts: int = 3
        note: str | None = None
        best: D.Step | None = None
        kind: Literal["exact", "estimate"]
        unit: Literal["m"]
        color: Color = Color.RED
        size: Size
        when: datetime.datetime
        day: datetime.date
        ref: uuid.UUID
        tags: set[str]
        scores: tuple[int, ...]
        either: int | D.Step
        done: bool


class Step(typing.TypedDict):
    explanation: str
    output: str


class TypedStep(typing_extensions.TypedDict):
    explanation: str
    output: typing_extensions.NotRequired[str]


A.Step.__module__ = D.Step.__module__ = P.Step.__module__


def strict_rules_hold(schema: Any, path: str = "") -> Iterator[str]:
    """Every place the strict rules do not hold (nothing for a strict schema)."""
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            if schema.get("additionalProperties") is not False:
                yield f"{path}: additionalProperties"
            if sorted(schema.get("required", [])) != sorted(schema.get("properties", {})):
                yield f"{path}: required"
        if "default" in schema and schema["default"] is None:
            yield f"{path}: a null default"
        if "$ref" in schema and len(schema) > 1:
            yield f"{path}: a $ref with other keys"
        for key, value in schema.items():
            yield from strict_rules_hold(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from strict_rules_hold(value, f"{path}/{i}")


@pytest.mark.parametrize("ours", [A.Answer, D.Answer], ids=["attrs", "dataclass"])
def test_our_classes_get_the_schema_the_sdk_gives_the_same_pydantic_model(ours: Any) -> None:
    got = to_strict_json_schema(ours)
    assert got == sdk_strict_schema(P.Answer)
    assert list(strict_rules_hold(got)) == []
    assert strict_schema_problem(got) is None  # the fake's OpenAI check agrees


@pytest.mark.parametrize("ours", [Step, TypedStep], ids=["typing", "typing_extensions"])
def test_a_typeddict_gets_the_schema_pydantic_gives_it(ours: Any) -> None:
    sdk = sdk_strict_schema(pydantic.TypeAdapter(TypedStep))
    got = to_strict_json_schema(ours)
    assert got == {**sdk, "title": ours.__name__}
    assert got["required"] == ["explanation", "output"]  # NotRequired too: strict wants all


def test_a_pydantic_model_gets_the_sdks_schema() -> None:
    assert to_strict_json_schema(P.Answer) == sdk_strict_schema(P.Answer)
    adapter = pydantic.TypeAdapter(TypedStep)
    assert to_strict_json_schema(adapter) == sdk_strict_schema(adapter)


def test_optionals_are_nullable_and_required() -> None:
    schema = to_strict_json_schema(A.Answer)
    assert schema["properties"]["note"] == {
        "anyOf": [{"type": "string"}, {"type": "null"}],
        "title": "Note",
    }
    assert "note" in schema["required"] and "default" not in schema["properties"]["note"]
    assert schema["properties"]["best"] == {"anyOf": [{"$ref": "#/$defs/Step"}, {"type": "null"}]}
    assert schema["$defs"]["Step"]["additionalProperties"] is False


def test_a_recursive_class_refers_to_its_own_definition() -> None:
    @dataclasses.dataclass
    class Node:  # defined in a function: its name is found all the same
        name: str
        children: list[Node]

    schema = to_strict_json_schema(Node)
    assert schema["properties"]["children"]["items"] == {"$ref": "#/$defs/Node"}
    assert schema["$defs"]["Node"]["properties"] == schema["properties"]
    assert schema == sdk_strict_schema(P.Node)


def test_a_description_given_next_to_a_class_inlines_its_definition() -> None:
    @attrs.define
    class Outer:
        step: A.Step = attrs.field(metadata={"description": "the one step"})

    class POuter(pydantic.BaseModel):
        step: P.Step = pydantic.Field(description="the one step")

    schema = to_strict_json_schema(Outer)
    assert schema == {**sdk_strict_schema(POuter), "title": "Outer"}
    assert "$ref" not in schema["properties"]["step"]
    assert schema["properties"]["step"]["additionalProperties"] is False


@pytest.mark.parametrize(
    ("annotation", "words"),
    [
        (dict[str, int], "keys are declared"),
        (typing.Mapping[str, str], "keys are declared"),
        (Any, "needs a type"),
        (tuple[int, str], "fixed-length"),
        (list, "type of its items"),
        (complex, "no strict JSON schema"),
    ],
)
def test_what_strict_mode_cannot_describe_is_a_type_error_naming_the_field(
    annotation: Any, words: str
) -> None:
    cls = attrs.make_class(
        "Bad", {"fine": attrs.field(type=str), "field": attrs.field(type=annotation)}
    )
    with pytest.raises(TypeError, match=rf"Bad|field.*{words}") as caught:
        to_strict_json_schema(cls)
    assert "field" in str(caught.value) and words in str(caught.value)


@pytest.mark.parametrize("value", [int, "Answer", list[A.Step], object()])
def test_a_type_that_is_not_a_class_with_fields_is_refused(value: Any) -> None:
    with pytest.raises(TypeError, match="expected an attrs class, a dataclass"):
        to_strict_json_schema(value)


def test_the_formats_name_the_class_and_are_strict() -> None:
    assert type_to_response_format_param(A.Step) == {
        "type": "json_schema",
        "json_schema": {"schema": to_strict_json_schema(A.Step), "name": "Step", "strict": True},
    }
    assert type_to_text_format_param(D.Step) == {
        "type": "json_schema",
        "strict": True,
        "name": "Step",
        "schema": to_strict_json_schema(D.Step),
    }
    given = {"type": "json_object"}
    assert type_to_response_format_param(given) is given
    # each call hands out its own copy: changing one changes nothing else
    to_strict_json_schema(A.Step)["properties"].clear()
    assert to_strict_json_schema(A.Step)["properties"]


def test_function_tools_carry_the_strict_schema_and_the_docstring() -> None:
    tool = function_tool(A.Answer)
    assert tool == {
        "type": "function",
        "function": {
            "name": "Answer",
            "strict": True,
            "parameters": to_strict_json_schema(A.Answer),
            "description": "A worked answer.",
        },
    }
    assert pydantic_function_tool is function_tool
    assert function_tool(D.Step, name="step", description="One step.")["function"]["name"] == "step"
    assert "description" not in function_tool(D.Step)["function"]  # a dataclass's made-up doc
    responses = responses_function_tool(P.Step, defer_loading=True)
    assert responses == {
        "type": "function",
        "name": "Step",
        "strict": True,
        "parameters": sdk_strict_schema(P.Step),
        "defer_loading": True,
    }


# -- the model's JSON made into the type --------------------------------------------------------

GOOD: dict[str, Any] = {
    "steps": [{"explanation": "8x = -29", "output": "x = -29/8"}],
    "final_answer": "-3.625",
    "confidence": 1,
    "attempts": 2,
    "note": None,
    "best": {"explanation": "e", "output": "o"},
    "kind": "exact",
    "unit": "m",
    "color": "blue",
    "size": 20,
    "when": "2024-05-01T12:30:00Z",
    "day": "2024-05-01",
    "ref": "12345678-1234-5678-1234-567812345678",
    "tags": ["a", "b"],
    "scores": [1, 2],
    "either": {"explanation": "x", "output": "y"},
    "done": True,
    "unknown": "ignored",
}


@pytest.mark.parametrize(
    "cls", [A.Answer, D.Answer, P.Answer], ids=["attrs", "dataclass", "pydantic"]
)
def test_json_that_fits_becomes_the_class(cls: Any) -> None:
    answer = load(cls, json.dumps(GOOD))
    assert isinstance(answer, cls)
    assert answer.steps[0].output == "x = -29/8" and type(answer.steps[0]).__name__ == "Step"
    assert answer.confidence == 1.0 and isinstance(answer.confidence, float)
    assert answer.color is Color.BLUE and answer.size is Size.LARGE
    assert answer.when == datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.UTC)
    assert answer.day == datetime.date(2024, 5, 1)
    assert answer.ref == uuid.UUID(GOOD["ref"])
    assert answer.tags == {"a", "b"} and answer.scores == (1, 2)
    assert answer.either.output == "y" and answer.done is True and answer.note is None


def test_a_typeddict_gets_the_declared_keys_only() -> None:
    assert load(Step, '{"explanation": "e", "output": "o", "extra": 1}') == {
        "explanation": "e",
        "output": "o",
    }


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"attempts": "2"}, "expected an integer, got a string @ $.attempts"),
        ({"attempts": True}, "expected an integer, got a boolean @ $.attempts"),
        ({"final_answer": 3}, "expected a string, got an integer @ $.final_answer"),
        ({"done": 1}, "expected a boolean, got an integer @ $.done"),
        ({"kind": "guess"}, "$.kind"),
        ({"color": "green"}, "$.color"),
        ({"steps": [{"explanation": "e"}]}, "required field missing @ $.steps[0].output"),
        ({"day": "May 1st"}, "$.day"),
        ({"either": "text"}, "fits no member of the union"),
    ],
)
def test_json_that_does_not_fit_says_where(change: dict[str, Any], reason: str) -> None:
    with pytest.raises(LoadError) as caught:
        load(A.Answer, json.dumps({**GOOD, **change}))
    assert reason in caught.value.reason
    assert caught.value.__cause__ is not None


def test_the_class_own_checks_run() -> None:
    @attrs.define
    class Positive:
        n: int = attrs.field(validator=attrs.validators.gt(0))

    assert load(Positive, '{"n": 3}') == Positive(3)
    with pytest.raises(LoadError, match="must be > 0"):
        load(Positive, '{"n": -1}')


def test_text_that_is_not_json_and_pydantic_failures() -> None:
    with pytest.raises(LoadError, match="not valid JSON"):
        load(A.Step, '{"explanation": "cut')
    with pytest.raises(LoadError, match="validation error") as caught:
        load(P.Step, '{"explanation": 1}')
    assert isinstance(caught.value.__cause__, pydantic.ValidationError)


# -- JSON read while it streams ------------------------------------------------------------------

DOCUMENTS = [
    json.dumps(GOOD),
    '{"a": 12, "b": [1, 2.5e3, -3, 0.5E-2], "c": {"d": "he\\"llo\\\\", "e": [true, false, null]}}',
    '[1, {"a": "b"}, [], {}, "s\\u00e9"]',
    '{ "k" : "v\\n" , "n" : -0 , "x" : [ ] }',
]


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("piece", [1, 3, 7])
def test_each_prefix_reads_as_the_sdks_partial_parser_reads_it(document: str, piece: int) -> None:
    reader = PartialJSON()
    for end in range(0, len(document) + 1):
        if end:
            reader.feed(document[end - 1 : end]) if piece == 1 else None
        if piece != 1:
            reader = PartialJSON()
            for start in range(0, end, piece):
                reader.feed(document[start : min(start + piece, end)])
        prefix = document[:end]
        expected = jiter.from_json(prefix.encode(), partial_mode=True) if prefix.strip() else None
        assert reader.value() == expected, prefix
    assert reader.value() == json.loads(document)


def test_text_that_is_not_json_reads_as_nothing_from_there_on() -> None:
    reader = PartialJSON()
    reader.feed('{"a": 1, ')
    assert reader.value() == {"a": 1}
    reader.feed("oops")
    assert reader.value() is None
    reader.feed('"b": 2}')
    assert reader.value() is None


# -- answers FakeOpenAI does not give: canned over HTTP ---------------------------------------

BASE: Final = "https://api.openai.com/v1"


@pytest.fixture
async def api(clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    async with AsyncOpenAI(api_key="sk-unit-0123456789", max_retries=0) as client:
        yield client


def completion(finish: str, content: str | None) -> dict[str, Any]:
    message = {"role": "assistant", "content": content, "refusal": None}
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o",
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
    }


async def test_the_content_filter_raises_its_error_with_the_completion(
    mock_http: Aioresponses, api: AsyncOpenAI
) -> None:
    mock_http.post(f"{BASE}/chat/completions", payload=completion("content_filter", '{"expl'))
    with pytest.raises(ContentFilterFinishReasonError) as caught:
        await api.chat.completions.parse(
            model="gpt-4o", messages=[{"role": "user", "content": "x"}], response_format=A.Step
        )
    assert caught.value.completion is not None
    assert caught.value.completion.choices[0].message.content == '{"expl'


def message(phase: str | None, text: str) -> dict[str, Any]:
    part = {"type": "output_text", "text": text, "annotations": [], "logprobs": []}
    item: dict[str, Any] = {"type": "message", "id": f"msg_{phase}", "role": "assistant"}
    if phase is not None:
        item["phase"] = phase
    return {**item, "status": "completed", "content": [part]}


async def test_only_the_final_answer_is_parsed_as_the_sdk_does(
    mock_http: Aioresponses, api: AsyncOpenAI
) -> None:
    fits = '{"explanation": "e", "output": "o"}'
    body = {
        "id": "resp_1",
        "object": "response",
        "created_at": 1767225600,
        "status": "completed",
        "model": "gpt-4o",
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "output": [message("commentary", fits), message("final_answer", fits)],
    }
    mock_http.post(f"{BASE}/responses", payload=body)
    response = await api.responses.parse(model="gpt-4o", input="x", text_format=A.Step)
    commentary, final = response.output
    assert isinstance(commentary, ParsedResponseOutputMessage)
    assert isinstance(final, ParsedResponseOutputMessage)
    assert [getattr(p, "parsed", None) for p in commentary.content] == [None]
    assert response.output_parsed == A.Step("e", "o")
    assert response.output_text == fits + fits
