"""Images end to end against FakeOpenAI: valid PNGs at the requested size, as b64_json or a
URL on the fake, edits and variations of uploaded PNGs, streamed partial images, OpenAI's
errors for bad sizes and formats, and the rate limiter counting requests only."""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Final

import aiohttp
import pytest

from aio_openai import APIResponse, AsyncOpenAI, BadRequestError, RateLimiter
from aio_openai.testing import FakeOpenAI
from aio_openai.types import ImageGenCompletedEvent, ImageGenPartialImageEvent, ImagesResponse

KEY: Final = "sk-images-0123456789"


def decode_png(data: bytes) -> tuple[int, int, int, bytes]:
    """Width, height, colour type and raw rows of a PNG, every chunk's CRC checked."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, header = 8, b"", b""
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body)
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    width, height, _, colour = struct.unpack(">IIBB", header[:10])
    return width, height, colour, zlib.decompress(idat)


def png_of(answer: ImagesResponse, index: int = 0) -> bytes:
    data = answer.data or []
    b64 = data[index].b64_json
    assert b64 is not None
    return base64.b64decode(b64)


async def test_generate_gives_pngs_of_the_size_asked(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    answer = await api.images.generate(
        prompt="a red fox", size="256x256", n=2, response_format="b64_json"
    )
    assert isinstance(answer, ImagesResponse) and len(answer.data or []) == 2
    width, height, colour, rows = decode_png(png_of(answer))
    assert (width, height, colour) == (256, 256, 2) and len(rows) == 256 * (1 + 256 * 3)
    again = await api.images.generate(
        prompt="a red fox", size="256x256", n=2, response_format="b64_json"
    )
    assert png_of(again) == png_of(answer)  # deterministic
    assert fake.requests[-1].json == {
        "prompt": "a red fox",
        "size": "256x256",
        "n": 2,
        "response_format": "b64_json",
    }


async def test_a_url_answer_is_served_by_the_fake(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    answer = await api.images.generate(prompt="a cat", model="dall-e-3", size="1792x1024")
    (image,) = answer.data or []
    assert image.url is not None and image.revised_prompt == "a cat"
    async with aiohttp.ClientSession() as session, session.get(image.url) as response:
        assert response.content_type == "image/png"
        assert decode_png(await response.read())[:2] == (1792, 1024)


async def test_gpt_image_every_parameter_and_transparency(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.add_model("gpt-image-1")
    answer = await api.images.generate(
        prompt="a logo",
        model="gpt-image-1",
        background="transparent",
        moderation="low",
        n=1,
        output_compression=100,
        output_format="png",
        quality="low",
        size="1536x1024",
        user="u1",
        extra_headers={"X-Test": "1"},
    )
    assert answer.background == "transparent" and answer.size == "1536x1024"
    assert answer.usage is not None and answer.usage.total_tokens > 0
    assert decode_png(png_of(answer))[:3] == (1536, 1024, 6)
    raw = await api.images.with_raw_response.generate(prompt="x", model="gpt-image-1")
    assert isinstance(raw, APIResponse) and raw.parse().size == "1024x1024"


async def test_streamed_generation_sends_partial_images(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.add_model("gpt-image-1")
    stream = await api.images.generate(
        prompt="a tree", model="gpt-image-1", stream=True, partial_images=2
    )
    events = [event async for event in stream]
    partial = [e for e in events if isinstance(e, ImageGenPartialImageEvent)]
    assert [e.partial_image_index for e in partial] == [0, 1]
    assert isinstance(events[-1], ImageGenCompletedEvent)
    final = base64.b64decode(events[-1].b64_json)
    assert decode_png(final)[:2] == (1024, 1024)
    assert base64.b64decode(partial[0].b64_json) != final


@pytest.mark.parametrize(
    ("args", "param"),
    [
        ({"size": "1000x1000"}, "size"),
        ({"model": "dall-e-3", "size": "256x256"}, "size"),
        ({"n": 11}, "n"),
        ({"model": "dall-e-3", "n": 2}, "n"),
        ({"response_format": "gif"}, "response_format"),
        ({"stream": True}, "stream"),
    ],
)
async def test_bad_requests_are_refused_as_openai_does(
    api: AsyncOpenAI, args: dict[str, object], param: str
) -> None:
    with pytest.raises(BadRequestError) as info:
        await api.images.generate(prompt="x", **args)  # type: ignore[call-overload]
    assert info.value.param == param


async def test_edit_and_variation_of_an_uploaded_png(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    source = png_of(
        await api.images.generate(prompt="a", size="512x512", response_format="b64_json")
    )
    edited = await api.images.edit(
        image=("in.png", source), prompt="add a hat", mask=("mask.png", source),
        response_format="b64_json",
    )  # fmt: skip
    assert decode_png(png_of(edited))[:2] == (512, 512)  # the image's size by default
    assert fake.requests[-1].headers["Content-Type"].startswith("multipart/form-data")
    varied = await api.images.create_variation(
        image=("in.png", source), n=2, size="256x256", response_format="b64_json"
    )
    assert [decode_png(png_of(varied, i))[:2] for i in range(2)] == [(256, 256)] * 2
    with pytest.raises(BadRequestError, match="Invalid image file") as info:
        await api.images.create_variation(image=("in.png", b"not a png"))
    assert info.value.param == "image"


async def test_a_streamed_edit_with_several_images(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.add_model("gpt-image-1")
    source = png_of(
        await api.images.generate(prompt="a", size="256x256", response_format="b64_json")
    )
    stream = await api.images.edit(
        image=[("a.png", source), ("b.png", source)],
        prompt="merge",
        model="gpt-image-1",
        stream=True,
        partial_images=1,
        input_fidelity="high",
    )
    types = [event.type async for event in stream]
    assert types == ["image_edit.partial_image", "image_edit.completed"]


async def test_the_limiter_counts_image_calls_as_requests(
    fake: FakeOpenAI, clean_env: None
) -> None:
    limiter = RateLimiter(tpm=10_000, rpm=1_000, utilisation=1.0, clock=lambda: 0.0)
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, rate_limiter=limiter) as client:
        await client.images.generate(prompt="x" * 900, size="256x256")
    pair = limiter.snapshot()["dall-e-2"]  # the model of a body naming none
    assert (pair["level_tokens"], pair["level_requests"]) == (10_000, 999)
