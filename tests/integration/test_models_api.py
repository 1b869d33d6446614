"""The Models API end to end: the real client against FakeOpenAI over loopback."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest

from aio_openai import (
    APIConnectionError,
    APIResponse,
    APIStatusError,
    APITimeoutError,
    AsyncOpenAI,
    AsyncPage,
    AuthenticationError,
    NotFoundError,
    OpenAIError,
    PermissionDeniedError,
)
from aio_openai.testing import SEED_MODELS, FakeOpenAI
from aio_openai.types import Model, ModelDeleted

pytestmark = pytest.mark.usefixtures("clean_env")

SECRET = "sk-SECRET-0123456789abcdef"
FT_MODEL = "ft:gpt-4o-mini-2024-07-18:acme::9abcDEF0"
SEED_IDS = [seed.id for seed in SEED_MODELS]


# -- list ----------------------------------------------------------------------------------------


async def test_list_gives_a_page_of_every_seed_model(client: AsyncOpenAI) -> None:
    page = await client.models.list()
    assert isinstance(page, AsyncPage)
    assert page.object == "list"
    assert len(page) == len(SEED_MODELS) == 35
    assert all(isinstance(m, Model) for m in page.data)
    assert [(m.id, m.created, m.owned_by, m.object) for m in page.data] == [
        (s.id, s.created, s.owned_by, "model") for s in SEED_MODELS
    ]
    assert not page.has_next_page()


async def test_async_for_walks_every_model(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    ids = [m.id async for m in client.models.list()]
    assert ids == SEED_IDS
    assert len(fake.requests) == 1


async def test_list_sees_added_and_deleted_models(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.add_model(FT_MODEL, owned_by="user-acme", created=1722000000)
    page = await client.models.list()
    assert [m.id for m in page.data] == [*SEED_IDS, FT_MODEL]
    assert page.data[-1].owned_by == "user-acme"
    await client.models.delete(FT_MODEL)
    assert [m.id for m in (await client.models.list()).data] == SEED_IDS


# -- retrieve and delete -------------------------------------------------------------------------


async def test_retrieve_gives_a_model_with_attributes(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    seed = next(s for s in SEED_MODELS if s.id == "gpt-4")
    model = await client.models.retrieve("gpt-4")
    assert isinstance(model, Model)
    assert (model.id, model.owned_by, model.created, model.object) == (
        seed.id,
        seed.owned_by,
        seed.created,
        "model",
    )
    assert model.model_extra == {}
    [request] = fake.requests
    assert request.method == "GET"
    assert request.raw_path == "/v1/models/gpt-4"
    assert request.headers["Authorization"] == f"Bearer {client.api_key}"


async def test_delete_a_fine_tuned_model(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.add_model(FT_MODEL, owned_by="user-acme")
    deleted = await client.models.delete(FT_MODEL)
    assert isinstance(deleted, ModelDeleted)
    assert (deleted.id, deleted.deleted) == (FT_MODEL, True)
    assert deleted.model_extra == {}
    assert fake.requests[-1].method == "DELETE"
    assert FT_MODEL not in fake.models
    with pytest.raises(NotFoundError):
        await client.models.retrieve(FT_MODEL)


async def test_unknown_model_is_not_found_with_details(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    with pytest.raises(NotFoundError) as info:
        await client.models.retrieve("no-such-model")
    err = info.value
    assert err.status_code == 404
    assert err.request_id == fake.requests[-1].request_id
    assert err.request_id is not None
    assert err.request_id.startswith("req_")
    assert err.headers["x-request-id"] == err.request_id
    assert err.headers["openai-version"]
    assert (err.code, err.type, err.param) == ("model_not_found", "invalid_request_error", "model")
    assert "no-such-model" in err.message
    assert err.message.startswith("Error code: 404")


async def test_deleting_an_unknown_model_is_not_found(client: AsyncOpenAI) -> None:
    with pytest.raises(NotFoundError):
        await client.models.delete("ft:nothing")


async def test_deleting_a_system_model_is_permission_denied(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    with pytest.raises(PermissionDeniedError) as info:
        await client.models.delete("gpt-4")
    assert info.value.status_code == 403
    assert info.value.code == "insufficient_permissions"
    assert info.value.request_id == fake.requests[-1].request_id
    assert "gpt-4" in fake.models


async def test_wrong_key_is_an_authentication_error() -> None:
    async with (
        FakeOpenAI(api_keys={"sk-right"}) as server,
        AsyncOpenAI(api_key="sk-wrong", base_url=server.url) as wrong,
    ):
        with pytest.raises(AuthenticationError) as info:
            await wrong.models.list()
        assert info.value.status_code == 401
        assert info.value.code == "invalid_api_key"
        assert info.value.request_id == server.requests[-1].request_id
        right = wrong.with_options(api_key="sk-right")
        assert (await right.models.retrieve("gpt-4")).id == "gpt-4"


# -- request ids and raw responses ---------------------------------------------------------------


async def test_every_parsed_result_carries_the_request_id(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    fake.add_model(FT_MODEL)
    model = await client.models.retrieve("gpt-4")
    assert model._request_id == fake.requests[-1].request_id
    page = await client.models.list()
    assert page._request_id == fake.requests[-1].request_id
    deleted = await client.models.delete(FT_MODEL)
    assert deleted._request_id == fake.requests[-1].request_id
    ids = {model._request_id, page._request_id, deleted._request_id}
    assert len(ids) == 3
    assert all(i and i.startswith("req_") for i in ids)


async def test_raw_retrieve_gives_an_api_response(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    raw = await client.models.with_raw_response.retrieve("gpt-4")
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200
    assert raw.request_id == fake.requests[-1].request_id
    assert raw.headers["x-request-id"] == raw.request_id
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.method == "GET"
    assert raw.url.path == "/v1/models/gpt-4"
    assert raw.json()["id"] == "gpt-4"
    assert raw.retries_taken == 0
    model = raw.parse()
    assert isinstance(model, Model)
    assert model.id == "gpt-4"
    assert model._request_id == raw.request_id
    assert raw.parse() is model


async def test_raw_list_parses_to_the_page(client: AsyncOpenAI) -> None:
    raw = await client.models.with_raw_response.list()
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200
    page = raw.parse()
    assert isinstance(page, AsyncPage)
    assert [m.id for m in page.data] == SEED_IDS
    assert page._request_id == raw.request_id


async def test_raw_delete_and_raw_errors(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    fake.add_model(FT_MODEL)
    raw = await client.models.with_raw_response.delete(FT_MODEL)
    assert raw.parse().deleted is True
    with pytest.raises(NotFoundError):
        await client.models.with_raw_response.retrieve("no-such-model")


# -- configuration on the wire -------------------------------------------------------------------


async def test_environment_reaches_the_wire(
    fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-key")
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    monkeypatch.setenv("OPENAI_ORG_ID", "org-env")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-env")
    async with AsyncOpenAI() as c:
        await c.models.retrieve("gpt-4")
    [request] = fake.requests
    assert request.headers["Authorization"] == "Bearer sk-env-key"
    assert request.headers["OpenAI-Organization"] == "org-env"
    assert request.headers["OpenAI-Project"] == "proj-env"


async def test_defaults_headers_query_reach_the_wire(fake: FakeOpenAI) -> None:
    async with AsyncOpenAI(
        api_key="sk-x",
        base_url=fake.url + "/",
        organization="org-arg",
        default_headers={"X-Team": "core"},
        default_query={"api-version": "v"},
    ) as c:
        await c.models.retrieve("gpt-4", extra_headers={"X-Call": "1"}, extra_query={"q": "2"})
    [request] = fake.requests
    assert request.path == "/v1/models/gpt-4"
    assert dict(request.query) == {"api-version": "v", "q": "2"}
    assert request.headers["X-Team"] == "core"
    assert request.headers["X-Call"] == "1"
    assert request.headers["OpenAI-Organization"] == "org-arg"
    assert "OpenAI-Project" not in request.headers


@pytest.mark.parametrize("suffix", ["", "/"])
async def test_trailing_slash_on_base_url_same_path_on_the_wire(
    fake: FakeOpenAI, suffix: str
) -> None:
    async with AsyncOpenAI(api_key="sk-x", base_url=fake.url + suffix) as c:
        await c.models.list()
        await c.models.retrieve("gpt-4")
    assert [r.raw_path for r in fake.requests] == ["/v1/models", "/v1/models/gpt-4"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"organization": "org\r\nX-Injected: 1"},
        {"project": "proj\nX-Injected: 1"},
    ],
)
async def test_crlf_in_organization_or_project_never_reaches_the_server(
    fake: FakeOpenAI, kwargs: dict[str, Any]
) -> None:
    try:
        c = AsyncOpenAI(api_key="sk-x", base_url=fake.url, **kwargs)
    except ValueError:
        return  # refused at construction: fine too
    async with c:
        with pytest.raises(ValueError):
            await c.models.retrieve("gpt-4")
    assert fake.requests == []


async def test_crlf_in_per_call_header_never_reaches_the_server(
    client: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    with pytest.raises(ValueError):
        await client.models.retrieve("gpt-4", extra_headers={"X": "a\r\nX-Injected: 1"})
    assert fake.requests == []


# -- ids always travel as one path segment -------------------------------------------------------

ODD_IDS = [
    "a/b?x=1",
    "../assistants",
    "../../v1/files",
    "%2F",
    "%2e%2e",
    "#frag",
    "a b",
    "a+b;c,d=e&f",
    "модель-ü-模型",
    FT_MODEL,
    "a\r\nb",
]


@pytest.mark.parametrize("model_id", ODD_IDS)
async def test_odd_ids_round_trip_as_one_segment(
    client: AsyncOpenAI, fake: FakeOpenAI, model_id: str
) -> None:
    fake.add_model(model_id, owned_by="user")
    model = await client.models.retrieve(model_id)
    assert model.id == model_id
    [request] = fake.requests
    assert_one_segment(request.raw_path, model_id)
    assert request.path == "/v1/models/" + model_id  # the server decoded the exact id back
    assert len(request.query) == 0


async def test_crlf_id_travels_as_one_segment(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    with pytest.raises(NotFoundError):
        await client.models.retrieve("a\r\nb")
    [request] = fake.requests
    assert_one_segment(request.raw_path, "a\r\nb")
    assert request.path == "/v1/models/a\r\nb"
    assert "\r" not in request.raw_path
    assert "\n" not in request.raw_path


@pytest.mark.parametrize("model_id", ["a/b?x=1", "../gpt-4", "#frag"])
async def test_odd_ids_delete_only_that_model(
    client: AsyncOpenAI, fake: FakeOpenAI, model_id: str
) -> None:
    fake.add_model(model_id, owned_by="user")
    deleted = await client.models.delete(model_id)
    assert deleted.id == model_id
    assert_one_segment(fake.requests[-1].raw_path, model_id)
    assert model_id not in fake.models
    assert "gpt-4" in fake.models


def assert_one_segment(raw_path: str, model_id: str) -> None:
    assert "?" not in raw_path
    assert "#" not in raw_path
    prefix, _, segment = raw_path.rpartition("/")
    assert prefix == "/v1/models"
    assert unquote(segment) == model_id


@pytest.mark.parametrize("call", ["retrieve", "delete"])
async def test_empty_id_sends_nothing(client: AsyncOpenAI, fake: FakeOpenAI, call: str) -> None:
    with pytest.raises(ValueError, match="model"):
        await getattr(client.models, call)("")
    assert fake.requests == []


@pytest.mark.parametrize("bad", [None, 42, b"gpt-4", ("gpt-4",)])
async def test_non_str_id_is_a_type_error(client: AsyncOpenAI, fake: FakeOpenAI, bad: Any) -> None:
    with pytest.raises(TypeError):
        await client.models.retrieve(bad)
    with pytest.raises(TypeError):
        await client.models.delete(bad)
    assert fake.requests == []


@pytest.mark.parametrize("model_id", [".", ".."])
async def test_dot_segment_ids_are_refused(
    client: AsyncOpenAI, fake: FakeOpenAI, model_id: str
) -> None:
    with pytest.raises(ValueError):
        await client.models.retrieve(model_id)
    assert fake.requests == []


# -- the API key never shows ---------------------------------------------------------------------


@pytest.fixture
def refused_url() -> str:
    """A base URL on a local port nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A base URL on a port that accepts connections into its backlog but never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


