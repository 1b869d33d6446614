"""``chat.completions.parse`` and ``responses.parse`` end to end, against FakeOpenAI.

Round trips for each kind of type (attrs, dataclass, TypedDict, pydantic), what is sent (the
strict schema), refusals, a cut output (LengthFinishReasonError), output that does not fit
(ContentParseError, holding the text), function tools with parsed arguments, and FakeOpenAI
refusing a schema that is not strict, as OpenAI does.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import typing
from collections.abc import AsyncIterator, Iterator
from typing import Any, Final, Literal

import attrs
import pydantic
import pytest

from aio_openai import (
    APIResponse,
    APIResponseValidationError,
    AsyncOpenAI,
    BadRequestError,
    ContentParseError,
    LengthFinishReasonError,
    function_tool,
    responses_function_tool,
)
from aio_openai.lib import to_strict_json_schema
from aio_openai.testing import FakeOpenAI
from aio_openai.types.chat import ChatCompletion, ParsedChatCompletion, ParsedFunctionToolCall
from aio_openai.types.responses import (
    ParsedResponse,
    ParsedResponseFunctionToolCall,
    ParsedResponseOutputMessage,
    ParsedResponseOutputText,
    Response,
    ResponseOutputRefusal,
)

KEY: Final = "sk-structured-0123456789"
MODEL: Final = "gpt-4o-mini"
PROMPT: Final = "Lisbon has 545000 people"


@attrs.frozen
class CityAttrs:
    name: str
    population: int


@dataclasses.dataclass
class CityDataclass:
    name: str
    population: int


class CityTyped(typing.TypedDict):
    name: str
    population: int


class CityModel(pydantic.BaseModel):
    name: str
    population: int


KINDS: Final = [CityAttrs, CityDataclass, CityTyped, CityModel]
IDS: Final = ["attrs", "dataclass", "TypedDict", "pydantic"]


def city(kind: Any, name: str = "Lisbon", population: int = 545000) -> Any:
    return kind(name=name, population=population)


class Mode(enum.Enum):
    TRAIN = "train"
    PLANE = "plane"


@attrs.frozen
class Stop:
    city: str
    nights: int


@attrs.frozen
class Trip:
    """A trip: its stops and how to travel."""

    stops: list[Stop]
    mode: Mode
    pace: Literal["slow", "fast"]
    budget: float | None = None


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    """One server for the module, in a thread; each test leaves its scripts as it found them."""
    with FakeOpenAI().running_in_thread() as server:
        yield server


@pytest.fixture
async def api(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    fake.requests.clear()
    client = AsyncOpenAI(api_key=KEY, base_url=fake.url, max_retries=0)
    try:
        yield client
    finally:
        await client.aclose()
        for scripts in (fake.state.chat.replies, fake.state.chat.refusals):
            scripts.clear()
        fake.state.responses.replies.clear()
        fake.state.responses.refusals.clear()


def user(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


def sent(fake: FakeOpenAI) -> Any:
    return fake.requests[-1].json


# -- chat.completions.parse -------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
async def test_chat_parse_round_trip(fake: FakeOpenAI, api: AsyncOpenAI, kind: Any) -> None:
    completion = await api.chat.completions.parse(
        model=MODEL, messages=user(PROMPT), response_format=kind
    )
    assert isinstance(completion, ParsedChatCompletion) and isinstance(completion, ChatCompletion)
    message = completion.choices[0].message
    assert message.parsed == city(kind)
    assert message.content is not None and json.loads(message.content) == {
        "name": "Lisbon",
        "population": 545000,
    }
    assert message.refusal is None
    assert completion._request_id == fake.requests[-1].request_id
    body = sent(fake)
    assert body["stream"] is False
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {
            "schema": to_strict_json_schema(kind),
            "name": kind.__name__,
            "strict": True,
        },
    }


async def test_beta_chat_is_chat_under_the_sdks_older_name(
    fake: FakeOpenAI, api: AsyncOpenAI
) -> None:
    completion = await api.beta.chat.completions.parse(
        model=MODEL, messages=user(PROMPT), response_format=CityAttrs
    )
    assert completion.choices[0].message.parsed == CityAttrs(name="Lisbon", population=545000)
    assert fake.requests[-1].path == "/v1/chat/completions"
    async with api.beta.chat.completions.stream(
        model=MODEL, messages=user(PROMPT), response_format=CityAttrs
    ) as stream:
        final = await stream.get_final_completion()
    assert final.choices[0].message.parsed == CityAttrs(name="Lisbon", population=545000)


async def test_chat_parse_of_nested_classes_enums_and_optionals(api: AsyncOpenAI) -> None:
    completion = await api.chat.completions.parse(
        model=MODEL, messages=user("Porto for 3 nights, slow, by plane"), response_format=Trip
    )
    trip = completion.choices[0].message.parsed
    assert trip == Trip(
        stops=[Stop(city="Porto", nights=3)], mode=Mode.PLANE, pace="slow", budget=1.0
    )
    assert isinstance(trip, Trip) and isinstance(trip.stops[0], Stop)


async def test_chat_parse_without_a_type_is_a_parsed_completion_with_nothing_parsed(
    fake: FakeOpenAI, api: AsyncOpenAI
) -> None:
    completion = await api.chat.completions.parse(model=MODEL, messages=user("Hi"))
    assert completion.choices[0].message.content == "Hi"
    assert completion.choices[0].message.parsed is None
    assert "response_format" not in sent(fake)
    json_object = await api.chat.completions.parse(
        model=MODEL, messages=user("Hi"), response_format={"type": "json_object"}
    )
    assert json.loads(json_object.choices[0].message.content or "") == {"reply": "Hi"}
    assert json_object.choices[0].message.parsed is None


@pytest.mark.parametrize("kind", [CityAttrs, CityModel], ids=["attrs", "pydantic"])
async def test_a_refusal_sets_refusal_and_leaves_parsed_none(
    fake: FakeOpenAI, api: AsyncOpenAI, kind: Any
) -> None:
    fake.state.chat.refusals[PROMPT] = "I can't help with that."
    completion = await api.chat.completions.parse(
        model=MODEL, messages=user(PROMPT), response_format=kind
    )
    message = completion.choices[0].message
    assert (message.refusal, message.content, message.parsed) == (
        "I can't help with that.",
        None,
        None,
    )
    assert completion.choices[0].finish_reason == "stop"


async def test_a_cut_output_raises_length_finish_reason_error(api: AsyncOpenAI) -> None:
    with pytest.raises(LengthFinishReasonError) as caught:
        await api.chat.completions.parse(
            model=MODEL, messages=user(PROMPT), response_format=CityAttrs, max_tokens=3
        )
    completion = caught.value.completion
    assert completion.choices[0].finish_reason == "length"
    assert completion.choices[0].message.content == '{"name":"Lisbon"'[:12]
    assert "token limit" in str(caught.value)


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
async def test_output_that_does_not_fit_raises_content_parse_error_with_the_text(
    fake: FakeOpenAI, api: AsyncOpenAI, kind: Any
) -> None:
    wrong = '{"name": "Lisbon", "population": "many"}'
    fake.state.chat.replies[PROMPT] = wrong
    with pytest.raises(ContentParseError) as caught:
        await api.chat.completions.parse(model=MODEL, messages=user(PROMPT), response_format=kind)
    error = caught.value
    assert error.content == wrong and error.output_type is kind
    assert isinstance(error, APIResponseValidationError) and isinstance(error, ValueError)
    assert error.status_code == 200 and error.request_id == fake.requests[-1].request_id
    assert "population" in str(error) and kind.__name__ in str(error)
    if kind is CityModel:
        assert isinstance(error.__cause__, pydantic.ValidationError)


@attrs.frozen
class Summary:
    title: str
    summary: str


async def test_text_that_is_not_json_raises_content_parse_error(
    fake: FakeOpenAI, api: AsyncOpenAI
) -> None:
    fake.state.chat.replies[PROMPT] = "Lisbon, about 545000 people"
    completion = await api.chat.completions.parse(
        model=MODEL, messages=user(PROMPT), response_format=CityAttrs
    )  # a scripted reply that is not JSON is made into JSON that fits
    assert completion.choices[0].message.parsed == CityAttrs(name="Lisbon", population=545000)
    long = "Write about Lisbon: " + "the city of seven hills by the river " * 3
    with pytest.raises(ContentParseError, match="not valid JSON") as caught:
        await api.responses.parse(
            model=MODEL, input=long, text_format=Summary, max_output_tokens=16
        )  # cut at its token limit: the Responses API says incomplete, the JSON is cut short
    assert caught.value.content.startswith('{"title":"Write about Lisbon: the city')
    assert len(caught.value.content) == 64


async def test_parsed_messages_go_back_without_what_parse_added(
    fake: FakeOpenAI, api: AsyncOpenAI
) -> None:
    first = await api.chat.completions.parse(
        model=MODEL, messages=user(PROMPT), response_format=CityAttrs
    )
    message = first.choices[0].message
    again = await api.chat.completions.parse(
        model=MODEL,
        messages=[*user(PROMPT), message, *user("What about Porto?")],
        response_format=CityAttrs,
    )
    assert sent(fake)["messages"][1] == {"content": message.content, "role": "assistant"}
    assert again.choices[0].message.parsed == CityAttrs(name="Porto", population=1)


async def test_with_raw_response_parse_gives_the_parsed_completion(api: AsyncOpenAI) -> None:
    raw = await api.chat.completions.with_raw_response.parse(
        model=MODEL, messages=user(PROMPT), response_format=CityDataclass
    )
    assert isinstance(raw, APIResponse) and raw.status_code == 200
    assert raw.parse().choices[0].message.parsed == city(CityDataclass)


# -- function tools --------------------------------------------------------------------------------


class Weather(pydantic.BaseModel):
    """The weather forecast of a city."""

    city: str
    days: int


@attrs.frozen
class WeatherAttrs:
    city: str
    days: int


class WeatherTyped(typing.TypedDict):
    city: str
    days: int


@pytest.mark.parametrize(
    "kind", [Weather, WeatherAttrs, WeatherTyped], ids=["pydantic", "attrs", "TypedDict"]
)
async def test_chat_parse_parses_the_arguments_of_function_tools(
    fake: FakeOpenAI, api: AsyncOpenAI, kind: Any
) -> None:
    plain = {
        "type": "function",
        "function": {
            "name": "get_time",
            "strict": True,
            "parameters": to_strict_json_schema(CityAttrs),
        },
    }
    completion = await api.chat.completions.parse(
        model=MODEL, messages=user("Paris for 5 days"), tools=[function_tool(kind), plain]
    )
    calls = completion.choices[0].message.tool_calls
    assert calls is not None and all(isinstance(c, ParsedFunctionToolCall) for c in calls)
    weather, time = calls
    assert isinstance(weather, ParsedFunctionToolCall) and isinstance(time, ParsedFunctionToolCall)
    assert weather.function.parsed_arguments == kind(city="Paris", days=5)
    assert time.function.parsed_arguments == {"name": "Paris", "population": 5}  # decoded JSON
    tool = sent(fake)["tools"][0]
    assert tool["function"]["strict"] is True
    assert tool["function"]["parameters"] == to_strict_json_schema(kind)
    again = await api.chat.completions.parse(
        model=MODEL,
        messages=[
            *user("Paris for 5 days"),
            completion.choices[0].message,
            {"role": "tool", "tool_call_id": weather.id, "content": "Sunny"},
        ],
        tools=[function_tool(kind)],
    )
    assert "parsed_arguments" not in json.dumps(sent(fake)["messages"])
    assert again.choices[0].message.content == "Sunny"


async def test_chat_parse_refuses_tools_it_cannot_parse(fake: FakeOpenAI, api: AsyncOpenAI) -> None:
    loose = {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}
    with pytest.raises(ValueError, match="'f' is not strict"):
        await api.chat.completions.parse(model=MODEL, messages=user("x"), tools=[loose])
    custom = {"type": "custom", "custom": {"name": "g"}}
    with pytest.raises(ValueError, match="function tools"):
        await api.chat.completions.parse(model=MODEL, messages=user("x"), tools=[custom])
    with pytest.raises(TypeError, match="expected an attrs class"):
        await api.chat.completions.parse(
            model=MODEL, messages=user("x"), response_format=dict[str, int]
        )
    assert fake.requests == []  # refused before anything was sent


async def test_a_schema_that_is_not_strict_is_refused_as_openai_refuses_it(
    api: AsyncOpenAI,
) -> None:
    loose = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    with pytest.raises(BadRequestError, match="'additionalProperties' is required") as caught:
        await api.chat.completions.create(
            model=MODEL,
            messages=user("x"),
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "A", "strict": True, "schema": loose},
            },
        )
    assert caught.value.param == "response_format"
    partly = {**loose, "additionalProperties": False, "properties": {"a": {}, "b": {}}}
    with pytest.raises(BadRequestError, match="Missing 'b'"):
        await api.chat.completions.create(
            model=MODEL,
            messages=user("x"),
            tools=[
                {
                    "type": "function",
                    "function": {"name": "f", "strict": True, "parameters": partly},
                }
            ],
        )
    with pytest.raises(BadRequestError, match=r"context=\('properties', 'a'\)"):
        await api.responses.create(
            model=MODEL,
            input="x",
            text={
                "format": {
                    "type": "json_schema",
                    "name": "A",
                    "strict": True,
                    "schema": {
                        "type": "object",
                        "properties": {"a": {"type": "object", "properties": {}}},
                        "required": ["a"],
                        "additionalProperties": False,
                    },
                }
            },
        )


# -- responses.parse -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
async def test_responses_parse_round_trip(fake: FakeOpenAI, api: AsyncOpenAI, kind: Any) -> None:
    response = await api.responses.parse(
        model=MODEL, input=PROMPT, text_format=kind, text={"verbosity": "low"}
    )
    assert isinstance(response, ParsedResponse) and isinstance(response, Response)
    assert response.output_parsed == city(kind)
    (message,) = response.output
    assert isinstance(message, ParsedResponseOutputMessage)
    (part,) = message.content
    assert isinstance(part, ParsedResponseOutputText) and part.parsed == city(kind)
    assert response.output_text == part.text
    assert sent(fake)["text"] == {
        "verbosity": "low",
        "format": {
            "type": "json_schema",
            "strict": True,
            "name": kind.__name__,
            "schema": to_strict_json_schema(kind),
        },
    }


async def test_responses_parse_refusal_parse_as_and_failures(
    fake: FakeOpenAI, api: AsyncOpenAI
) -> None:
    fake.state.responses.refusals["no"] = "I can't help with that."
    refused = await api.responses.parse(model=MODEL, input="no", text_format=CityAttrs)
    assert refused.output_parsed is None
    (message,) = refused.output
    assert isinstance(message, ParsedResponseOutputMessage)
    assert message.content == [ResponseOutputRefusal(refusal="I can't help with that.")]
    as_other = await api.responses.parse(
        model=MODEL, input=PROMPT, text_format=CityAttrs, parse_as=CityModel
    )
    assert as_other.output_parsed == city(CityModel)
    unparsed = await api.responses.parse(
        model=MODEL, input=PROMPT, text_format=CityAttrs, parse_as=None
    )
    assert unparsed.output_parsed is None and json.loads(unparsed.output_text)["name"] == "Lisbon"
    fake.state.responses.replies[PROMPT] = '{"name": "Lisbon"}'
    with pytest.raises(ContentParseError, match="population") as caught:
        await api.responses.parse(model=MODEL, input=PROMPT, text_format=CityDataclass)
    assert caught.value.content == '{"name": "Lisbon"}'
    with pytest.raises(TypeError, match="cannot go together"):
        await api.responses.parse(
            model=MODEL, input="x", text_format=CityAttrs, text={"format": {"type": "text"}}
        )
    with pytest.raises(ValueError, match="use stream"):
        await api.responses.parse(model=MODEL, input="x", stream=True)


async def test_responses_parse_parses_function_calls(fake: FakeOpenAI, api: AsyncOpenAI) -> None:
    response = await api.responses.parse(
        model=MODEL,
        input="Paris for 5 days",
        tools=[function_tool(Weather), responses_function_tool(WeatherAttrs, name="attrs_weather")],
    )
    first, second = response.output
    assert isinstance(first, ParsedResponseFunctionToolCall)
    assert isinstance(second, ParsedResponseFunctionToolCall)
    assert first.parsed_arguments == Weather(city="Paris", days=5)
    assert second.parsed_arguments == WeatherAttrs(city="Paris", days=5)
    # the Chat Completions shape was sent in the Responses shape
    assert sent(fake)["tools"][0] == {
        "type": "function",
        "name": "Weather",
        "strict": True,
        "parameters": to_strict_json_schema(Weather),
        "description": "The weather forecast of a city.",
    }
    answered = await api.responses.parse(
        model=MODEL,
        input=[
            *response.output,
            {"type": "function_call_output", "call_id": first.call_id, "output": "Sunny"},
        ],
        tools=[function_tool(Weather)],
    )
    assert "parsed_arguments" not in json.dumps(sent(fake)["input"])
    assert answered.output_text == "Sunny"
    loose = {"type": "function", "function": {"name": "f", "parameters": {}}}
    with pytest.raises(TypeError, match="function_tool"):
        await api.responses.parse(model=MODEL, input="x", tools=[loose])
