"""What the client puts on the wire, seen through the aioresponses mock (``mock_http``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import unquote

import aiohttp
import attrs
import pytest
from aioresponses import aioresponses as Aioresponses
from yarl import URL

from aio_openai import NOT_GIVEN, AsyncOpenAI, Request, Response, _deadlines
from aio_openai._http import Handler
from aio_openai._request import path_id
from aio_openai.types import Model

pytestmark = pytest.mark.usefixtures("clean_env")

KEY = "sk-unit-0123456789abcdef"
BASE = "https://api.openai.com/v1"


@pytest.fixture
async def api() -> AsyncIterator[AsyncOpenAI]:
    """A client on the default base URL, no retries."""
    c = AsyncOpenAI(api_key=KEY, max_retries=0)
    try:
        yield c
    finally:
        await c.aclose()


def sent(mocked: Aioresponses) -> list[tuple[str, URL, dict[str, Any]]]:
    """Every request the mock saw: method, URL and the keyword arguments of the call."""
    return [
        (method, url, call.kwargs)
        for (method, url), calls in mocked.requests.items()
        for call in calls
    ]


def only_request(mocked: Aioresponses) -> tuple[str, URL, dict[str, Any]]:
    requests = sent(mocked)
    assert len(requests) == 1, requests
    return requests[0]


def model_body(model_id: str = "gpt-4", **extra: Any) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": 1687882411, "owned_by": "openai", **extra}


def keep(response: Response) -> Response:
    """A parser that hands the raw Response back."""
    return response


# -- the mock_http fixture itself ----------------------------------------------------------------


async def test_mock_http_serves_a_normal_body(mock_http: Aioresponses) -> None:
    mock_http.get("http://example.test/small", body=b"hello", headers={"x-a": "1"})
    async with (
        aiohttp.ClientSession() as session,
        session.get("http://example.test/small") as resp,
    ):
        assert resp.status == 200
        assert resp.headers["x-a"] == "1"
        assert await resp.read() == b"hello"


async def test_mock_http_serves_a_body_over_64_kib(mock_http: Aioresponses) -> None:
    big = bytes(range(256)) * 4096  # 1 MiB, far over aioresponses' 64 KiB reader limit
    mock_http.get("http://example.test/big", body=big)
    async with aiohttp.ClientSession() as session, session.get("http://example.test/big") as resp:
        assert await resp.read() == big


async def test_mock_http_reads_a_line_over_64_kib(mock_http: Aioresponses) -> None:
    line = b"x" * (200 * 1024) + b"\n"
    mock_http.get("http://example.test/line", body=line + b"tail")
    async with aiohttp.ClientSession() as session, session.get("http://example.test/line") as resp:
        assert await resp.content.readline() == line
        assert await resp.content.read() == b"tail"


async def test_mock_http_large_body_through_the_client(
    mock_http: Aioresponses, api: AsyncOpenAI
) -> None:
    blob = "z" * (300 * 1024)
    mock_http.get(f"{BASE}/models/gpt-4", payload=model_body(blob=blob))
    model = await api.models.retrieve("gpt-4")
    assert model.blob == blob


# -- what a call sends ---------------------------------------------------------------------------


async def test_retrieve_sends_get_with_bearer_key(
    mock_http: Aioresponses, api: AsyncOpenAI
) -> None:
    mock_http.get(f"{BASE}/models/gpt-4", payload=model_body())
    model = await api.models.retrieve("gpt-4")
    assert isinstance(model, Model)
    method, url, kwargs = only_request(mock_http)
    assert method == "GET"
    assert str(url) == f"{BASE}/models/gpt-4"
    headers = kwargs["headers"]
    assert headers["Authorization"] == f"Bearer {KEY}"
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"].startswith("aio-openai/")
    assert kwargs.get("data") is None
    assert "Content-Type" not in headers
    assert kwargs["allow_redirects"] is False


async def test_list_and_delete_send_their_methods(
    mock_http: Aioresponses, api: AsyncOpenAI
) -> None:
    mock_http.get(f"{BASE}/models", payload={"object": "list", "data": [model_body()]})
    mock_http.delete(
        URL(f"{BASE}/models/ft:x", encoded=True), payload={"id": "ft:x", "deleted": True}
    )
    page = await api.models.list()
    deleted = await api.models.delete("ft:x")
    assert [m.id for m in page.data] == ["gpt-4"]
    assert deleted.deleted is True
    assert [(m, str(u)) for m, u, _ in sent(mock_http)] == [
        ("GET", f"{BASE}/models"),
        ("DELETE", f"{BASE}/models/ft:x"),
    ]


async def test_per_call_extra_headers_query_and_timeout_reach_the_wire(
    mock_http: Aioresponses, api: AsyncOpenAI
) -> None:
    mock_http.get(f"{BASE}/models/gpt-4?a=1&flag=true", payload=model_body())
    await api.models.retrieve(
        "gpt-4",
        extra_headers={"X-Trace": "t-1", "Accept": "application/x-test"},
        extra_query={"a": 1, "flag": True, "dropped": None},
        timeout=3.5,
    )
    _, url, kwargs = only_request(mock_http)
    assert url.path == "/v1/models/gpt-4"
    assert dict(url.query) == {"a": "1", "flag": "true"}
    assert kwargs["headers"]["X-Trace"] == "t-1"
    assert kwargs["headers"]["Accept"] == "application/x-test"
    assert kwargs["headers"]["Authorization"] == f"Bearer {KEY}"
    timeout = kwargs["timeout"]
    assert isinstance(timeout, aiohttp.ClientTimeout)
    assert timeout.total == 3.5
    assert timeout.sock_connect == 5


async def test_per_call_client_timeout_object_is_used_as_is(
    mock_http: Aioresponses, api: AsyncOpenAI
) -> None:
    mock_http.get(f"{BASE}/models/gpt-4", payload=model_body())
    custom = aiohttp.ClientTimeout(total=3, sock_read=2)
    await api.models.retrieve("gpt-4", timeout=custom)
    assert only_request(mock_http)[2]["timeout"] == custom


async def test_long_totals_go_to_the_deadline_clock_the_rest_to_aiohttp(
    mock_http: Aioresponses, api: AsyncOpenAI
) -> None:
    """From 5 s up, aiohttp gets no total (no timer per request); every other field it gets."""
    mock_http.get(f"{BASE}/models/gpt-4", payload=model_body(), repeat=True)
    custom = aiohttp.ClientTimeout(total=7, sock_read=2, connect=4)
    await api.models.retrieve("gpt-4", timeout=custom)
    await api.models.retrieve("gpt-4")
    timeouts = [kwargs["timeout"] for _, _, kwargs in sent(mock_http)]
    assert timeouts[0] == attrs.evolve(custom, total=None)
    assert (timeouts[1].total, timeouts[1].sock_connect) == (None, 5)
    assert _deadlines.clock(asyncio.get_running_loop()).pending == 0


async def test_without_options_the_client_timeout_is_used(
    mock_http: Aioresponses, api: AsyncOpenAI
) -> None:
    seen: list[aiohttp.ClientTimeout] = []

    async def spy(request: Request, call_next: Handler) -> Response:
        seen.append(request.timeout)
        return await call_next(request)

    mock_http.get(f"{BASE}/models/gpt-4", payload=model_body())
    await api.with_options(middlewares=[spy]).models.retrieve("gpt-4")
    assert [(t.total, t.sock_connect) for t in seen] == [(600, 5)]


async def test_extra_body_is_merged_into_the_json_body(
    mock_http: Aioresponses, api: AsyncOpenAI
) -> None:
    mock_http.post(f"{BASE}/echo", payload={"ok": True})
    await api.request(
        "POST",
        "/echo",
        keep,
        body={"a": 1, "b": "own", "null": None, "gone": NOT_GIVEN},
        options={"extra_body": {"b": "extra", "c": [1, 2]}},
    )
    method, url, kwargs = only_request(mock_http)
    assert (method, str(url)) == ("POST", f"{BASE}/echo")
    assert kwargs["headers"]["Content-Type"] == "application/json"
    assert json.loads(kwargs["data"]) == {"a": 1, "b": "extra", "null": None, "c": [1, 2]}


async def test_extra_body_alone_makes_a_body(mock_http: Aioresponses, api: AsyncOpenAI) -> None:
    mock_http.post(f"{BASE}/echo", payload={})
    await api.request("POST", "/echo", keep, options={"extra_body": {"only": "extra"}})
    assert json.loads(only_request(mock_http)[2]["data"]) == {"only": "extra"}


async def test_default_query_and_extra_query_merge(mock_http: Aioresponses) -> None:
    c = AsyncOpenAI(api_key=KEY, default_query={"api-version": "1", "keep": "k"}, max_retries=0)
    try:
        mock_http.get(f"{BASE}/models/gpt-4?api-version=2&keep=k&x=y", payload=model_body())
        await c.models.retrieve("gpt-4", extra_query={"api-version": "2", "x": "y"})
    finally:
        await c.aclose()
    assert dict(only_request(mock_http)[1].query) == {"api-version": "2", "keep": "k", "x": "y"}


async def test_idempotency_key_header(mock_http: Aioresponses, api: AsyncOpenAI) -> None:
    mock_http.post(f"{BASE}/echo", payload={})
    await api.request("POST", "/echo", keep, body={}, options={"idempotency_key": "idem-1"})
    assert only_request(mock_http)[2]["headers"]["Idempotency-Key"] == "idem-1"


@pytest.mark.parametrize(
    "headers",
    [{"X-Evil": "a\r\nInjected: 1"}, {"X-Evil": "a\nb"}, {"X-Evil": "a\rb"}, {"X-E\nvil": "v"}],
)
async def test_crlf_in_extra_headers_refused_before_sending(
    mock_http: Aioresponses, api: AsyncOpenAI, headers: dict[str, str]
) -> None:
    mock_http.get(f"{BASE}/models/gpt-4", payload=model_body(), repeat=True)
    with pytest.raises(ValueError, match="CR, LF"):
        await api.models.retrieve("gpt-4", extra_headers=headers)
    assert sent(mock_http) == []


@pytest.mark.parametrize("timeout", [0, -1, "10"])
async def test_bad_per_call_timeout_refused_before_sending(
    mock_http: Aioresponses, api: AsyncOpenAI, timeout: Any
) -> None:
    with pytest.raises(ValueError, match="timeout"):
        await api.models.retrieve("gpt-4", timeout=timeout)
    assert sent(mock_http) == []


# -- path ids ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("gpt-4", "gpt-4"),
        ("a/b?x=1", "a%2Fb%3Fx%3D1"),
        ("../assistants", "..%2Fassistants"),
        ("%2F", "%252F"),
        ("#frag", "%23frag"),
        ("a b", "a%20b"),
        ("ü", "%C3%BC"),
        ("a\r\nb", "a%0D%0Ab"),
        ("ft:gpt-4o:org::id", "ft:gpt-4o:org::id"),  # ':' and '@' may stay in a segment
        ("user@example.com", "user@example.com"),
        ("ft:a/b", "ft:a%2Fb"),
        ("a;b=c&d+e,f$!'()*", "a%3Bb%3Dc%26d%2Be%2Cf%24%21%27%28%29%2A"),
    ],
)
def test_path_id_quotes_to_one_segment(value: str, quoted: str) -> None:
    assert path_id("model", value) == quoted
    assert unquote(quoted) == value


@pytest.mark.parametrize("value", ["a/b?x=1", "../x", "#f", "a b", "%2F", "\r\n", "é/è"])
async def test_quoted_id_never_changes_path_or_query(
    mock_http: Aioresponses, api: AsyncOpenAI, value: str
) -> None:
    request = api.build_request("GET", f"/models/{path_id('model', value)}")
    assert request.url.raw_path.count("/") == 3
    assert request.url.raw_query_string == ""
    assert request.url.raw_fragment == ""
    assert unquote(request.url.raw_path.rsplit("/", 1)[1]) == value


def test_path_id_rejects_empty_and_non_strings() -> None:
    with pytest.raises(ValueError, match="model"):
        path_id("model", "")
    for bad in (None, 123, b"gpt-4", ["gpt-4"]):
        with pytest.raises(TypeError, match="model"):
            path_id("model", bad)  # type: ignore[arg-type]


async def test_empty_or_non_str_id_sends_nothing(mock_http: Aioresponses, api: AsyncOpenAI) -> None:
    mock_http.get(f"{BASE}/models", payload={"object": "list", "data": []}, repeat=True)
    with pytest.raises(ValueError):
        await api.models.retrieve("")
    with pytest.raises(ValueError):
        await api.models.delete("")
    with pytest.raises(TypeError):
        await api.models.retrieve(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        await api.models.retrieve(4)  # type: ignore[arg-type]
    assert sent(mock_http) == []


def test_a_mapping_in_the_query_is_sent_as_bracketed_keys() -> None:
    client = AsyncOpenAI(api_key=KEY)
    request = client.build_request(
        "GET",
        "/chat/completions",
        query={"metadata": {"team": "red", "n": 2}, "model": "gpt-4o", "none": None},
    )
    assert request.url.raw_query_string == "metadata%5Bteam%5D=red&metadata%5Bn%5D=2&model=gpt-4o"
    assert dict(request.url.query) == {
        "metadata[team]": "red",
        "metadata[n]": "2",
        "model": "gpt-4o",
    }


async def test_a_conversation_page_leads_on_by_its_last_id_only(
    mock_http: Aioresponses, api: AsyncOpenAI
) -> None:
    from aio_openai import AsyncConversationCursorPage, PaginationError

    item = {"type": "message", "id": "msg_2", "role": "user", "status": "completed",
            "content": [{"type": "input_text", "text": "hi"}]}  # fmt: skip
    items = f"{BASE}/conversations/conv_1/items"
    mock_http.get(items, payload={"object": "list", "data": [item], "first_id": "msg_2",
                                  "last_id": "msg_9", "has_more": True})  # fmt: skip
    mock_http.get(f"{items}?after=msg_9", payload={"object": "list", "data": [item],
                                                   "has_more": True})  # fmt: skip
    page = await api.conversations.items.list("conv_1")
    assert isinstance(page, AsyncConversationCursorPage) and page.next_cursor() == "msg_9"
    second = await page.get_next_page()
    # a cursor page would go on from its last item's id; a conversation's has no last_id
    assert second.next_cursor() is None and second.has_next_page()
    with pytest.raises(PaginationError, match="no cursor"):
        await second.get_next_page()
