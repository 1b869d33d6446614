"""The admin API against FakeOpenAI's stateful organization: projects (archive), users,
invites, service accounts and the keys they own (listed, the secret shown once), admin keys,
the admin key required; usage and costs that add up from the calls the fake served, walked
lazily page by page and summed into a table."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Final

import pytest
from support import FakeClock

from aio_openai import AsyncOpenAI, AuthenticationError, BadRequestError, NotFoundError
from aio_openai.testing import FakeOpenAI

ADMIN: Final = "sk-admin-tests-0123456789abcdef"
DAY: Final = 86400
START: Final = 1_800_000_000 - 1_800_000_000 % DAY  # a UTC midnight
MESSAGES: Final = [{"role": "user", "content": "count these five words please"}]


@pytest.fixture
def clock(fake: FakeOpenAI) -> FakeClock:
    clock = FakeClock(START + 3600)
    fake.state.admin.clock = clock
    return clock


@pytest.fixture
async def admin(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    async with AsyncOpenAI(admin_api_key=ADMIN, base_url=fake.url) as client:
        yield client


async def test_projects_are_created_changed_listed_and_archived(admin: AsyncOpenAI) -> None:
    projects = admin.admin.organization.projects
    made = await projects.create(name="Dashboards")
    assert (made.object, made.name, made.status, made.archived_at) == (
        "organization.project",
        "Dashboards",
        "active",
        None,
    )
    assert (await projects.update(made.id, name="Dashboards 2")).name == "Dashboards 2"
    assert (await projects.retrieve(made.id)).name == "Dashboards 2"
    assert made.id in [p.id async for p in projects.list()]
    archived = await projects.archive(made.id)
    assert (archived.status, archived.archived_at is not None) == ("archived", True)
    assert made.id not in [p.id async for p in projects.list()]
    assert made.id in [p.id async for p in projects.list(include_archived=True)]
    with pytest.raises(BadRequestError, match="archived"):
        await projects.update(made.id, name="again")
    with pytest.raises(NotFoundError):
        await projects.retrieve("proj_missing")


async def test_service_account_keys_are_listed_their_secret_shown_once_and_usable(
    fake: FakeOpenAI, admin: AsyncOpenAI
) -> None:
    org = admin.admin.organization
    project = await org.projects.create(name="Bots")
    account = await org.projects.service_accounts.create(project.id, name="deployer")
    assert account.api_key is not None
    secret = account.api_key.value
    second = await org.projects.service_accounts.api_keys.create(
        account.id, project_id=project.id, name="second"
    )
    keys = [k async for k in org.projects.api_keys.list(project.id)]
    assert {k.id for k in keys} == {account.api_key.id, second.id}
    listed = {k.id: k for k in keys}[account.api_key.id]
    assert listed.redacted_value == f"sk-...{secret[-4:]}"
    assert secret not in repr(keys) and secret[8:] not in str(listed.to_dict())
    assert listed.owner.service_account is not None
    assert listed.owner.service_account.id == account.id
    async with AsyncOpenAI(api_key=secret, base_url=fake.url) as user:
        await user.models.list()  # the key is real
    updated = await org.projects.api_keys.update(
        second.id, project_id=project.id, scopes=["api.model.read"]
    )
    assert updated.id == second.id
    assert (await org.projects.api_keys.delete(second.id, project_id=project.id)).deleted
    await org.projects.service_accounts.delete(account.id, project_id=project.id)
    assert [k async for k in org.projects.api_keys.list(project.id)] == []


async def test_a_server_with_a_closed_key_list_serves_the_keys_made(clean_env: None) -> None:
    async with (
        FakeOpenAI(api_keys={"sk-only", ADMIN}) as strict,
        AsyncOpenAI(admin_api_key=ADMIN, base_url=strict.url) as admin,
    ):
        made = await admin.admin.organization.projects.service_accounts.create(
            "proj_default", name="svc"
        )
        assert made.api_key is not None
        async with AsyncOpenAI(api_key=made.api_key.value, base_url=strict.url) as user:
            await user.models.list()
        async with AsyncOpenAI(api_key="sk-not-listed", base_url=strict.url) as other:
            with pytest.raises(AuthenticationError):
                await other.models.list()


async def test_users_project_users_and_invites(admin: AsyncOpenAI) -> None:
    org = admin.admin.organization
    users = [u async for u in org.users.list()]
    assert [u.role for u in users] == ["owner"]
    project = await org.projects.create(name="Team")
    owner = users[0]
    member = await org.projects.users.retrieve(owner.id, project_id=project.id)
    assert member.role == "owner"  # the creator's project
    changed = await org.projects.users.update(owner.id, project_id=project.id, role="member")
    assert changed.role == "member"
    await org.projects.users.delete(owner.id, project_id=project.id)
    assert [u async for u in org.projects.users.list(project.id)] == []
    readded = await org.projects.users.create(project.id, role="owner", user_id=owner.id)
    assert readded.id == owner.id
    invite = await org.invites.create(
        email="new@example.com", role="reader", projects=[{"id": project.id, "role": "member"}]
    )
    assert (invite.status, invite.projects[0].id) == ("pending", project.id)
    assert [i.id async for i in org.invites.list()] == [invite.id]
    assert (await org.invites.retrieve(invite.id)).email == "new@example.com"
    assert (await org.invites.delete(invite.id)).deleted
    with pytest.raises(BadRequestError, match="'emperor'"):
        await org.invites.create(email="a@b.c", role="emperor")  # type: ignore[arg-type]


async def test_admin_keys_made_are_listed_redacted_and_work_as_admin_keys(
    fake: FakeOpenAI, admin: AsyncOpenAI
) -> None:
    keys = admin.admin.organization.admin_api_keys
    made = await keys.create(name="ci")
    assert made.value.startswith("sk-admin-")
    listed = [k async for k in keys.list()]
    assert [(k.id, k.redacted_value) for k in listed] == [(made.id, f"sk-...{made.value[-4:]}")]
    fake.state.admin.admin_keys = set()  # only the keys made here now
    with pytest.raises(AuthenticationError, match="insufficient permissions"):
        await admin.admin.organization.projects.list()
    async with AsyncOpenAI(admin_api_key=made.value, base_url=fake.url) as second:
        assert (await second.admin.organization.admin_api_keys.retrieve(made.id)).name == "ci"
        await second.admin.organization.admin_api_keys.delete(made.id)
        with pytest.raises(AuthenticationError):
            await second.admin.organization.projects.list()


async def test_the_api_key_is_refused_by_the_admin_api(fake: FakeOpenAI, clean_env: None) -> None:
    async with AsyncOpenAI(api_key="sk-just-a-project-key", base_url=fake.url) as plain:
        client = plain.with_options(default_headers={"Authorization": "Bearer sk-project-key"})
        with pytest.raises(TypeError):  # no admin key: refused before it is sent
            await client.admin.organization.projects.list()
    async with AsyncOpenAI(admin_api_key="sk-project-key-as-admin", base_url=fake.url) as wrong:
        with pytest.raises(AuthenticationError) as info:
            await wrong.admin.organization.usage.completions(start_time=START)
    assert info.value.status_code == 401


# -- usage and costs from the calls served ---------------------------------------------------


async def _traffic(fake: FakeOpenAI, admin: AsyncOpenAI, clock: FakeClock) -> str:
    """Day 0: 2 gpt-4o-mini chats and an embedding on the default project; day 2: a gpt-4o
    chat with a key of a new project. Returns that project's id."""
    project = await admin.admin.organization.projects.create(name="Traffic")
    account = await admin.admin.organization.projects.service_accounts.create(
        project.id, name="svc"
    )
    assert account.api_key is not None
    async with AsyncOpenAI(api_key="sk-default-user", base_url=fake.url) as user:
        for _ in range(2):
            await user.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
        await user.embeddings.create(model="text-embedding-3-small", input="five words of input")
    clock.now += 2 * DAY
    async with AsyncOpenAI(api_key=account.api_key.value, base_url=fake.url) as svc:
        await svc.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    return project.id


