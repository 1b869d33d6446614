"""Tests of aio_openai.testing.FakeOpenAI over real HTTP, with a plain aiohttp.ClientSession."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
from multidict import CIMultiDictProxy
from yarl import URL

from aio_openai.testing import SEED_MODELS, FakeOpenAI, FakeState, RecordedRequest

KEY = "sk-test-key-0123456789"
AUTH = {"Authorization": f"Bearer {KEY}"}
REQUEST_ID = re.compile(r"req_[0-9a-f]{32}")

# The seed table written out independently of aio_openai.testing._seed.
EXPECTED_SEED = [
    ("dall-e-3", 1698785189, "system"),
    ("dall-e-2", 1698798177, "system"),
    ("gpt-3.5-turbo-0125", 1706048358, "system"),
    ("text-embedding-ada-002", 1671217299, "openai-internal"),
    ("tts-1-hd-1106", 1699053533, "system"),
    ("text-embedding-3-small", 1705948997, "system"),
    ("tts-1-hd", 1699046015, "system"),
    ("gpt-4-0125-preview", 1706037612, "system"),
    ("gpt-4-turbo-preview", 1706037777, "system"),
    ("text-embedding-3-large", 1705953180, "system"),
    ("whisper-1", 1677532384, "openai-internal"),
    ("babbage-002", 1692634615, "system"),
    ("gpt-3.5-turbo-16k-0613", 1685474247, "openai"),
    ("davinci-002", 1692634301, "system"),
    ("gpt-3.5-turbo-16k", 1683758102, "openai-internal"),
    ("gpt-4-0613", 1686588896, "openai"),
    ("gpt-4", 1687882411, "openai"),
    ("gpt-4-1106-preview", 1698957206, "system"),
    ("gpt-3.5-turbo", 1677610602, "openai"),
    ("gpt-4-vision-preview", 1698894917, "system"),
    ("gpt-3.5-turbo-0613", 1686587434, "openai"),
    ("gpt-3.5-turbo-1106", 1698959748, "system"),
    ("gpt-3.5-turbo-0301", 1677649963, "openai"),
    ("tts-1-1106", 1699053241, "system"),
    ("gpt-3.5-turbo-instruct", 1692901427, "system"),
    ("tts-1", 1681940951, "openai-internal"),
    ("gpt-3.5-turbo-instruct-0914", 1694122472, "system"),
    ("gpt-4-turbo", 1712361441, "system"),
    ("gpt-4o", 1715367049, "system"),
    ("gpt-4o-mini", 1721172741, "system"),
    ("gpt-4o-2024-08-06", 1722814719, "system"),
    ("omni-moderation-latest", 1731689265, "system"),
    ("omni-moderation-2024-09-26", 1732734466, "system"),
    ("text-moderation-latest", 1677610602, "system"),
    ("text-moderation-stable", 1677610602, "system"),
]


def model_obj(model_id: str, created: int, owned_by: str) -> dict[str, Any]:
    """Return the wire form of a model."""
    return {"id": model_id, "object": "model", "created": created, "owned_by": owned_by}


def not_found_body(model_id: str) -> dict[str, Any]:
    """Return OpenAI's 404 body for an unknown model."""
    return {
        "error": {
            "message": f"The model '{model_id}' does not exist",
            "type": "invalid_request_error",
            "param": "model",
            "code": "model_not_found",
        }
    }


