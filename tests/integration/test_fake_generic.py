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
from typing import Any, Final

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


async def test_groups_are_created_read_listed_updated_and_deleted(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    status, first = await call(session, fake, "POST", "/organization/groups", json={"name": "A"})
    assert status == 200
    assert first["name"] == "A"
    assert first["id"].startswith("group_")
    assert first["created_at"] == 1_800_000_000
    _, second = await call(session, fake, "POST", "/organization/groups", json={"name": "B"})
    assert second["id"] != first["id"]
    item = f"/organization/groups/{first['id']}"

    assert await call(session, fake, "GET", item) == (200, first)
    status, page = await call(session, fake, "GET", "/organization/groups?limit=1")
    assert [g["id"] for g in page["data"]] == [first["id"]]
    assert (page["has_more"], page["next"]) == (True, first["id"])
    _, rest = await call(session, fake, "GET", f"/organization/groups?after={page['next']}")
    assert [g["id"] for g in rest["data"]] == [second["id"]]
    assert (rest["has_more"], rest["next"]) == (False, None)

    status, renamed = await call(session, fake, "POST", item, json={"name": "A2"})
    assert (status, renamed["id"], renamed["name"]) == (200, first["id"], "A2")
    assert (await call(session, fake, "GET", item))[1] == {**first, "name": "A2"}

    status, gone = await call(session, fake, "DELETE", item)
    assert status == 200
    assert (gone["id"], gone["deleted"]) == (first["id"], True)
    status, body = await call(session, fake, "GET", item)
    assert status == 404
    assert first["id"] in body["error"]["message"]
    assert (await call(session, fake, "DELETE", item))[0] == 404
    assert (await call(session, fake, "GET", item + "/users"))[0] == 404  # all under it
    listed = (await call(session, fake, "GET", "/organization/groups"))[1]["data"]
    assert first["id"] not in [g["id"] for g in listed]
    assert [g["name"] for g in fake.state.generic.objects("/organization/groups")] == ["B"]


async def test_a_kept_object_is_read_as_the_reader_describes_it(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    # An uploaded certificate's answer (Certificate) has no ``active`` and says ``object:
    # "certificate"``; the list's items (OrganizationCertificate) require ``active`` and say
    # ``organization.certificate``.
    body = {"certificate": "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----"}
    status, made = await call(session, fake, "POST", "/organization/certificates", json=body)
    assert status == 200
    assert (made["object"], "active" in made) == ("certificate", False)
    item = f"/organization/certificates/{made['id']}"
    assert await call(session, fake, "GET", item) == (200, made)
    listed = (await call(session, fake, "GET", "/organization/certificates"))[1]["data"]
    (seen,) = [c for c in listed if c["id"] == made["id"]]
    assert seen["object"] == "organization.certificate"
    assert seen["active"] is False
    assert {k: v for k, v in seen.items() if k not in ("object", "active")} == {
        k: v for k, v in made.items() if k != "object"
    } | {"certificate_details": seen["certificate_details"]}
    assert (await call(session, fake, "DELETE", item))[0] == 200
    assert (await call(session, fake, "GET", item))[0] == 404
    listed = (await call(session, fake, "GET", "/organization/certificates"))[1]["data"]
    assert made["id"] not in [c["id"] for c in listed]


async def test_unknown_ids_are_answered_with_that_id(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    status, group = await call(session, fake, "GET", "/organization/groups/group_elsewhere")
    assert (status, group["id"]) == (200, "group_elsewhere")
    status, certificate = await call(
        session, fake, "POST", "/organization/certificates/cert_elsewhere", json={"name": "n"}
    )
    assert (status, certificate["id"], certificate["name"]) == (200, "cert_elsewhere", "n")


# -- what the SDK has and the spec lacks ----------------------------------------------------


RULE: Final = {
    "name": "errors",
    "condition": {
        "type": "error_rate",
        "threshold": 0.5,
        "window_seconds": 300,
        "status_class": "5xx",
    },
}


async def test_the_sdks_operations_the_spec_lacks_are_served_with_state(
    fake: FakeOpenAI, session: aiohttp.ClientSession
) -> None:
    rules = "/organization/projects/proj_generic/health/alert_rules"
    status, rule = await call(session, fake, "POST", rules, json=RULE)
    assert status == 200
    assert rule["id"].startswith("alert_rule_")
    assert (rule["name"], rule["condition"], rule["object"]) == (
        "errors",
        RULE["condition"],
        "health.alert_rule",
    )
    assert await call(session, fake, "GET", f"{rules}/{rule['id']}") == (200, rule)
    assert [r["id"] for r in (await call(session, fake, "GET", rules))[1]["data"]] == [rule["id"]]
    status, body = await call(session, fake, "POST", rules, json={**RULE, "condition": {}})
    status, param, _ = error(status, body)
    assert (status, param.split(".")[0]) == (400, "condition")  # the branch that got furthest
    status, body = await call(session, fake, "POST", rules, json={**RULE, "colour": "red"})
    assert error(status, body)[:2] == (400, "colour")
    status, body = await call(session, fake, "DELETE", f"{rules}/{rule['id']}")
    assert error(status, body)[:2] == (400, "expected_version")
    path = f"{rules}/{rule['id']}?expected_version=1"
    assert (await call(session, fake, "DELETE", path))[0] == 200
    assert (await call(session, fake, "GET", f"{rules}/{rule['id']}"))[0] == 404


async def test_answers_are_deterministic() -> None:
    answers = []
    for _ in range(2):
        async with (
            FakeOpenAI() as server,
            aiohttp.ClientSession(headers={"Authorization": f"Bearer {KEY}"}) as s,
        ):
            server.state.generic.clock = lambda: 1_700_000_000.0
            _, created = await call(s, server, "POST", "/organization/groups", json={"name": "x"})
            _, listed = await call(s, server, "GET", "/organization/audit_logs")
            answers.append((created, listed))
    assert answers[0] == answers[1]


# -- bad requests ---------------------------------------------------------------------------


#: A spend alert's body (a nested object of the spec's).
ALERT: Final = {
    "threshold_amount": 100,
    "currency": "USD",
    "interval": "month",
    "notification_channel": {"type": "email", "recipients": ["a@example.com"]},
}


@pytest.mark.parametrize(
    ("method", "path", "json", "expected"),
    [
        ("POST", "/organization/groups", {}, (400, "name", "Missing required parameter")),
        ("POST", "/organization/groups", {"name": 7}, (400, "name", "Invalid type for 'name'")),
        (
            "POST",
            "/organization/spend_alerts",
            {**ALERT, "currency": "EUR"},
            (400, "currency", "Invalid value: 'EUR'"),
        ),
        (
            "POST",
            "/organization/spend_alerts",
            {**ALERT, "notification_channel": {"type": "email", "recipients": [7]}},
            (400, "notification_channel.recipients[0]", "Invalid type for"),
        ),
        (
            "POST",
            "/organization/spend_alerts",
            {**ALERT, "notification_channel": {"type": "email"}},
            (400, "notification_channel.recipients", "Missing required parameter: 'notif"),
        ),
        (
            "GET",
            "/organization/groups?limit=many",
            None,
            (400, "limit", "Invalid type for 'limit'"),
        ),
        (
            "GET",
            "/organization/audit_logs?effective_at[gt]=soon",
            None,
            None,  # an object parameter: not checked (the spec's deepObject style)
        ),
        (
            "DELETE",
            "/organization/health/alert_rules/rule_1",
            None,
            (400, "expected_version", "Missing required parameter"),
        ),
        ("GET", "/organization/nothing", None, (404, None, "Invalid URL (GET /v1/organization/n")),
        ("PUT", "/organization/groups", None, (404, None, "Invalid URL (PUT /v1/organization")),
        ("POST", "/models", None, (404, None, "Invalid URL (POST /v1/models)")),
        ("GET", "/organization/groups/", None, (404, None, "Invalid URL (GET /v1/organiza")),
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
        "/organization/groups",
        data=b"{nope",
        headers={"Content-Type": "application/json"},
    )
    assert error(status, body)[:2] == (400, None)
    assert "could not parse the JSON body" in body["error"]["message"]


async def test_the_key_is_still_needed(fake: FakeOpenAI) -> None:
    async with aiohttp.ClientSession() as s:
        status, _ = await call(s, fake, "GET", "/organization/groups")
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
        status, body = await call(s, server, "GET", "/organization/groups")
        assert error(status, body) == (
            404,
            None,
            "Invalid URL (GET /v1/organization/groups)",
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
            assert (await call(session, server, "GET", "/organization/groups"))[0] == expected
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
        assert _status(server.url + "/organization/groups") == 404
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
                    fake.url + "/organization/groups", headers={"Authorization": "Bearer k"}
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
