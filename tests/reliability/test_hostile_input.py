"""Hostile input: ids, headers and query values that try to change the request.

Ids with ``/``, ``..``, ``?``, ``#``, ``%``, spaces, unicode, CR/LF, NUL are quoted into one
path segment (or refused with ValueError before anything is sent): the request line the fake
server receives keeps its path and has no query, and the id comes back exactly. Header values
with CR, LF or NUL are refused and nothing is sent; query values cannot add parameters.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Final
from urllib.parse import unquote

import pytest
from deprecations import ASSISTANTS_API_DEPRECATED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aio_openai import AsyncOpenAI, BadRequestError, NotFoundError
from aio_openai.testing import FakeOpenAI, RecordedRequest

pytestmark = ASSISTANTS_API_DEPRECATED

KEY: Final = "sk-hostile-0123456789"

HOSTILE_IDS: Final = [
    "a/b",
    "/",
    "//",
    "../../v1/files",
    "./x",
    "..x",
    "a?b=c",
    "?",
    "a#frag",
    "#",
    "100%",
    "%2F",
    "a%2Fb",
    "%",
    "%zz",
    "with space",
    " ",
    "tab\there",
    "ünïcödé-😀-日本",
    "a\r\nX-Injected: 1",
    "a\nb",
    "a\rb",
    "nul\x00l",
    "a;b=c",
    "a\\b",
    "a+b",
    "a&b",
    "~-._",
    "x" * 2000,
]
REFUSED_IDS: Final = ["", ".", ".."]
BAD_VALUES: Final = ["v\r\nX-Injected: 1", "v\nX: y", "v\rX: y", "v\x00"]


@pytest.fixture
async def client(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, max_retries=0) as c:
        yield c


def check_one_segment(record: RecordedRequest, prefix: str, ids: list[str]) -> None:
    """The request target is ``prefix`` + one quoted segment per id, with no query."""
    target = record.raw_path
    assert not any(c in target for c in " \r\n\t\x00#?"), target
    assert target.startswith(prefix)
    segments = target.removeprefix(prefix).split("/")
    assert [unquote(s) for s in segments[:: 2 if len(ids) > 1 else 1]] == ids
    assert len(record.query) == 0


@pytest.mark.parametrize("model_id", HOSTILE_IDS, ids=repr)
async def test_a_hostile_model_id_stays_one_path_segment_and_comes_back(
    fake: FakeOpenAI, client: AsyncOpenAI, model_id: str
) -> None:
    fake.add_model(model_id)
    model = await client.models.retrieve(model_id)
    assert model.id == model_id
    [record] = fake.requests
    assert record.method == "GET"
    check_one_segment(record, "/v1/models/", [model_id])
    assert record.path == "/v1/models/" + model_id
    assert "X-Injected" not in record.headers


@pytest.mark.parametrize("model_id", HOSTILE_IDS[:-1], ids=repr)
async def test_an_unknown_hostile_id_is_a_404_for_that_id(
    fake: FakeOpenAI, client: AsyncOpenAI, model_id: str
) -> None:
    with pytest.raises(NotFoundError) as info:
        await client.models.delete(model_id)
    assert info.value.param == "model"
    assert model_id in info.value.message
    [record] = fake.requests
    assert record.method == "DELETE"
    check_one_segment(record, "/v1/models/", [model_id])


@pytest.mark.parametrize("model_id", REFUSED_IDS, ids=repr)
async def test_ids_that_would_change_the_path_are_refused_before_sending(
    fake: FakeOpenAI, client: AsyncOpenAI, model_id: str
) -> None:
    with pytest.raises(ValueError):
        await client.models.retrieve(model_id)
    with pytest.raises(ValueError):
        await client.beta.assistants.retrieve(model_id)
    with pytest.raises(ValueError):
        await client.beta.threads.runs.retrieve("run_1", thread_id=model_id)
    assert fake.requests == []


async def test_an_id_longer_than_a_request_line_is_refused_by_the_server_not_split(
    fake: FakeOpenAI, client: AsyncOpenAI
) -> None:
    with pytest.raises(BadRequestError):  # aiohttp's server: request line over 8190 bytes
        await client.models.retrieve("x" * 10_000)
    assert fake.requests == []  # it never reached a route


@pytest.mark.parametrize("thread_id", ["t/../../models", "t?x=1", "t#x", "t\r\nX: 1", "%2F"])
@pytest.mark.parametrize("run_id", ["r/steps", "r?limit=1", "..r", "ü"])
async def test_two_hostile_ids_stay_two_segments(
    fake: FakeOpenAI, client: AsyncOpenAI, thread_id: str, run_id: str
) -> None:
    with pytest.raises(NotFoundError):
        await client.beta.threads.runs.retrieve(run_id, thread_id=thread_id)
    [record] = fake.requests
    check_one_segment(record, "/v1/threads/", [thread_id, run_id])
    assert record.raw_path.split("/")[4] == "runs"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model_id=st.text(min_size=1, max_size=40).filter(lambda s: s not in (".", "..")))
async def test_any_text_id_round_trips_through_one_segment(model_id: str) -> None:
    async with FakeOpenAI() as fake:
        fake.add_model(model_id)
        async with AsyncOpenAI(api_key=KEY, base_url=fake.url, max_retries=0) as client:
            assert (await client.models.retrieve(model_id)).id == model_id
        [record] = fake.requests
        check_one_segment(record, "/v1/models/", [model_id])


# -- headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", BAD_VALUES, ids=repr)
def test_header_values_with_cr_lf_are_refused_when_the_client_is_made(
    value: str, clean_env: None
) -> None:
    with pytest.raises(ValueError):
        AsyncOpenAI(api_key=KEY, default_headers={"X-Custom": value})
    with pytest.raises(ValueError):
        AsyncOpenAI(api_key=value)
    if "\0" not in value:  # a NUL in a name is left to aiohttp, which refuses to send it
        with pytest.raises(ValueError):
            AsyncOpenAI(api_key=KEY, default_headers={f"X-Name{value}": "v"})
    client = AsyncOpenAI(api_key=KEY)
    with pytest.raises(ValueError):
        client.with_options(default_headers={"X-Custom": value})
    with pytest.raises(ValueError):
        client.with_options(api_key=value)


@pytest.mark.parametrize("value", BAD_VALUES, ids=repr)
@pytest.mark.parametrize("option", ["extra_headers", "extra_header_name", "idempotency_key"])
async def test_per_call_header_values_with_cr_lf_are_refused_and_nothing_is_sent(
    fake: FakeOpenAI, client: AsyncOpenAI, value: str, option: str
) -> None:
    choices: dict[str, dict[str, Any]] = {
        "extra_headers": {"extra_headers": {"X-Custom": value}},
        "extra_header_name": {"extra_headers": {f"X-Custom{value}": "v"}},
        "idempotency_key": {"idempotency_key": value},
    }
    options = choices[option]
    with pytest.raises(ValueError):
        await client.models.retrieve("gpt-4", **options)
    with pytest.raises(ValueError):
        await client.beta.assistants.create(model="gpt-4", **options)
    assert fake.requests == []


@pytest.mark.parametrize("value", BAD_VALUES, ids=repr)
@pytest.mark.parametrize("option", ["organization", "project"])
async def test_organization_and_project_with_cr_lf_never_reach_the_wire(
    fake: FakeOpenAI, value: str, option: str, clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused when the client is made, from an argument or from the environment."""
    identity: dict[str, Any] = {option: value}
    with pytest.raises(ValueError):
        AsyncOpenAI(api_key=KEY, base_url=fake.url, **identity)
    if "\x00" not in value:  # the environment itself cannot hold a NUL
        name = "OPENAI_ORG_ID" if option == "organization" else "OPENAI_PROJECT_ID"
        monkeypatch.setenv(name, value)
        with pytest.raises(ValueError):
            AsyncOpenAI(api_key=KEY, base_url=fake.url)
    assert fake.requests == []


