"""Moderations end to end: the client's ``moderations.create`` against FakeOpenAI's word lists,
and how the rate limiter counts the call (the moderation model's requests and tokens)."""

from __future__ import annotations

from typing import Final

import pytest

from aio_openai import (
    APIResponse,
    AsyncOpenAI,
    BadRequestError,
    NotFoundError,
    RateLimiter,
    RateLimitError,
)
from aio_openai._cost import estimate_tokens
from aio_openai.testing import FakeOpenAI
from aio_openai.types import ModerationCreateResponse
from aio_openai.types.moderation import Moderation

KEY: Final = "sk-moderations-0123456789"


def flagged(result: Moderation) -> set[str]:
    """The categories a result flags, by their JSON names."""
    shown = result.categories.to_dict()
    return {name for name, value in shown.items() if value}


async def test_a_string_is_judged_by_the_word_lists(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    answer = await api.moderations.create(input="I will kill them, watch your back")
    assert isinstance(answer, ModerationCreateResponse)
    assert fake.requests[-1].json == {"input": "I will kill them, watch your back"}
    assert answer.id.startswith("modr-") and answer.model == "omni-moderation-2024-09-26"
    (result,) = answer.results
    assert result.flagged is True
    assert flagged(result) == {"violence", "harassment/threatening"}
    assert result.categories.violence and result.categories.harassment_threatening
    assert result.category_scores.violence >= 0.6 > result.category_scores.hate
    assert result.category_applied_input_types.violence == ["text"]


async def test_a_harmless_string_is_not_flagged(api: AsyncOpenAI) -> None:
    (result,) = (await api.moderations.create(input="What a lovely day for a walk")).results
    assert result.flagged is False and flagged(result) == set()
    assert all(0 <= score < 0.001 for score in result.category_scores.to_dict().values())
    again = (await api.moderations.create(input="What a lovely day for a walk")).results[0]
    assert again.category_scores == result.category_scores  # deterministic


async def test_every_parameter_and_one_result_per_string(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    answer = await api.moderations.create(
        input=["you idiot", "good morning", "end my life"], model="text-moderation-latest"
    )
    assert fake.requests[-1].json == {
        "input": ["you idiot", "good morning", "end my life"],
        "model": "text-moderation-latest",
    }
    assert answer.model == "text-moderation-007"
    assert [flagged(r) for r in answer.results] == [{"harassment"}, set(), {"self-harm/intent"}]


async def test_text_and_images_give_one_result(api: AsyncOpenAI) -> None:
    answer = await api.moderations.create(
        model="omni-moderation-latest",
        input=[
            {"type": "text", "text": "Look at this picture"},
            {"type": "image_url", "image_url": {"url": "https://example.com/gore-subhuman.png"}},
        ],
    )
    (result,) = answer.results
    # images are judged for the categories OpenAI checks them for only: not for hate
    assert flagged(result) == {"violence/graphic"}
    assert result.category_applied_input_types.violence_graphic == ["text", "image"]
    assert result.category_applied_input_types.hate == ["text"]


async def test_the_word_lists_can_be_changed(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.state.moderations.set_words("illicit", ["banana smuggling"])
    (result,) = (await api.moderations.create(input="Banana smuggling, anyone?")).results
    assert flagged(result) == {"illicit"}
    with pytest.raises(ValueError, match="unknown category 'spam'"):
        fake.state.moderations.set_words("spam", ["x"])


async def test_raw_response(api: AsyncOpenAI) -> None:
    raw = await api.moderations.with_raw_response.create(input="hello")
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200 and raw.request_id
    assert isinstance(raw.parse(), ModerationCreateResponse)


async def test_bad_inputs_are_refused_as_openai_refuses_them(api: AsyncOpenAI) -> None:
    with pytest.raises(BadRequestError, match="empty array") as info:
        await api.moderations.create(input=[])
    assert info.value.param == "input"
    with pytest.raises(BadRequestError, match="does not support image inputs"):
        await api.moderations.create(
            model="text-moderation-stable",
            input=[{"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}],
        )
    with pytest.raises(BadRequestError, match="Supported values are: 'text' and 'image_url'"):
        await api.moderations.create(input=[{"type": "audio", "audio": "x"}])  # type: ignore[list-item]
    with pytest.raises(NotFoundError, match="moderation-9000"):
        await api.moderations.create(input="hi", model="moderation-9000")


async def test_the_limiter_counts_the_default_moderation_model(
    fake: FakeOpenAI, clean_env: None
) -> None:
    limiter = RateLimiter(tpm=10_000, rpm=1_000, utilisation=1.0, clock=lambda: 0.0)
    text = "x" * 400
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, rate_limiter=limiter) as client:
        await client.moderations.create(input=text)
        await client.moderations.create(input=text, model="text-moderation-stable")
    pairs = limiter.snapshot()
    # a body naming no model is counted against the model OpenAI uses for it, not the key's
    # pair of calls that spend no tokens
    assert pairs["omni-moderation-latest"]["level_tokens"] == 10_000 - estimate_tokens(
        {"input": text}
    )
    assert pairs["text-moderation-stable"]["level_tokens"] == 10_000 - 100
    assert "*" not in pairs


async def test_the_fake_limits_a_body_without_model_as_the_default_model(
    fake: FakeOpenAI, clean_env: None
) -> None:
    fake.limits.set(rpm=1, model="omni-moderation-latest")
    async with AsyncOpenAI(
        api_key=KEY, base_url=fake.url, max_retries=0, rate_limiter=None
    ) as client:
        await client.moderations.create(input="one")
        with pytest.raises(RateLimitError, match="Rate limit reached for omni-moderation-latest"):
            await client.moderations.create(input="two")
        await client.moderations.create(input="three", model="text-moderation-stable")
