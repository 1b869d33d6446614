"""FakeOpenAI's generic mode over real HTTP: the state rule on collections, OpenAI's 400s and
404s for bad requests, the path's ids and the request's fields in the answers, hand-written
routes winning, the off switch (keyword, config file, ``serve-fake --no-generic``), and the
spec read on first use only. Every operation's conformance is in
``tests/conformance/test_generic_conformance.py``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest
from serve_fake import ServeFake

from aio_openai.testing import FakeOpenAI
from aio_openai.testing._config import FakeConfig, config_from

KEY = "sk-generic-0123456789"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    """One fake for the module, in a thread, its generic clock fixed."""
    with FakeOpenAI().running_in_thread() as server:
        server.state.generic.clock = lambda: 1_800_000_000.0
        yield server


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {KEY}"}) as s:
        yield s


async def call(
    session: aiohttp.ClientSession, fake: FakeOpenAI, method: str, path: str, **kwargs: Any
) -> tuple[int, Any]:
    async with session.request(method, fake.url + path, **kwargs) as response:
        body = await response.json() if response.content_type == "application/json" else None
        return response.status, body


def error(status: int, body: Any) -> tuple[int, str | None, str]:
    """The status, ``param`` and message of an OpenAI error body (it must be one)."""
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    assert body["error"]["type"] == "invalid_request_error"
    return status, body["error"]["param"], body["error"]["message"]


# -- the state rule -------------------------------------------------------------------------


async def test_projects_are_created_read_listed_updated_and_deleted(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    status, first = await call(session, fake, "POST", "/organization/projects", json={"name": "A"})
    assert status == 200
    assert first["object"] == "organization.project"
    assert first["name"] == "A"
    assert first["id"].startswith("proj_")
    assert first["created_at"] == 1_800_000_000
    _, second = await call(session, fake, "POST", "/organization/projects", json={"name": "B"})
    assert second["id"] != first["id"]

    assert await call(session, fake, "GET", f"/organization/projects/{first['id']}") == (
        200,
        first,
    )
    status, page = await call(session, fake, "GET", "/organization/projects?limit=1")
    assert [p["id"] for p in page["data"]] == [first["id"]]
    assert (page["first_id"], page["last_id"], page["has_more"]) == (
        first["id"],
        first["id"],
        True,
    )
    _, rest = await call(session, fake, "GET", f"/organization/projects?after={first['id']}")
    assert [p["id"] for p in rest["data"]] == [second["id"]]
    assert rest["has_more"] is False

    status, renamed = await call(
        session, fake, "POST", f"/organization/projects/{first['id']}", json={"name": "A2"}
    )
    assert (status, renamed) == (200, {**first, "name": "A2"})
    assert (await call(session, fake, "GET", f"/organization/projects/{first['id']}"))[1] == renamed

    # Projects are archived, not deleted; users of a project are deleted.
    users = f"/organization/projects/{first['id']}/users"
    status, user = await call(session, fake, "POST", users, json={"user_id": "u1", "role": "owner"})
    assert status == 200
    assert user["role"] == "owner"
    assert [u["id"] for u in (await call(session, fake, "GET", users))[1]["data"]] == [user["id"]]
    status, gone = await call(session, fake, "DELETE", f"{users}/{user['id']}")
    assert status == 200
    assert (gone["id"], gone["deleted"]) == (user["id"], True)
    status, body = await call(session, fake, "GET", f"{users}/{user['id']}")
    assert status == 404
    assert user["id"] in body["error"]["message"]
    assert (await call(session, fake, "DELETE", f"{users}/{user['id']}"))[0] == 404
    assert (await call(session, fake, "GET", users))[1]["data"] == []
    assert fake.state.generic.objects(users) == []
    assert [p["name"] for p in fake.state.generic.objects("/organization/projects")] == [
        "A2",
        "B",
    ]


async def test_invites_are_kept_and_gone_after_delete(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    body = {"email": "ann@example.com", "role": "reader"}
    status, invite = await call(session, fake, "POST", "/organization/invites", json=body)
    assert status == 200
    assert (invite["email"], invite["role"], invite["object"]) == (
        "ann@example.com",
        "reader",
        "organization.invite",
    )
    item = f"/organization/invites/{invite['id']}"
    assert await call(session, fake, "GET", item) == (200, invite)
    listed = (await call(session, fake, "GET", "/organization/invites"))[1]["data"]
    assert invite in listed
    assert (await call(session, fake, "DELETE", item))[0] == 200
    assert (await call(session, fake, "GET", item))[0] == 404
    listed = (await call(session, fake, "GET", "/organization/invites"))[1]["data"]
    assert invite not in listed


async def test_unknown_ids_are_answered_with_that_id(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    status, project = await call(session, fake, "GET", "/organization/projects/proj_elsewhere")
    assert status == 200
    assert project["id"] == "proj_elsewhere"
    status, archived = await call(
        session, fake, "POST", "/organization/projects/proj_elsewhere/archive"
    )
    assert (status, archived["id"]) == (200, "proj_elsewhere")


async def test_answers_are_deterministic() -> None:
    answers = []
    for _ in range(2):
        async with (
            FakeOpenAI() as server,
            aiohttp.ClientSession(headers={"Authorization": f"Bearer {KEY}"}) as s,
        ):
            server.state.generic.clock = lambda: 1_700_000_000.0
            _, created = await call(s, server, "POST", "/organization/projects", json={"name": "x"})
            _, listed = await call(s, server, "GET", "/organization/audit_logs")
            answers.append((created, listed))
    assert answers[0] == answers[1]


# -- bad requests ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "json", "expected"),
    [
        ("POST", "/organization/projects", {}, (400, "name", "Missing required parameter")),
        ("POST", "/organization/projects", {"name": 7}, (400, "name", "Invalid type for 'name'")),
        (
            "POST",
            "/organization/invites",
            {"email": "a@b.c", "role": "boss"},
            (400, "role", "Invalid value: 'boss'"),
        ),
        (
            "POST",
            "/organization/invites",
            {"email": "a@b.c", "role": "reader", "projects": [{"id": "p", "role": "king"}]},
            (400, "projects[0].role", "Invalid value: 'king'"),
        ),
        (
            "POST",
            "/organization/invites",
            {"email": "a@b.c", "role": "reader", "projects": [{"role": "member"}]},
            (400, "projects[0].id", "Missing required parameter: 'projects[0].id'"),
        ),
        (
            "GET",
            "/organization/projects?limit=many",
            None,
            (400, "limit", "Invalid type for 'limit'"),
        ),
        (
            "GET",
            "/organization/audit_logs?effective_at[gt]=soon",
            None,
            None,  # an object parameter: not checked (the spec's deepObject style)
        ),
        ("GET", "/organization/costs", None, (400, "start_time", "Missing required parameter")),
        ("GET", "/organization/nothing", None, (404, None, "Invalid URL (GET /v1/organization/n")),
        ("PUT", "/organization/projects", None, (404, None, "Invalid URL (PUT /v1/organization")),
        ("POST", "/models", None, (404, None, "Invalid URL (POST /v1/models)")),
        ("GET", "/organization/projects/", None, (404, None, "Invalid URL (GET /v1/organiza")),
    ],
)
async def test_bad_requests_get_openai_errors(
    fake: FakeOpenAI,
    session: aiohttp.ClientSession,
    method: str,
    path: str,
    json: Any,
    expected: tuple[int, str | None, str] | None,
) -> None:
    status, body = await call(session, fake, method, path, json=json)
    if expected is None:
        assert status == 200
        return
    got_status, param, message = error(status, body)
    assert (got_status, param) == expected[:2]
    assert message.startswith(expected[2]), message


async def test_a_body_that_is_not_json_is_a_400(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    status, body = await call(
        session,
        fake,
        "POST",
        "/organization/projects",
        data=b"{nope",
        headers={"Content-Type": "application/json"},
    )
    assert error(status, body)[:2] == (400, None)
    assert "could not parse the JSON body" in body["error"]["message"]


async def test_the_key_is_still_needed(fake: FakeOpenAI) -> None:
    async with aiohttp.ClientSession() as s:
        status, _ = await call(s, fake, "GET", "/organization/projects")
    assert status == 401


# -- hand-written routes win, the off switch --------------------------------------------------


async def test_hand_written_routes_win(fake: FakeOpenAI, session: aiohttp.ClientSession) -> None:
    status, models = await call(session, fake, "GET", "/models")
    assert status == 200
    assert {m["id"] for m in models["data"]} == set(fake.models)
    status, body = await call(session, fake, "GET", "/models/no-such-model")
    assert (status, body["error"]["code"]) == (404, "model_not_found")
    status, body = await call(session, fake, "GET", "/files/file-unknown")
    assert status == 404  # the files store answers, not a made-up file


async def test_off_switch() -> None:
    async with (
        FakeOpenAI(generic=False) as server,
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {KEY}"}) as s,
    ):
        status, body = await call(s, server, "GET", "/organization/projects")
        assert error(status, body) == (
            404,
            None,
            "Invalid URL (GET /v1/organization/projects)",
        )
        assert (await call(s, server, "GET", "/models"))[0] == 200


async def test_config_file_and_option_turn_it_off(session: aiohttp.ClientSession) -> None:
    configs = [
        (FakeConfig(), 200),
        (config_from({"generic": True}), 200),
        (config_from({"generic": False}), 404),
        (FakeConfig().merge(FakeConfig(generic=False)), 404),
    ]
    for config, expected in configs:
        async with config.build() as server:
            assert (await call(session, server, "GET", "/organization/projects"))[0] == expected
    with pytest.raises(ValueError, match="generic must be true or false"):
        config_from({"generic": "no"})


def _status(url: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {KEY}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_serve_fake_no_generic() -> None:
    # The real command (its default, generic on, is FakeConfig's: tested above).
    with ServeFake("--no-generic") as server:
        assert _status(server.url + "/organization/projects") == 404
        assert _status(server.url + "/models") == 200


def test_the_spec_is_read_on_first_use_only() -> None:
    script = textwrap.dedent(
        """
        import asyncio
        import aiohttp
        from aio_openai.testing import FakeOpenAI
        from aio_openai.testing._generic.spec import spec_loaded

        async def main():
            async with FakeOpenAI() as fake, aiohttp.ClientSession() as s:
                print(spec_loaded())
                async with s.get(fake.url + "/models", headers={"Authorization": "Bearer k"}):
                    pass
                print(spec_loaded())
                async with s.get(
                    fake.url + "/organization/projects", headers={"Authorization": "Bearer k"}
                ):
                    pass
                print(spec_loaded())

        asyncio.run(main())
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.split() == ["False", "False", "True"]