@pytest.mark.parametrize("option", ["organization", "project"])
def test_organization_and_project_with_cr_lf_are_refused_when_the_client_is_made(
    option: str, clean_env: None
) -> None:
    with pytest.raises(ValueError):
        identity: dict[str, Any] = {option: "org\r\nX-Injected: 1"}
        AsyncOpenAI(api_key=KEY, **identity)


async def test_a_header_name_with_a_colon_is_refused(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    with pytest.raises(ValueError):
        await client.models.retrieve("gpt-4", extra_headers={"X-Api: injected": "v"})
    assert fake.requests == []


# -- query values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"a": "x&b=c"},
        {"a&b": "c=d"},
        {"a": "#frag"},
        {"a": "?x=y"},
        {"a": "\r\n"},
        {"a=b": "c"},
        {"a": "%26b%3Dc"},
        {"a": ["1&x=2", "3"]},
    ],
    ids=repr,
)
async def test_query_values_cannot_add_parameters(
    fake: FakeOpenAI, client: AsyncOpenAI, query: dict[str, Any]
) -> None:
    await client.models.list(extra_query=query)
    [record] = fake.requests
    assert record.path == "/v1/models"
    expected = [(k, item) for k, v in query.items() for item in (v if isinstance(v, list) else [v])]
    assert list(record.query.items()) == expected
    assert "#" not in record.raw_path