async def test_silent_server_times_out(silent_url: str) -> None:
    async with AsyncOpenAI(api_key="sk-x", base_url=silent_url, max_retries=0, timeout=0.2) as c:
        with pytest.raises(APITimeoutError):
            await c.models.retrieve("gpt-4")


async def test_connection_refused(refused_url: str) -> None:
    async with AsyncOpenAI(api_key="sk-x", base_url=refused_url, max_retries=0) as c:
        with pytest.raises(APIConnectionError) as info:
            await c.models.list()
    assert not isinstance(info.value, APITimeoutError)


async def test_api_key_never_in_errors_or_logs(
    fake: FakeOpenAI, refused_url: str, silent_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="aio_openai")
    caplog.set_level(logging.DEBUG, logger="aiohttp")
    caplog.set_level(logging.DEBUG, logger="asyncio")
    errors: list[OpenAIError] = []
    texts: list[str] = []

    async def expect_error(coro: Any, cls: type[OpenAIError]) -> None:
        with pytest.raises(cls) as info:
            await coro
        errors.append(info.value)

    async with (
        FakeOpenAI(api_keys={"sk-only-this-one"}) as strict,
        AsyncOpenAI(api_key=SECRET, base_url=fake.url, max_retries=0) as c,
    ):
        texts += [repr(c), str(c)]
        texts += [repr(c.build_request("GET", "/models")), str(c.build_request("GET", "/m"))]
        assert (await c.models.retrieve("gpt-4")).id == "gpt-4"
        raw = await c.models.with_raw_response.retrieve("gpt-4")
        texts += [repr(raw), repr(raw.parse()), repr(await c.models.list())]
        await expect_error(c.models.retrieve("no-such-model"), NotFoundError)
        await expect_error(c.models.delete("gpt-4"), PermissionDeniedError)
        await expect_error(c.with_options(base_url=strict.url).models.list(), AuthenticationError)
        await expect_error(c.with_options(base_url=refused_url).models.list(), APIConnectionError)
        await expect_error(
            c.with_options(base_url=silent_url, timeout=0.2).models.list(), APITimeoutError
        )
    assert [type(e) for e in errors] == [
        NotFoundError,
        PermissionDeniedError,
        AuthenticationError,
        APIConnectionError,
        APITimeoutError,
    ]
    for err in errors:
        texts += [repr(err), str(err), err.message, repr(err.request), str(err.request)]
        texts += [repr(err.args)]
        if isinstance(err, APIStatusError):
            texts += [repr(err.response), repr(err.body)]
    for record in caplog.records:
        texts += [record.getMessage(), repr(record.args), repr(record.msg)]
        texts += [record.exc_text or "", repr(record.__dict__)]
    texts.append(caplog.text)
    leaks = [t for t in texts if SECRET in t or "0123456789abcdef" in t]
    assert leaks == []


async def test_the_secret_scan_can_see_a_leak(caplog: pytest.LogCaptureFixture) -> None:
    """The log scan above is not blind: a record naming the key is found."""
    caplog.set_level(logging.DEBUG, logger="aio_openai")
    logging.getLogger("aio_openai").debug("headers %s", {"Authorization": f"Bearer {SECRET}"})
    assert any(SECRET in r.getMessage() for r in caplog.records)