def invalid_url_body(method: str, path: str) -> dict[str, Any]:
    """Return OpenAI's 404 body for an unknown route."""
    return {
        "error": {
            "message": f"Invalid URL ({method} {path})",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
    }


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    """A fake server running in the test's event loop."""
    async with FakeOpenAI() as server:
        yield server


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session sending a valid API key."""
    async with aiohttp.ClientSession(headers=AUTH) as client:
        yield client


async def fetch(
    session: aiohttp.ClientSession,
    method: str,
    url: str | URL,
    **kwargs: Any,
) -> tuple[int, CIMultiDictProxy[str], Any]:
    """Send a request; return status, headers and the parsed JSON body."""
    async with session.request(method, url, **kwargs) as resp:
        return resp.status, resp.headers, json.loads(await resp.read())


def raw_url(fake: FakeOpenAI, raw_path: str) -> URL:
    """Return a URL that aiohttp sends with ``raw_path`` exactly as given (no re-encoding)."""
    return URL(f"http://{fake.host}:{fake.port}{raw_path}", encoded=True)


# --- lifecycle and URL ---------------------------------------------------------------------


async def test_url_ends_in_v1_and_uses_the_bound_port(fake: FakeOpenAI) -> None:
    assert fake.port > 0
    assert fake.host == "127.0.0.1"
    assert fake.url == f"http://127.0.0.1:{fake.port}/v1"
    assert fake.running


def test_port_is_unknown_before_start() -> None:
    fake = FakeOpenAI()
    assert not fake.running
    with pytest.raises(RuntimeError):
        _ = fake.url


def test_api_keys_must_not_be_a_single_string() -> None:
    with pytest.raises(TypeError):
        FakeOpenAI(api_keys=KEY)


async def test_starting_twice_is_refused(fake: FakeOpenAI) -> None:
    with pytest.raises(RuntimeError):
        await fake.start()


async def test_stop_is_idempotent_and_refuses_connections() -> None:
    fake = FakeOpenAI()
    await fake.start()
    port = fake.port
    await fake.stop()
    await fake.aclose()
    assert not fake.running
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection("127.0.0.1", port)


async def test_new_server_can_bind_the_port_of_a_stopped_one(
    session: aiohttp.ClientSession,
) -> None:
    async with FakeOpenAI() as first:
        status, _, _ = await fetch(session, "GET", f"{first.url}/models")
        assert status == 200
        port = first.port
    # Stopping closed the kept-alive connection from the server side: it is in TIME_WAIT now.
    async with FakeOpenAI(port=port) as second:
        assert second.url == first.url
        status, _, body = await fetch(session, "GET", f"{second.url}/models/gpt-4")
        assert (status, body["id"]) == (200, "gpt-4")


async def test_same_instance_restarts_on_its_port_keeping_state(
    session: aiohttp.ClientSession,
) -> None:
    fake = FakeOpenAI()
    await fake.start()
    url = fake.url
    fake.add_model("ft:gpt-4:acme::keep", owned_by="acme")
    status, _, _ = await fetch(session, "GET", f"{url}/models")
    assert status == 200
    await fake.stop()
    await fake.start()
    try:
        assert fake.url == url
        status, _, body = await fetch(session, "GET", f"{url}/models/ft:gpt-4:acme::keep")
        assert (status, body["owned_by"]) == (200, "acme")
        assert len(fake.requests) == 2
    finally:
        await fake.stop()


async def test_a_port_in_use_raises_oserror() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        fake = FakeOpenAI(port=taken.getsockname()[1])
        with pytest.raises(OSError):
            await fake.start()
        assert not fake.running
        with pytest.raises(OSError):
            fake.start_in_thread()
        assert not fake.running


# --- models ---------------------------------------------------------------------------------


async def test_lists_exactly_the_35_seed_models_in_order(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    status, headers, body = await fetch(session, "GET", f"{fake.url}/models")
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert body == {"object": "list", "data": [model_obj(*row) for row in EXPECTED_SEED]}
    assert len(body["data"]) == 35
    assert [tuple(seed) for seed in SEED_MODELS] == EXPECTED_SEED
    assert list(fake.models) == [row[0] for row in EXPECTED_SEED]


async def test_retrieves_a_model(fake: FakeOpenAI, session: aiohttp.ClientSession) -> None:
    status, _, body = await fetch(session, "GET", f"{fake.url}/models/whisper-1")
    assert status == 200
    assert body == model_obj("whisper-1", 1677532384, "openai-internal")


async def test_unknown_model_is_404_with_openai_body(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    status, _, body = await fetch(session, "GET", f"{fake.url}/models/gpt-9")
    assert status == 404
    assert body == not_found_body("gpt-9")


async def test_added_model_is_listed_and_retrievable(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    added = fake.add_model("ft:gpt-3.5-turbo:acme::abc123", owned_by="acme", created=1700000000)
    expected = model_obj("ft:gpt-3.5-turbo:acme::abc123", 1700000000, "acme")
    assert added == expected
    status, _, body = await fetch(session, "GET", f"{fake.url}/models")
    assert status == 200
    assert len(body["data"]) == 36
    assert body["data"][-1] == expected
    status, _, body = await fetch(session, "GET", f"{fake.url}/models/{expected['id']}")
    assert (status, body) == (200, expected)


async def test_deletes_a_model_a_test_added(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    model_id = "ft:gpt-3.5-turbo:acme::abc123"
    fake.add_model(model_id, owned_by="acme")
    status, _, body = await fetch(session, "DELETE", f"{fake.url}/models/{model_id}")
    assert status == 200
    assert body == {"id": model_id, "object": "model", "deleted": True}
    assert model_id not in fake.models
    status, _, body = await fetch(session, "GET", f"{fake.url}/models/{model_id}")
    assert (status, body) == (404, not_found_body(model_id))
    status, _, body = await fetch(session, "GET", f"{fake.url}/models")
    assert [m["id"] for m in body["data"]] == [row[0] for row in EXPECTED_SEED]


@pytest.mark.parametrize("model_id", ["dall-e-3", "gpt-4", "whisper-1"])
async def test_deleting_an_openai_owned_model_is_403(
    fake: FakeOpenAI, session: aiohttp.ClientSession, model_id: str
) -> None:
    status, headers, body = await fetch(session, "DELETE", f"{fake.url}/models/{model_id}")
    assert status == 403
    assert headers["Content-Type"] == "application/json"
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    assert body["error"]["type"] == "invalid_request_error"
    assert body["error"]["code"] in (None, "insufficient_permissions")
    assert "permission" in body["error"]["message"]
    assert model_id in fake.models
    status, _, _ = await fetch(session, "GET", f"{fake.url}/models/{model_id}")
    assert status == 200


async def test_deleting_an_unknown_model_is_404(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    status, _, body = await fetch(session, "DELETE", f"{fake.url}/models/nope")
    assert (status, body) == (404, not_found_body("nope"))


@pytest.mark.parametrize(
    ("raw_id", "model_id"),
    [
        ("ft:gpt-3.5-turbo:acme::abc123", "ft:gpt-3.5-turbo:acme::abc123"),
        ("a%2Fb%3Fx%3D1", "a/b?x=1"),
        ("a%2fb", "a/b"),
        ("..%2Fassistants", "../assistants"),
        ("%2E%2E%2Fassistants", "../assistants"),
        ("x%23frag", "x#frag"),
        ("100%25", "100%"),
        ("%252F", "%2F"),
        ("%2525", "%25"),
        ("my%20model", "my model"),
        ("a%2Bb+c", "a+b+c"),
        (quote("modèle-ü-模型", safe=""), "modèle-ü-模型"),
    ],
)
async def test_model_ids_are_percent_decoded_exactly_once(
    fake: FakeOpenAI, session: aiohttp.ClientSession, raw_id: str, model_id: str
) -> None:
    fake.add_model(model_id, owned_by="acme", created=1)
    url = raw_url(fake, f"/v1/models/{raw_id}")
    status, _, body = await fetch(session, "GET", url)
    assert (status, body) == (200, model_obj(model_id, 1, "acme"))
    assert fake.requests[-1].raw_path == f"/v1/models/{raw_id}"
    assert fake.requests[-1].path == f"/v1/models/{model_id}"
    status, _, body = await fetch(session, "DELETE", url)
    assert (status, body) == (200, {"id": model_id, "object": "model", "deleted": True})
    status, _, body = await fetch(session, "GET", url)
    assert (status, body) == (404, not_found_body(model_id))


@pytest.mark.parametrize(
    ("raw_id", "model_id"),
    [("..%2Fmodels", "../models"), ("..%2F..%2Fv1%2Fmodels", "../../v1/models"), ("%2F", "/")],
)
async def test_encoded_dot_segments_are_ids_not_paths(
    fake: FakeOpenAI, session: aiohttp.ClientSession, raw_id: str, model_id: str
) -> None:
    status, _, body = await fetch(session, "GET", raw_url(fake, f"/v1/models/{raw_id}"))
    assert (status, body) == (404, not_found_body(model_id))


# --- auth -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": ""}, {"Authorization": "Bearer "}, {"Authorization": "Basic abc"}],
    ids=["no-header", "empty", "empty-bearer", "basic"],
)
async def test_missing_api_key_is_401(fake: FakeOpenAI, headers: dict[str, str]) -> None:
    async with aiohttp.ClientSession() as session:
        status, resp_headers, body = await fetch(
            session, "GET", f"{fake.url}/models", headers=headers
        )
    assert status == 401
    assert resp_headers["Content-Type"] == "application/json"
    assert REQUEST_ID.fullmatch(resp_headers["x-request-id"])
    assert body["error"]["message"].startswith("You didn't provide an API key")
    assert body["error"]["type"] == "invalid_request_error"
    assert body["error"]["param"] is None
    assert body["error"]["code"] is None


async def test_any_non_empty_key_is_accepted_by_default(fake: FakeOpenAI) -> None:
    async with aiohttp.ClientSession() as session:
        for key in ("x", "sk-anything", "Bearer"):
            headers = {"Authorization": f"Bearer {key}"}
            status, _, _ = await fetch(session, "GET", f"{fake.url}/models", headers=headers)
            assert status == 200


async def test_only_listed_keys_are_accepted_and_the_key_is_never_echoed() -> None:
    wrong = "sk-wrong-SECRET-9f8e7d6c5b4a"
    async with (
        FakeOpenAI(api_keys={KEY}) as fake,
        aiohttp.ClientSession() as session,
    ):
        status, _, _ = await fetch(session, "GET", f"{fake.url}/models", headers=AUTH)
        assert status == 200
        auth = {"Authorization": f"Bearer {wrong}"}
        async with session.get(f"{fake.url}/models/gpt-4", headers=auth) as resp:
            raw = await resp.read()
            status, headers = resp.status, resp.headers
    assert status == 401
    assert json.loads(raw) == {
        "error": {
            "message": "Incorrect API key provided. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
    }
    for fragment in (wrong, wrong[:8], wrong[-4:], "SECRET"):
        assert fragment not in raw.decode()
        assert all(fragment not in f"{k}: {v}" for k, v in headers.items())
    recorded = fake.requests[-1]
    assert recorded.headers["Authorization"] == f"Bearer {wrong}"
    assert "SECRET" not in repr(recorded)


async def test_unknown_routes_need_the_key_but_paths_outside_v1_do_not(fake: FakeOpenAI) -> None:
    async with aiohttp.ClientSession() as session:
        status, _, _ = await fetch(session, "GET", f"{fake.url}/whatever")
        assert status == 401
        status, _, body = await fetch(session, "GET", raw_url(fake, "/health"))
        assert (status, body) == (404, invalid_url_body("GET", "/health"))


# --- generic response shape -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/whatever"),
        ("POST", "/v1/models"),
        ("PUT", "/v1/models/gpt-4"),
        ("DELETE", "/v1/models"),
        ("GET", "/v1/models/"),
        ("GET", "/v1"),
        ("GET", "/"),
    ],
)
async def test_unknown_route_is_404_with_openai_body(
    fake: FakeOpenAI, session: aiohttp.ClientSession, method: str, path: str
) -> None:
    status, headers, body = await fetch(session, method, raw_url(fake, path))
    assert status == 404
    assert headers["Content-Type"] == "application/json"
    assert body == invalid_url_body(method, path)


async def test_every_response_carries_openai_headers_and_a_unique_request_id(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    fake.add_model("ft:x:acme::1", owned_by="acme")
    requests: list[tuple[str, str, dict[str, str]]] = [
        ("GET", "/models", AUTH),
        ("GET", "/models/gpt-4", AUTH),
        ("GET", "/models/nope", AUTH),
        ("DELETE", "/models/gpt-4", AUTH),
        ("DELETE", "/models/ft:x:acme::1", AUTH),
        ("GET", "/nowhere", AUTH),
        ("GET", "/models", {"Authorization": ""}),
    ]
    seen: list[int] = []
    ids: list[str] = []
    for method, path, headers in requests:
        async with session.request(method, f"{fake.url}{path}", headers=headers) as resp:
            await resp.read()
            seen.append(resp.status)
            assert resp.headers["Content-Type"] == "application/json"
            assert REQUEST_ID.fullmatch(resp.headers["x-request-id"])
            assert resp.headers["openai-version"] == "2020-10-01"
            assert resp.headers["openai-processing-ms"].isdigit()
            ids.append(resp.headers["x-request-id"])
    assert seen == [200, 200, 404, 403, 200, 404, 401]
    assert len(set(ids)) == len(ids)
    assert [r.request_id for r in fake.requests] == ids


async def test_request_ids_are_unique_under_concurrency(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    async def one() -> str:
        async with session.get(f"{fake.url}/models/gpt-4") as resp:
            await resp.read()
            return resp.headers["x-request-id"]

    ids = await asyncio.gather(*(one() for _ in range(200)))
    assert len(set(ids)) == 200


# --- request log ----------------------------------------------------------------------------


async def test_request_log_records_what_was_sent(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    payload = {"model": "gpt-4", "messages": [{"role": "user", "content": "héllo"}]}
    async with session.post(
        f"{fake.url}/chat/completions", json=payload, headers={"X-Custom": "1"}
    ) as resp:
        await resp.read()
        request_id = resp.headers["x-request-id"]
    await fetch(session, "GET", raw_url(fake, "/v1/models/a%2Fb?limit=2&limit=3&after=x%20y"))
    async with session.post(f"{fake.url}/files", data=b"not json") as resp:
        await resp.read()

    assert len(fake.requests) == 3
    post, get, raw = fake.requests
    assert isinstance(post, RecordedRequest)
    assert post.method == "POST"
    assert post.raw_path == post.path == "/v1/chat/completions"
    assert post.headers["X-Custom"] == "1"
    assert post.headers["authorization"] == f"Bearer {KEY}"
    assert json.loads(post.body) == payload
    assert post.json == payload
    assert post.request_id == request_id
    assert not post.query

    assert get.method == "GET"
    assert get.raw_path == "/v1/models/a%2Fb?limit=2&limit=3&after=x%20y"
    assert get.path == "/v1/models/a/b"
    assert get.query.getall("limit") == ["2", "3"]
    assert get.query["after"] == "x y"
    assert get.body == b""
    assert get.json is None

    assert raw.body == b"not json"
    assert raw.json is None

    fake.requests.clear()
    await fetch(session, "GET", f"{fake.url}/models")
    assert [r.path for r in fake.requests] == ["/v1/models"]


async def test_record_requests_false_keeps_no_log(session: aiohttp.ClientSession) -> None:
    async with FakeOpenAI(record_requests=False) as fake:
        status, _, _ = await fetch(session, "POST", f"{fake.url}/models", json={"a": 1})
        assert status == 404
        status, _, _ = await fetch(session, "GET", f"{fake.url}/models")
        assert status == 200
        assert fake.requests == []


# --- state ----------------------------------------------------------------------------------


def test_state_is_read_only_through_models_and_validates_ids() -> None:
    fake = FakeOpenAI()
    assert isinstance(fake.state, FakeState)
    assert len(fake.models) == 35
    with pytest.raises(TypeError):
        fake.models["x"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        fake.models["gpt-4"]["owned_by"] = "me"  # type: ignore[index]
    added = fake.add_model("mine")
    assert added["owned_by"] == "user"
    assert isinstance(added["created"], int)
    added["owned_by"] = "changed"
    assert fake.models["mine"]["owned_by"] == "user"
    with pytest.raises(ValueError):
        fake.add_model("")


# --- thread mode and the pytest plugin ------------------------------------------------------


def get_json(url: str, key: str = KEY) -> tuple[int, Any]:
    """GET ``url`` with blocking urllib; return status and parsed body."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.loads(err.read())


def server_threads() -> list[threading.Thread]:
    """Return the live threads started by FakeOpenAI."""
    return [t for t in threading.enumerate() if t.name == "FakeOpenAI"]


def test_thread_mode_serves_synchronous_code() -> None:
    fake = FakeOpenAI()
    with fake.running_in_thread() as running:
        assert running is fake
        assert fake.running
        assert len(server_threads()) == 1
        status, body = get_json(f"{fake.url}/models")
        assert status == 200
        assert len(body["data"]) == 35
        fake.add_model("ft:gpt-4:acme::sync", owned_by="acme")
        assert get_json(f"{fake.url}/models/ft:gpt-4:acme::sync")[0] == 200
        port = fake.port
    assert not fake.running
    assert server_threads() == []
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port)):
        pass
    # ... and it can run again, on the same port.
    fake.start_in_thread()
    try:
        assert fake.port == port
        assert get_json(f"{fake.url}/models/ft:gpt-4:acme::sync")[0] == 200
    finally:
        fake.stop_in_thread()
    assert server_threads() == []


