"""Legacy completions end to end: ``completions.create`` whole and streamed against FakeOpenAI,
every parameter on the wire, the raw response, and the rate limiter's token accounting."""

from __future__ import annotations

from typing import Final

import pytest

from aio_openai import (
    APIResponse,
    AsyncOpenAI,
    AsyncStream,
    BadRequestError,
    NotFoundError,
    RateLimiter,
)
from aio_openai._cost import charged_tokens, estimate_tokens
from aio_openai.testing import FakeOpenAI
from aio_openai.types import Completion

KEY: Final = "sk-completions-0123456789"
MODEL: Final = "gpt-3.5-turbo-instruct"


async def test_a_prompt_is_echoed_or_answered_as_scripted(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    completion = await api.completions.create(model=MODEL, prompt="Say hi")
    assert isinstance(completion, Completion)
    assert fake.requests[-1].json == {"model": MODEL, "prompt": "Say hi"}
    assert completion.object == "text_completion" and completion.id.startswith("cmpl-")
    (choice,) = completion.choices
    assert (choice.text, choice.index, choice.finish_reason, choice.logprobs) == (
        "Say hi",
        0,
        "stop",
        None,
    )
    assert completion.usage is not None and completion.usage.total_tokens == 4
    fake.state.chat.replies["Say hi"] = "Hi!"
    assert (await api.completions.create(model=MODEL, prompt="Say hi")).choices[0].text == "Hi!"


async def test_every_parameter(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    params = {
        "best_of": 2,
        "echo": True,
        "frequency_penalty": 0.5,
        "logit_bias": {"50256": -100},
        "logprobs": 1,
        "max_tokens": 3,
        "n": 2,
        "presence_penalty": 0.2,
        "seed": 42,
        "stop": ["."],
        "suffix": " end",
        "temperature": 0.7,
        "top_p": 0.9,
        "user": "user-7",
    }
    completion = await api.completions.create(
        model=MODEL,
        prompt=["The cat sat on the mat and purred loudly.", "Dogs."],
        stream=False,
        **params,  # type: ignore[arg-type]
    )
    assert fake.requests[-1].json == {
        "model": MODEL,
        "prompt": ["The cat sat on the mat and purred loudly.", "Dogs."],
        "stream": False,
        **params,
    }
    texts = [(c.index, c.text, c.finish_reason) for c in completion.choices]
    # n per prompt; echo puts the prompt first; max_tokens=3 cuts the first at 12 characters;
    # the stop sequence cuts the second before its "."
    cut = "The cat sat on the mat and purred loudly." + "The cat sat"
    assert texts == [
        (0, cut + " ", "length"),
        (1, cut + " ", "length"),
        (2, "Dogs.Dogs", "stop"),
        (3, "Dogs.Dogs", "stop"),
    ]
    logprobs = completion.choices[0].logprobs
    assert logprobs is not None and logprobs.tokens and logprobs.text_offset[:2] == [0, 4]  # type: ignore[index]


async def test_token_prompts(api: AsyncOpenAI) -> None:
    completion = await api.completions.create(model="davinci-002", prompt=[[1, 2, 3], [4]])
    assert [c.text for c in completion.choices] == ["How can I help you today?"] * 2
    assert completion.usage is not None and completion.usage.prompt_tokens == 4


async def test_stream_in_pieces_with_usage(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.chat.configure(chunk_size=5)
    stream = await api.completions.create(
        model=MODEL,
        prompt="Once upon a time",
        n=2,
        stream=True,
        stream_options={"include_usage": True},
    )
    assert isinstance(stream, AsyncStream)
    async with stream:
        pieces = [piece async for piece in stream]
    assert fake.requests[-1].json["stream"] is True
    assert all(isinstance(p, Completion) for p in pieces)
    by_choice: dict[int, str] = {}
    for piece in pieces[:-1]:
        (choice,) = piece.choices
        by_choice[choice.index] = by_choice.get(choice.index, "") + choice.text
        assert len(choice.text) <= 5
    assert by_choice == {0: "Once upon a time", 1: "Once upon a time"}
    finishes = [p.choices[0].finish_reason for p in pieces[:-1]]
    assert finishes.count("stop") == 2 and finishes.count(None) == len(finishes) - 2
    assert pieces[-1].choices == [] and pieces[-1].usage is not None
    assert pieces[-1].usage.total_tokens == 4 + 8


async def test_raw_response_whole_and_streamed(api: AsyncOpenAI) -> None:
    raw = await api.completions.with_raw_response.create(model=MODEL, prompt="x")
    assert isinstance(raw, APIResponse) and raw.status_code == 200 and raw.request_id
    assert isinstance(raw.parse(), Completion)
    raw_stream = await api.completions.with_raw_response.create(
        model=MODEL, prompt="xyz", stream=True
    )
    assert raw_stream.headers["content-type"].startswith("text/event-stream")
    stream = raw_stream.parse()
    async with stream:
        assert "".join([p.choices[0].text async for p in stream]) == "xyz"


async def test_bad_requests(api: AsyncOpenAI) -> None:
    with pytest.raises(BadRequestError, match="best_of") as info:
        await api.completions.create(model=MODEL, prompt="x", n=3, best_of=2)
    assert info.value.param == "best_of"
    with pytest.raises(BadRequestError, match="stream_options"):
        await api.completions.create(
            model=MODEL, prompt="x", stream_options={"include_usage": True}
        )
    with pytest.raises(BadRequestError, match="logprobs"):
        await api.completions.create(model=MODEL, prompt="x", logprobs=9)
    with pytest.raises(NotFoundError, match="text-davinci-003"):
        await api.completions.create(model="text-davinci-003", prompt="x")
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'prompt'"):
        await api.completions.create(model=MODEL)  # type: ignore[call-arg]


async def test_the_limiter_spends_tokens_and_settles_on_the_usage(
    fake: FakeOpenAI, clean_env: None
) -> None:
    limiter = RateLimiter(tpm=10_000, rpm=1_000, utilisation=1.0, clock=lambda: 0.0)
    body = {"model": MODEL, "prompt": "p" * 400, "max_tokens": 50, "n": 3}
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, rate_limiter=limiter) as client:
        completion = await client.completions.create(**body)  # type: ignore[arg-type]
        assert estimate_tokens(body) == 150  # max_tokens x n beats 400 characters / 4
        assert completion.usage is not None
        charged = charged_tokens(body, completion.usage.to_dict())
        assert limiter.snapshot()[MODEL]["level_tokens"] == 10_000 - charged
        tokens_prompt = {"model": MODEL, "prompt": [list(range(300))]}
        await client.completions.create(**tokens_prompt)  # type: ignore[arg-type]
    assert estimate_tokens(tokens_prompt) == 300  # one token per id
