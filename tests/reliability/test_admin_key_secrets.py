"""The admin key obeys the API key's rules: it never shows (repr, str, errors, logs,
tracebacks, the CLI), it leaves only for the client's base URL (redirects are not followed),
``with_options``/``copy`` carry it, and a call whose key the client lacks is refused with a
TypeError before anything is sent."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any, Final

import pytest
from aiohttp import web

from aio_openai import (
    APIConnectionError,
    APIStatusError,
    AsyncOpenAI,
    AuthenticationError,
    InternalServerError,
    NotFoundError,
    OpenAIError,
    RetryPolicy,
)
from aio_openai.cli import main
from aio_openai.testing import FakeOpenAI

from ._servers import app_server
from .test_secrets import dead_port, exposed

ADMIN: Final = "sk-admin-SECRET-reliability-5c1d9e0a7b3f4a2c8d6e"
API: Final = "sk-SECRET-api-key-reliability-0a1b2c3d4e5f6a7b"


def assert_hidden(*texts: object) -> None:
    for text in texts:
        for key in (ADMIN, API):
            assert key not in str(text)
            assert key[3:] not in str(text)


@pytest.fixture
async def admin(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    policy = RetryPolicy(max_retries=1, initial_delay=0.001, max_delay=0.002)
    async with AsyncOpenAI(
        api_key=API, admin_api_key=ADMIN, base_url=fake.url, retry_policy=policy, timeout=0.5
    ) as client:
        yield client


async def test_admin_calls_send_the_admin_key_and_only_them(
    fake: FakeOpenAI, admin: AsyncOpenAI
) -> None:
    await admin.admin.organization.projects.list()
    await admin.models.list()
    sent = {r.path: r.headers["Authorization"] for r in fake.requests}
    assert sent == {"/v1/organization/projects": f"Bearer {ADMIN}", "/v1/models": f"Bearer {API}"}


async def test_no_repr_or_str_shows_the_admin_key(fake: FakeOpenAI, admin: AsyncOpenAI) -> None:
    copy = admin.with_options(max_retries=0)
    assert copy.admin_api_key == ADMIN  # carried ...
    raw = await admin.admin.organization.projects.with_raw_response.list()
    page = raw.parse()
    assert_hidden(  # ... and never shown
        repr(admin),
        str(admin),
        repr(copy),
        repr(admin.admin.organization),
        repr(raw),
        repr(raw.http_request),
        raw.http_request.headers,
        repr(page),
        repr(fake.requests),
    )
    assert raw.http_request.headers["Authorization"] == f"Bearer {ADMIN[:6]}...{ADMIN[-4:]}"


async def test_no_error_or_log_shows_the_admin_key(
    fake: FakeOpenAI, admin: AsyncOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caught: list[BaseException] = []

    async def expect(cls: type[BaseException], call: Any) -> None:
        with pytest.raises(cls) as info:
            await call
        caught.append(info.value)

    projects = admin.admin.organization.projects
    await expect(NotFoundError, projects.retrieve("proj_missing"))
    fake.faults.push("GET /v1/organization/projects", status=500, times=2)
    await expect(InternalServerError, projects.list())
    fake.faults.push(
        "GET /v1/organization/projects", status=401, message=f"Incorrect API key provided: {ADMIN}"
    )
    await expect(AuthenticationError, projects.list())
    fake.state.admin.admin_keys = {"sk-admin-another-one-0000000000"}
    await expect(AuthenticationError, projects.list())  # refused: not an admin key
    async with AsyncOpenAI(
        admin_api_key=ADMIN, base_url=f"http://127.0.0.1:{dead_port()}/v1", max_retries=0
    ) as dead:
        await expect(APIConnectionError, dead.admin.organization.projects.list())
    assert len(caught) == 5
    for exc in caught:
        assert_hidden(*exposed(exc))
    assert caplog.records
    assert_hidden(*(r.getMessage() for r in caplog.records))


async def test_a_redirect_is_not_followed_so_the_admin_key_never_leaves(clean_env: None) -> None:
    elsewhere: list[str] = []

    async def other(request: web.Request) -> web.Response:
        elsewhere.append(request.headers.get("Authorization", ""))
        return web.json_response({"object": "list", "data": []})

    other_app = web.Application()
    other_app.router.add_get("/{tail:.*}", other)
    async with app_server(other_app) as other_url:

        async def redirect(request: web.Request) -> web.Response:
            raise web.HTTPTemporaryRedirect(other_url + "/organization/projects")

        app = web.Application()
        app.router.add_get("/{tail:.*}", redirect)
        async with (
            app_server(app) as url,
            AsyncOpenAI(admin_api_key=ADMIN, base_url=url) as client,
        ):
            with pytest.raises(APIStatusError) as info:
                await client.admin.organization.projects.list()
    assert info.value.status_code == 307
    assert elsewhere == []
    assert_hidden(*exposed(info.value))


async def test_a_call_whose_key_the_client_lacks_is_refused_before_it_is_sent(
    fake: FakeOpenAI, clean_env: None
) -> None:
    async with AsyncOpenAI(api_key=API, base_url=fake.url) as plain:
        with pytest.raises(TypeError, match="admin_api_key= or set OPENAI_ADMIN_KEY"):
            await plain.admin.organization.projects.retrieve("proj_default")
        with pytest.raises(TypeError, match="OPENAI_ADMIN_KEY"):
            await plain.admin.organization.projects.list()  # a list: refused when awaited
    async with AsyncOpenAI(admin_api_key=ADMIN, base_url=fake.url) as admin_only:
        with pytest.raises(TypeError, match="api_key= or set OPENAI_API_KEY"):
            await admin_only.models.list()
        await admin_only.admin.organization.projects.retrieve("proj_default")
    assert [r.path for r in fake.requests] == ["/v1/organization/projects/proj_default"]
    with pytest.raises(OpenAIError, match="OPENAI_ADMIN_KEY"):
        AsyncOpenAI(base_url=fake.url)


def test_the_admin_key_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, clean_env: None
) -> None:
    monkeypatch.setenv("OPENAI_ADMIN_KEY", ADMIN)
    client = AsyncOpenAI(base_url="http://127.0.0.1:9/v1")
    assert (client.admin_api_key, client.api_key) == (ADMIN, "")
    assert client.copy(api_key=API).admin_api_key == ADMIN
    assert_hidden(repr(client), str(client))


@pytest.mark.parametrize("key_from", ["env", "argument"])
def test_cli_usage_errors_never_show_the_admin_key(
    fake_openai: FakeOpenAI,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    clean_env: None,
    key_from: str,
) -> None:
    fake_openai.state.admin.admin_keys = {"sk-admin-only-this-one-00000000"}
    key_args = ["--admin-key", ADMIN] if key_from == "argument" else []
    if key_from == "env":
        monkeypatch.setenv("OPENAI_ADMIN_KEY", ADMIN)
    fake_openai.faults.push(status=401, message=f"Incorrect API key provided: {ADMIN}.")
    for command in ("usage", "costs"):
        status = main(
            [command, "--base-url", fake_openai.url, "--max-retries", "0", "-vv", *key_args]
        )
        out, err = capsys.readouterr()
        assert status == 1
        assert "401" in err
        assert_hidden(out, err)
