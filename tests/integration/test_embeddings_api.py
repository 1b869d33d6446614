"""Embeddings end to end: base64 on the wire by default, decoded to exactly the float answer."""

from __future__ import annotations

import base64
import math
import struct
from collections.abc import AsyncIterator
from typing import Final

import pytest

from aio_openai import APIResponseValidationError, AsyncOpenAI, BadRequestError, RateLimiter
from aio_openai._cost import charged_tokens, estimate_tokens
from aio_openai.resources.embeddings import decode_embedding
from aio_openai.testing import FakeOpenAI
from aio_openai.types import CreateEmbeddingResponse, Embedding

KEY: Final = "sk-embed-0123456789"
SMALL: Final = "text-embedding-3-small"


@pytest.fixture
async def client(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    c = AsyncOpenAI(api_key=KEY, base_url=fake.url, max_retries=0)
    try:
        yield c
    finally:
        await c.aclose()


def vectors(response: CreateEmbeddingResponse) -> list[list[float]]:
    out = []
    for item in response.data:
        assert isinstance(item.embedding, list)
        out.append(item.embedding)
    return out


async def test_base64_is_asked_for_and_decoded_to_the_exact_floats(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    texts = ["first text", "second, héllo 🎉"]
    default = await client.embeddings.create(model=SMALL, input=texts)
    assert fake.requests[-1].json["encoding_format"] == "base64"
    floats = await client.embeddings.create(model=SMALL, input=texts, encoding_format="float")
    assert fake.requests[-1].json["encoding_format"] == "float"
    assert isinstance(default, CreateEmbeddingResponse)
    assert all(isinstance(e, Embedding) for e in default.data)
    assert [e.index for e in default.data] == [0, 1]
    assert vectors(default) == vectors(floats)  # exactly, value for value
    assert len(vectors(default)[0]) == 1536
    assert vectors(default)[0] != vectors(default)[1]
    assert math.isclose(sum(v * v for v in vectors(default)[0]), 1.0, rel_tol=1e-5)
    assert default.usage == floats.usage and default.usage is not None
    assert default.model == SMALL and default.object == "list"
    assert default._request_id == fake.requests[-2].request_id


async def test_explicit_base64_is_left_as_sent(client: AsyncOpenAI) -> None:
    raw = await client.embeddings.create(model=SMALL, input="x", encoding_format="base64")
    floats = await client.embeddings.create(model=SMALL, input="x", encoding_format="float")
    encoded = raw.data[0].embedding
    assert isinstance(encoded, str)
    assert decode_embedding(encoded) == floats.data[0].embedding
    # little-endian float32, whatever the machine's byte order
    first = struct.unpack("<f", base64.b64decode(encoded)[:4])[0]
    assert first == vectors(floats)[0][0]


async def test_the_same_input_gives_the_same_vector(client: AsyncOpenAI) -> None:
    a = await client.embeddings.create(model=SMALL, input="same")
    b = await client.embeddings.create(model=SMALL, input=["other", "same"])
    assert vectors(a)[0] == vectors(b)[1]


async def test_dimensions_shorten_and_renormalize(client: AsyncOpenAI) -> None:
    short = await client.embeddings.create(model=SMALL, input="x", dimensions=8)
    full = await client.embeddings.create(model=SMALL, input="x")
    vector = vectors(short)[0]
    assert len(vector) == 8
    assert math.isclose(sum(v * v for v in vector), 1.0, rel_tol=1e-5)
    norm = math.sqrt(sum(v * v for v in vectors(full)[0][:8]))
    assert vector == pytest.approx([v / norm for v in vectors(full)[0][:8]], rel=1e-5)
    large = await client.embeddings.create(model="text-embedding-3-large", input="x")
    assert len(vectors(large)[0]) == 3072


async def test_token_inputs_and_generators(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    one = await client.embeddings.create(model=SMALL, input=[1, 2, 3])
    assert len(one.data) == 1
    many = await client.embeddings.create(model=SMALL, input=iter([[1, 2], [3]]))
    assert fake.requests[-1].json["input"] == [[1, 2], [3]]
    assert len(many.data) == 2
    assert many.usage is not None and many.usage.prompt_tokens == 3


async def test_bad_inputs_are_400s(client: AsyncOpenAI) -> None:
    with pytest.raises(BadRequestError) as info:
        await client.embeddings.create(model="text-embedding-ada-002", input="x", dimensions=8)
    assert info.value.param == "dimensions"
    with pytest.raises(BadRequestError) as info:
        await client.embeddings.create(model=SMALL, input="")
    assert info.value.param == "input"
    with pytest.raises(BadRequestError):
        await client.embeddings.create(model=SMALL, input="x", dimensions=5000)


async def test_with_raw_response(client: AsyncOpenAI) -> None:
    raw = await client.embeddings.with_raw_response.create(model=SMALL, input="x")
    assert raw.status_code == 200
    assert isinstance(raw.json()["data"][0]["embedding"], str)  # what came on the wire
    assert isinstance(raw.parse().data[0].embedding, list)  # what the caller gets


def test_decode_embedding_rejects_bad_data() -> None:
    assert decode_embedding(base64.b64encode(struct.pack("<2f", 1.5, -2.0)).decode()) == [
        1.5,
        -2.0,
    ]
    with pytest.raises(ValueError):
        decode_embedding(base64.b64encode(b"abc").decode())
    with pytest.raises(ValueError):
        decode_embedding("not base64!")


async def test_a_broken_base64_answer_is_a_validation_error(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    body = {
        "object": "list",
        "model": SMALL,
        "data": [{"object": "embedding", "index": 0, "embedding": "@@@"}],
        "usage": {"prompt_tokens": 1, "total_tokens": 1},
    }
    fake.faults.push("POST /v1/embeddings", kind="invalid_json", body=body)
    with pytest.raises(APIResponseValidationError, match="base64"):
        await client.embeddings.create(model=SMALL, input="x")


async def test_the_limiter_reconciles_embeddings_too(fake: FakeOpenAI) -> None:
    limiter = RateLimiter(tpm=10_000, rpm=1_000, utilisation=1.0, clock=lambda: 0.0)
    body = {"model": SMALL, "input": ["aaa", "bbb", "c"]}  # each input counts on its own
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, rate_limiter=limiter) as client:
        response = await client.embeddings.create(model=SMALL, input=body["input"])
    assert response.usage is not None
    charged = charged_tokens(body, response.usage.to_dict())
    assert charged is not None
    level = limiter.snapshot()[SMALL]["level_tokens"]
    assert (charged, estimate_tokens(body)) == (3, 2)  # 1 + 1 + 1, not (7 + 3) // 4
    assert level == 10_000 - charged
