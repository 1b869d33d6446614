"""HTTP(S)_PROXY / NO_PROXY from the environment are honoured, read once per client."""

from __future__ import annotations

import pytest
from yarl import URL

from aio_openai import APIConnectionError, AsyncOpenAI, InsecureTransportWarning
from aio_openai._client import env_proxy
from aio_openai.testing import FakeOpenAI

PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


def test_env_proxy_rules(no_proxy_env: pytest.MonkeyPatch) -> None:
    assert env_proxy(URL("https://api.openai.com/v1")) is None
    no_proxy_env.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    no_proxy_env.setenv("NO_PROXY", "localhost,127.0.0.1,.internal")
    assert env_proxy(URL("https://api.openai.com/v1")) == "http://proxy.example:3128"
    assert env_proxy(URL("http://api.openai.com/v1")) is None  # no HTTP_PROXY
    assert env_proxy(URL("https://127.0.0.1:8000/v1")) is None
    assert env_proxy(URL("https://llm.internal/v1")) is None


async def test_requests_go_through_the_proxy(no_proxy_env: pytest.MonkeyPatch) -> None:
    async with FakeOpenAI() as fake:
        # FakeOpenAI answers absolute-form requests, so it can stand in for a forward proxy:
        # the base URL's host does not resolve, only the proxy can answer.
        no_proxy_env.setenv("HTTP_PROXY", fake.url.removesuffix("/v1"))
        with pytest.warns(InsecureTransportWarning):  # plain http to another host
            client = AsyncOpenAI(
                api_key="sk-test", base_url="http://openai.invalid/v1", max_retries=0
            )
        async with client:
            model = await client.models.retrieve("gpt-4")
        assert model.id == "gpt-4"
        assert fake.requests[-1].path == "/v1/models/gpt-4"


async def test_no_proxy_bypasses_it(no_proxy_env: pytest.MonkeyPatch) -> None:
    async with FakeOpenAI() as fake:
        no_proxy_env.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
        no_proxy_env.setenv("NO_PROXY", "127.0.0.1")
        async with AsyncOpenAI(api_key="sk-test", base_url=fake.url, max_retries=0) as client:
            assert (await client.models.retrieve("gpt-4")).id == "gpt-4"
        no_proxy_env.delenv("NO_PROXY")
        async with AsyncOpenAI(api_key="sk-test", base_url=fake.url, max_retries=0) as client:
            with pytest.raises(APIConnectionError):
                await client.models.retrieve("gpt-4")
