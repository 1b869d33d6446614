"""AsyncOpenAI configuration: the API key, environment, defaults, headers, with_options."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from yarl import URL

from aio_openai import AsyncOpenAI, OpenAIError, Request

pytestmark = pytest.mark.usefixtures("clean_env")

KEY = "sk-unit-0123456789abcdef"
SECRET = "sk-SECRET-0123456789abcdef"


def auth(request: Request) -> str:
    return request.headers["Authorization"]


# -- the API key ---------------------------------------------------------------------------------


def test_no_api_key_anywhere_is_an_openai_error() -> None:
    with pytest.raises(OpenAIError, match="OPENAI_API_KEY"):
        AsyncOpenAI()


def test_empty_api_key_is_an_openai_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "")
    with pytest.raises(OpenAIError, match="OPENAI_API_KEY"):
        AsyncOpenAI()
    with pytest.raises(OpenAIError, match="OPENAI_API_KEY"):
        AsyncOpenAI(api_key="")


def test_argument_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "https://env.test/v1")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-env")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-env")
    c = AsyncOpenAI(
        api_key="sk-arg", base_url="https://arg.test/v1", organization="org-arg", project="p-arg"
    )
    assert c.api_key == "sk-arg"
    assert c.base_url == URL("https://arg.test/v1")
    assert (c.organization, c.project) == ("org-arg", "p-arg")


def test_environment_is_picked_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "https://env.test:8080/v1")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-env")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-env")
    c = AsyncOpenAI()
    assert c.api_key == "sk-from-env"
    assert c.base_url == URL("https://env.test:8080/v1")
    assert (c.organization, c.project) == ("org-env", "proj-env")
    request = c.build_request("GET", "/models")
    assert str(request.url) == "https://env.test:8080/v1/models"
    assert auth(request) == "Bearer sk-from-env"
    assert request.headers["OpenAI-Organization"] == "org-env"
    assert request.headers["OpenAI-Project"] == "proj-env"


def test_no_organization_or_project_headers_unless_set() -> None:
    request = AsyncOpenAI(api_key=KEY).build_request("GET", "/models")
    assert "OpenAI-Organization" not in request.headers
    assert "OpenAI-Project" not in request.headers


# -- defaults ------------------------------------------------------------------------------------


def test_defaults() -> None:
    c = AsyncOpenAI(api_key=KEY)
    assert c.base_url == URL("https://api.openai.com/v1")
    assert c.max_retries == 2
    assert c.timeout == 600
    request = c.build_request("GET", "/models")
    assert str(request.url) == "https://api.openai.com/v1/models"
    assert isinstance(request.timeout, aiohttp.ClientTimeout)
    assert request.timeout.total == 600
    assert request.timeout.sock_connect == 5
    assert request.method == "GET"
    assert request.content is None


async def test_default_connector_limit_is_1000() -> None:
    c = AsyncOpenAI(api_key=KEY)
    try:
        session = c._pool.session()
        assert isinstance(session.connector, aiohttp.TCPConnector)
        assert session.connector.limit == 1000
        assert session.connector.limit_per_host == 0
    finally:
        await c.aclose()


async def test_max_connections_sets_the_connector_limit() -> None:
    c = AsyncOpenAI(api_key=KEY, max_connections=7)
    try:
        connector = c._pool.session().connector
        assert connector is not None
        assert connector.limit == 7
        copy = c.with_options(timeout=1)
        assert copy._pool.session().connector is connector
    finally:
        await c.aclose()


@pytest.mark.parametrize(
    "base_url",
    ["https://h.test/v1", "https://h.test/v1/", URL("https://h.test/v1/"), "https://h.test/v1//"],
)
def test_trailing_slash_on_base_url_gives_the_same_path(base_url: Any) -> None:
    c = AsyncOpenAI(api_key=KEY, base_url=base_url)
    assert c.build_request("GET", "/models/gpt-4").url.raw_path == "/v1/models/gpt-4"


def test_base_url_with_a_prefix_path() -> None:
    c = AsyncOpenAI(api_key=KEY, base_url="https://proxy.test/openai/v1/")
    assert str(c.build_request("GET", "/models").url) == "https://proxy.test/openai/v1/models"


@pytest.mark.parametrize("base_url", ["api.openai.com/v1", "ftp://h.test/v1", "http:///v1"])
def test_bad_base_url_is_refused(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        AsyncOpenAI(api_key=KEY, base_url=base_url)


@pytest.mark.parametrize("timeout", [0, -5, "60"])
def test_bad_timeout_is_refused(timeout: Any) -> None:
    with pytest.raises(ValueError, match="timeout"):
        AsyncOpenAI(api_key=KEY, timeout=timeout)


def test_timeout_none_means_no_total_limit() -> None:
    request = AsyncOpenAI(api_key=KEY, timeout=None).build_request("GET", "/models")
    assert request.timeout.total is None
    assert request.timeout.sock_connect == 5


def test_client_timeout_object_is_used_as_is() -> None:
    t = aiohttp.ClientTimeout(total=3, connect=1)
    assert AsyncOpenAI(api_key=KEY, timeout=t).build_request("GET", "/m").timeout is t


@pytest.mark.parametrize("max_retries", [-1, 1.5, "2"])
def test_bad_max_retries_is_refused(max_retries: Any) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        AsyncOpenAI(api_key=KEY, max_retries=max_retries)


def test_max_connections_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="max_connections"):
        AsyncOpenAI(api_key=KEY, max_connections=0)


# -- default headers and query -------------------------------------------------------------------


def test_default_headers_and_query_go_on_every_request() -> None:
    c = AsyncOpenAI(
        api_key=KEY,
        default_headers={"X-Team": "core", "User-Agent": "mine/1"},
        default_query={"api-version": "2024-01-01", "none": None},
    )
    request = c.build_request("GET", "/models")
    assert request.headers["X-Team"] == "core"
    assert request.headers["User-Agent"] == "mine/1"
    assert dict(request.url.query) == {"api-version": "2024-01-01"}
    assert auth(request) == f"Bearer {KEY}"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"default_headers": {"X-Evil": "a\r\nInjected: 1"}},
        {"default_headers": {"X-Evil": "a\nb"}},
        {"default_headers": {"X-Evil": "a\rb"}},
        {"default_headers": {"X-Evil": "a\0b"}},
        {"default_headers": {"X-Ev\r\nil": "v"}},
        {"api_key": "sk-a\r\nInjected: 1"},
    ],
)
def test_crlf_in_header_values_refused_at_construction(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="CR, LF"):
        AsyncOpenAI(**{"api_key": KEY, **kwargs})


def test_non_string_header_value_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="X-Num"):
        AsyncOpenAI(api_key=KEY, default_headers={"X-Num": 1})  # type: ignore[dict-item]


def test_crlf_in_per_call_headers_refused_when_building() -> None:
    c = AsyncOpenAI(api_key=KEY)
    with pytest.raises(ValueError, match="CR, LF"):
        c.build_request("GET", "/models", options={"extra_headers": {"X": "a\r\nb"}})
    with pytest.raises(ValueError, match="CR, LF"):
        c.build_request("POST", "/x", body={}, options={"idempotency_key": "k\nInjected: 1"})


# -- with_options / copy -------------------------------------------------------------------------


def test_with_options_returns_a_new_client_on_the_same_pool() -> None:
    c = AsyncOpenAI(api_key=KEY)
    copy = c.with_options(timeout=5)
    assert copy is not c
    assert type(copy) is AsyncOpenAI
    assert copy._pool is c._pool
    assert c.copy()._pool is c._pool
    assert AsyncOpenAI.with_options is AsyncOpenAI.copy


def test_overrides_apply_only_to_the_copy() -> None:
    c = AsyncOpenAI(api_key=KEY, default_headers={"X-A": "a"})
    copy = c.with_options(
        timeout=5, max_retries=7, default_headers={"X-B": "b"}, api_key="sk-other"
    )
    assert (copy.timeout, copy.max_retries, copy.api_key) == (5, 7, "sk-other")
    assert (c.timeout, c.max_retries, c.api_key) == (600, 2, KEY)
    copied = copy.build_request("GET", "/models")
    original = c.build_request("GET", "/models")
    assert copied.timeout.total == 5
    assert original.timeout.total == 600
    assert (copied.headers["X-A"], copied.headers["X-B"]) == ("a", "b")
    assert "X-B" not in original.headers
    assert auth(copied) == "Bearer sk-other"
    assert auth(original) == f"Bearer {KEY}"


def test_copy_keeps_everything_not_overridden() -> None:
    c = AsyncOpenAI(
        api_key=KEY,
        organization="org-1",
        project="proj-1",
        base_url="https://h.test/v1",
        timeout=30,
        max_retries=4,
        default_headers={"X-A": "a"},
        default_query={"q": "1"},
    )
    copy = c.copy()
    assert (copy.api_key, copy.organization, copy.project) == (KEY, "org-1", "proj-1")
    assert (copy.base_url, copy.timeout, copy.max_retries) == (c.base_url, 30, 4)
    assert copy.build_request("GET", "/m").headers == c.build_request("GET", "/m").headers
    assert copy.build_request("GET", "/m").url == c.build_request("GET", "/m").url


def test_copy_timeout_none_is_an_override() -> None:
    c = AsyncOpenAI(api_key=KEY)
    assert c.with_options(timeout=None).build_request("GET", "/m").timeout.total is None
    assert c.build_request("GET", "/m").timeout.total == 600


def test_default_headers_merge_but_set_default_headers_replace() -> None:
    c = AsyncOpenAI(api_key=KEY, default_headers={"X-A": "a", "X-B": "b"})
    merged = c.with_options(default_headers={"X-B": "B", "X-C": "c"}).build_request("GET", "/m")
    assert (merged.headers["X-A"], merged.headers["X-B"], merged.headers["X-C"]) == ("a", "B", "c")
    replaced = c.with_options(set_default_headers={"X-C": "c"}).build_request("GET", "/m")
    assert "X-A" not in replaced.headers
    assert "X-B" not in replaced.headers
    assert replaced.headers["X-C"] == "c"
    assert auth(replaced) == f"Bearer {KEY}"
    original = c.build_request("GET", "/m")
    assert (original.headers["X-A"], original.headers["X-B"]) == ("a", "b")
    assert "X-C" not in original.headers


def test_default_query_merge_but_set_default_query_replace() -> None:
    c = AsyncOpenAI(api_key=KEY, default_query={"a": "1", "b": "2"})
    merged = c.with_options(default_query={"b": "3"}).build_request("GET", "/m")
    assert dict(merged.url.query) == {"a": "1", "b": "3"}
    replaced = c.with_options(set_default_query={"c": "4"}).build_request("GET", "/m")
    assert dict(replaced.url.query) == {"c": "4"}
    assert dict(c.build_request("GET", "/m").url.query) == {"a": "1", "b": "2"}


def test_merge_and_set_together_are_refused() -> None:
    c = AsyncOpenAI(api_key=KEY)
    with pytest.raises(ValueError, match="mutually exclusive"):
        c.with_options(default_headers={"a": "1"}, set_default_headers={"b": "2"})
    with pytest.raises(ValueError, match="mutually exclusive"):
        c.with_options(default_query={"a": "1"}, set_default_query={"b": "2"})


def test_copy_checks_headers_too() -> None:
    c = AsyncOpenAI(api_key=KEY)
    with pytest.raises(ValueError, match="CR, LF"):
        c.with_options(default_headers={"X": "a\r\nb"})


async def test_closing_a_copy_closes_the_shared_pool() -> None:
    c = AsyncOpenAI(api_key=KEY)
    copy = c.with_options(max_retries=0)
    session = c._pool.session()
    await copy.aclose()
    assert copy.is_closed()
    assert c.is_closed()
    assert session.closed


async def test_closing_the_original_closes_its_copies() -> None:
    c = AsyncOpenAI(api_key=KEY)
    copy = c.with_options(max_retries=0)
    session = copy._pool.session()
    await c.close()
    assert copy.is_closed()
    assert session.closed


# -- secrets -------------------------------------------------------------------------------------


def test_api_key_not_in_repr_or_str_of_client_or_request() -> None:
    c = AsyncOpenAI(api_key=SECRET, organization="org-1", default_headers={"X-A": "a"})
    request = c.build_request("GET", "/models", options={"extra_headers": {"X-B": "b"}})
    assert auth(request) == f"Bearer {SECRET}"  # it is there, just never shown
    for text in (repr(c), str(c), repr(request), str(request), repr(c.with_options(timeout=1))):
        assert SECRET not in text
        assert "0123456789abcdef" not in text