async def test_thread_mode_serves_another_event_loop(session: aiohttp.ClientSession) -> None:
    with FakeOpenAI().running_in_thread() as fake:
        status, _, body = await fetch(session, "GET", f"{fake.url}/models/gpt-4")
        assert (status, body["id"]) == (200, "gpt-4")
        with pytest.raises(RuntimeError):
            await fake.stop()
        assert fake.running


def test_start_in_thread_twice_is_refused() -> None:
    with FakeOpenAI().running_in_thread() as fake, pytest.raises(RuntimeError):
        fake.start_in_thread()


def test_plugin_fixture_serves_sync_tests(fake_openai: FakeOpenAI) -> None:
    assert fake_openai.running
    status, body = get_json(f"{fake_openai.url}/models")
    assert (status, len(body["data"])) == (200, 35)
    assert len(fake_openai.requests) == 1


async def test_plugin_fixture_serves_async_tests(
    fake_openai: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    status, _, body = await fetch(session, "GET", f"{fake_openai.url}/models/dall-e-2")
    assert (status, body["owned_by"]) == (200, "system")


def test_plugin_is_registered_as_entry_point() -> None:
    from importlib.metadata import entry_points

    plugins = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert plugins.get("aio_openai") == "aio_openai.testing.pytest_plugin"


def test_importing_aio_openai_does_not_import_testing() -> None:
    code = "import sys, aio_openai; print('aio_openai.testing' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
