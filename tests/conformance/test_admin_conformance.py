"""The admin API against OpenAI's spec: every request the client sends and every answer the
stateful admin fake gives (projects, users, invites, service accounts, keys, usage and costs),
errors included.

The admin operations the fake answers in its generic spec-driven mode (certificates, groups,
roles, rate limits, spend limits and alerts, data retention, permissions, audit logs...) are
listed in :data:`GENERIC_MODE`, each called through the client and checked the same way.
Operations the SDK has and the spec lacks are in ``test_endpoints_conformance.NOT_IN_SPEC``;
the generic mode answers them from the SDK's types, and
``tests/conformance/test_generic_conformance.py`` checks them against the spec it serves.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable
from typing import Any, Final, get_args

import pytest
from support import ADMIN_FAKE_SERVES, resource_paths

from aio_openai import APIStatusError, AsyncOpenAI
from aio_openai._endpoints import Endpoint
from aio_openai._resource import AdminResource
from aio_openai.resources import endpoints
from aio_openai.resources.admin.organization.usage import UsageKind
from aio_openai.testing import FakeOpenAI

from ._recorder import Recorder, check_all
from ._spec import load_fixture

ADMIN: Final = "sk-admin-conformance-0123456789"
AREA: Final = ("/organization/", "/projects/")
DAY: Final = 86400
#: The usage kinds in the spec (decisions are not yet), costs apart.
USAGE_KINDS: Final = [k for k in get_args(UsageKind) if k not in ("costs", "decisions")]


def _in_spec() -> frozenset[tuple[str, str]]:
    paths = load_fixture("v2")["paths"]
    return frozenset(
        (method.upper(), path)
        for path, item in paths.items()
        if path.startswith(AREA)
        for method in item
        if method in ("get", "post", "delete")
    )


def _admin_endpoints() -> list[Endpoint]:
    return [e for e in endpoints() if issubclass(e.resource, AdminResource)]


STATEFUL: Final = (
    frozenset((e.method, e.path) for e in _admin_endpoints() if ADMIN_FAKE_SERVES.fullmatch(e.path))
    & _in_spec()
)
#: The admin operations of the spec FakeOpenAI answers in its generic mode.
GENERIC_MODE: Final = sorted(
    (e.method, e.path)
    for e in _admin_endpoints()
    if not ADMIN_FAKE_SERVES.fullmatch(e.path) and (e.method, e.path) in _in_spec()
)


async def expect_error(call: Awaitable[Any], status: int) -> None:
    with pytest.raises(APIStatusError) as info:
        await call
    assert info.value.status_code == status, info.value


async def stateful_calls(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    org = client.admin.organization
    # usage from real calls: metered chats first (outside the recording: another key)
    async with AsyncOpenAI(api_key="sk-traffic", base_url=fake.url) as user:
        await user.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
        )
        await user.embeddings.create(model="text-embedding-3-small", input="hi")
    fake.requests.clear()

    project = await org.projects.create(name="Conformance", geography="US")
    await org.projects.retrieve(project.id)
    await org.projects.update(project.id, name="Conformance 2")
    assert [p async for p in org.projects.list(limit=1, include_archived=True)]
    await expect_error(org.projects.retrieve("proj_missing"), 404)
    await expect_error(org.projects.create(name=""), 400)

    users = await org.users.list(limit=10)
    owner = users.data[0]
    await org.users.retrieve(owner.id)
    joined = fake.state.admin.add_user("joined@example.com", "Joined", "reader")["id"]
    await org.users.update(joined, role="reader")
    await org.projects.users.create(project.id, role="member", user_id=joined)
    await org.projects.users.retrieve(joined, project_id=project.id)
    await org.projects.users.update(joined, project_id=project.id, role="owner")
    assert (await org.projects.users.list(project.id, limit=5)).data
    await org.projects.users.delete(joined, project_id=project.id)
    await org.users.delete(joined)
    await expect_error(org.users.retrieve(joined), 404)

    invite = await org.invites.create(
        email="new@example.com", role="reader", projects=[{"id": project.id, "role": "member"}]
    )
    await org.invites.retrieve(invite.id)
    assert (await org.invites.list(limit=5)).data
    await org.invites.delete(invite.id)
    await expect_error(org.invites.create(email="x@example.com", role="emperor"), 400)  # type: ignore[arg-type]

    account = await org.projects.service_accounts.create(project.id, name="deployer")
    await org.projects.service_accounts.retrieve(account.id, project_id=project.id)
    await org.projects.service_accounts.update(account.id, project_id=project.id, name="d2")
    assert (await org.projects.service_accounts.list(project.id)).data
    key = await org.projects.service_accounts.api_keys.create(
        account.id, project_id=project.id, name="second", expires_in_seconds=3600
    )
    assert (await org.projects.api_keys.list(project.id, limit=5)).data
    await org.projects.api_keys.retrieve(key.id, project_id=project.id)
    await org.projects.api_keys.delete(key.id, project_id=project.id)
    await org.projects.service_accounts.delete(account.id, project_id=project.id)
    await org.projects.archive(project.id)

    admin_key = await org.admin_api_keys.create(name="ci", expires_in_seconds=3600)
    await org.admin_api_keys.retrieve(admin_key.id)
    assert (await org.admin_api_keys.list(limit=5, order="asc")).data
    await org.admin_api_keys.delete(admin_key.id)

    start = int(time.time()) - 2 * DAY
    for kind in USAGE_KINDS:
        await getattr(org.usage, kind)(start_time=start, limit=3)
    await org.usage.completions(
        start_time=start, bucket_width="1h", group_by=["model", "project_id"], limit=48
    )
    await org.usage.costs(start_time=start, group_by=["project_id", "line_item"], limit=3)
    await expect_error(org.usage.completions(start_time=start, bucket_width="2d"), 400)  # type: ignore[arg-type]


async def test_the_stateful_admin_calls_conform(fake: FakeOpenAI, clean_env: None) -> None:
    recorder = Recorder()
    async with AsyncOpenAI(
        admin_api_key=ADMIN, base_url=fake.url, middlewares=[recorder], max_retries=0
    ) as client:
        await stateful_calls(client, fake)
    check_all("v2", fake, recorder, AREA, only=STATEFUL)
    assert {got.status for got in recorder.exchanges} == {200, 400, 404}


async def test_the_admin_key_refusal_conforms(fake: FakeOpenAI, clean_env: None) -> None:
    recorder = Recorder()
    async with AsyncOpenAI(
        admin_api_key="sk-not-an-admin-key", base_url=fake.url, middlewares=[recorder]
    ) as client:
        await expect_error(client.admin.organization.projects.list(), 401)
    check_all("v2", fake, recorder, AREA, only={("GET", "/organization/projects")})


# -- the operations of the generic mode -----------------------------------------------------------

#: Values of the required arguments of the generic mode's operations.
_VALUES: Final[dict[str, Any]] = {
    "name": "conformance",
    "role_name": "conformance-role",
    "permissions": ["api.model.read"],
    "role_id": "role_conformance",
    "user_id": "user_conformance",
    "group_id": "group_conformance",
    "certificate": "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----",
    "certificate_ids": ["cert_conformance"],
    "currency": "USD",
    "interval": "month",
    "threshold_amount": 100,
    "notification_channel": {"type": "email", "recipients": ["a@example.com"]},
    "role": "member",  # a project group's
    "retention_type": "zero_data_retention",
    "mode": "allow_list",
    "model_ids": ["gpt-4o"],
    "expected_version": 1,
    "start_time": 1_700_000_000,
}


def _generic_param(key: tuple[str, str]) -> Any:
    return pytest.param(key, id=" ".join(key))


@pytest.mark.parametrize("key", [_generic_param(key) for key in GENERIC_MODE])
async def test_a_generic_mode_admin_call_conforms(
    key: tuple[str, str], fake: FakeOpenAI, clean_env: None
) -> None:
    entry = next(e for e in _admin_endpoints() if (e.method, e.path) == key)
    recorder = Recorder()
    async with AsyncOpenAI(
        admin_api_key=ADMIN, base_url=fake.url, middlewares=[recorder], max_retries=0
    ) as client:
        resource: Any = client
        for name in resource_paths()[entry.resource].split("."):
            resource = getattr(resource, name)
        method = getattr(resource, entry.name)
        args = {}
        for name, parameter in inspect.signature(method).parameters.items():
            if parameter.default is not parameter.empty or parameter.kind is parameter.VAR_KEYWORD:
                continue
            args[name] = f"{name}_1" if f"{{{name}}}" in entry.path else _VALUES[name]
        await method(**args)
    check_all("v2", fake, recorder, AREA, only={key})