async def test_default_query_values_cannot_add_parameters(fake: FakeOpenAI) -> None:
    async with AsyncOpenAI(
        api_key=KEY, base_url=fake.url, default_query={"v": "1&admin=true"}
    ) as client:
        await client.models.retrieve("gpt-4", extra_query={"w": "2#x"})
    [record] = fake.requests
    assert list(record.query.items()) == [("v", "1&admin=true"), ("w", "2#x")]


# -- framing headers ----------------------------------------------------------------------------

#: Headers that frame the request or route it: only the library (aiohttp) may set them. A
#: user's ``Transfer-Encoding: chunked`` next to aiohttp's ``Content-Length`` on an unchunked
#: body is the shape of request smuggling behind a proxy.
FRAMING: Final = [
    ("Transfer-Encoding", "chunked"),
    ("Content-Length", "5"),
    ("Host", "internal.example"),
    ("Connection", "close"),
    ("transfer-encoding", "chunked"),
    ("CONTENT-LENGTH", "0"),
]


@pytest.mark.parametrize(("name", "value"), FRAMING, ids=repr)
def test_framing_headers_are_refused_in_default_headers(
    name: str, value: str, clean_env: None
) -> None:
    with pytest.raises(ValueError, match="set by the library"):
        AsyncOpenAI(api_key=KEY, default_headers={name: value})
    with pytest.raises(ValueError, match="set by the library"):
        AsyncOpenAI(api_key=KEY).with_options(default_headers={name: value})


@pytest.mark.parametrize(("name", "value"), FRAMING, ids=repr)
async def test_framing_headers_are_refused_per_call_and_nothing_is_sent(
    fake: FakeOpenAI, name: str, value: str, clean_env: None
) -> None:
    # a short timeout: a request sent with a wrong framing would hang, not fail
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, max_retries=0, timeout=2) as client:
        with pytest.raises(ValueError, match="set by the library"):
            await client.models.retrieve("gpt-4", extra_headers={name: value})
        with pytest.raises(ValueError, match="set by the library"):
            await client.beta.assistants.create(model="gpt-4", extra_headers={name: value})
        with pytest.raises(ValueError, match="set by the library"):
            await client.chat.completions.create(
                model="gpt-4",
                messages=[{"role": "user", "content": "Hi"}],
                stream=True,
                extra_headers={name: value},
            )
    assert fake.requests == []