async def test_usage_buckets_add_up_from_the_calls_served(
    fake: FakeOpenAI, admin: AsyncOpenAI, clock: FakeClock
) -> None:
    project_id = await _traffic(fake, admin, clock)
    served = [r for r in fake.requests if r.path == "/v1/chat/completions"]
    answers = fake.state.admin.usage_records
    assert len(served) == 3
    usage = await admin.admin.organization.usage.completions(
        start_time=START, end_time=START + 3 * DAY, group_by=["model", "project_id"]
    )
    assert [b.start_time for b in usage.data] == [START, START + DAY, START + 2 * DAY]
    day0, day1, day2 = ({(r.model, r.project_id): r for r in b.results} for b in usage.data)
    assert day1 == {}
    mini = day0[("gpt-4o-mini", "proj_default")]
    chats = [r for r in answers if r.kind == "completions"]
    assert mini.num_model_requests == 2
    assert mini.input_tokens == sum(r.numbers["input_tokens"] for r in chats[:2]) > 0
    assert mini.output_tokens == sum(r.numbers["output_tokens"] for r in chats[:2]) > 0
    assert set(day2) == {("gpt-4o", project_id)}
    embeddings = await admin.admin.organization.usage.embeddings(start_time=START, limit=1)
    assert [r.num_model_requests for r in embeddings.data[0].results] == [1]
    assert (embeddings.has_more, embeddings.next_page is not None) == (True, True)


async def test_the_pager_follows_next_page_lazily_and_the_table_sums_the_period(
    fake: FakeOpenAI, admin: AsyncOpenAI, clock: FakeClock
) -> None:
    project_id = await _traffic(fake, admin, clock)
    usage = admin.admin.organization.usage
    before = len(fake.requests)
    walk = usage.iter_buckets("completions", start_time=START, end_time=START + 3 * DAY, limit=1)
    first = await anext(walk)
    assert first.start_time == START
    assert len(fake.requests) == before + 1  # one page fetched, no more
    rest = [bucket async for bucket in walk]
    assert [b.start_time for b in rest] == [START + DAY, START + 2 * DAY]
    pages = [r for r in fake.requests[before:] if r.path.endswith("/usage/completions")]
    assert [r.query.get("page") for r in pages] == [
        None,
        f"page_{START + DAY}",
        f"page_{START + 2 * DAY}",
    ]
    table = await usage.summarize(
        "completions", start_time=START, end_time=START + 3 * DAY, group_by=["project_id"], limit=1
    )
    rows = {row["project_id"]: row for row in table.to_records()}
    assert set(rows) == {"proj_default", project_id}
    assert rows["proj_default"]["num_model_requests"] == 2
    totals = table.totals()
    records = [r for r in fake.state.admin.usage_records if r.kind == "completions"]
    assert totals["input_tokens"] == sum(r.numbers["input_tokens"] for r in records)
    assert totals["num_model_requests"] == 3
    text = str(table)
    assert text.splitlines()[0].split() == ["project_id", *table.columns]
    assert "proj_default" in text and text.splitlines()[-1].startswith("total")
    costs = await usage.summarize(
        "costs", start_time=START, end_time=START + 3 * DAY, group_by=["project_id"]
    )
    cost_rows = {row["project_id"]: row["amount_usd"] for row in costs.to_records()}
    assert set(cost_rows) == {"proj_default", project_id}
    assert all(amount > 0 for amount in cost_rows.values())
