"""The Agents API (beta) end to end against FakeOpenAI: agents, automations and their
invocations, vaults and credentials, environments, their files and templates, and the file
helpers (prepare, prepare_directory, upload).

The API is not in OpenAI's published spec, so every answer of the fake is also validated by
the official SDK's own pydantic models (``sdk``): the fake speaks the wire format the SDK
reads, and our types read the same JSON.
"""

from __future__ import annotations

import asyncio
import base64
import os
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

import openai.types.beta as sdk_beta
import openai.types.beta.agents as sdk_agents
import openai.types.beta.agents.automations as sdk_automations
import openai.types.beta.agents.environments as sdk_environments
import openai.types.beta.agents.vaults as sdk_vaults
import pydantic
import pytest

from aio_openai import APIResponse, AsyncOpenAI, BadRequestError, ConflictError, NotFoundError
from aio_openai._http import Handler, HTTPResponse, Request
from aio_openai._pagination import AsyncTokenPage
from aio_openai.lib.beta.agents import (
    AgentFilePreparationError,
    AgentFileStagingError,
    PreparedAgentFiles,
    StagedAgentFile,
)
from aio_openai.testing import FakeOpenAI
from aio_openai.types.beta.agent import Agent
from aio_openai.types.beta.agents.one_time_automation import OneTimeAutomation
from aio_openai.types.beta.agents.periodic_automation import PeriodicAutomation
from aio_openai.types.beta.agents.vaults.credential_auth import (
    VaultCredentialAuthResourceEnvironmentVariable,
    VaultCredentialAuthResourceStaticBearer,
)

TARGET: dict[str, Any] = {
    "type": "new_session",
    "agent_id": "agent_1",
    "environment": {"type": "openai_hosted"},
    "input": [
        {"role": "user", "type": "message", "content": [{"type": "input_text", "text": "hi"}]}
    ],
}


async def sdk(model: Any, call: Awaitable[APIResponse[Any]]) -> Any:
    """The parsed answer of a ``with_raw_response`` call, after checking that the SDK's
    ``model`` reads its JSON (a list's every item, for a page)."""
    raw = await call
    body = raw.json()
    if isinstance(body, dict) and body.get("object") == "list":
        for item in body["data"]:
            pydantic.TypeAdapter(model).validate_python(item)
    else:
        pydantic.TypeAdapter(model).validate_python(body)
    return raw.parse()


async def test_agents_crud(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    agents = api.beta.agents.with_raw_response
    agent = await sdk(
        sdk_beta.Agent,
        agents.create(
            model="gpt-4o", name="helper", instructions="Be brief.", compaction={"async_": True}
        ),
    )
    request = fake.requests[-1]
    assert request.headers["OpenAI-Beta"] == "agents=v1"
    assert request.json["compaction"] == {"async": True}  # the API's name for async_
    assert isinstance(agent, Agent) and agent.id.startswith("agent_")
    assert agent.compaction is not None and agent.compaction.async_ is True
    updated = await sdk(sdk_beta.Agent, agents.update(agent.id, name="v2", metadata={"t": "a"}))
    assert (updated.name, updated.metadata, updated.instructions) == ("v2", {"t": "a"}, "Be brief.")
    assert (await sdk(sdk_beta.Agent, agents.retrieve(agent.id))).name == "v2"
    page = await sdk(sdk_beta.Agent, agents.list())
    assert [a.id for a in page.data] == [agent.id]
    gone = await sdk(sdk_beta.AgentDeleted, agents.delete(agent.id))
    assert gone.deleted and gone.id == agent.id
    with pytest.raises(NotFoundError, match=agent.id) as info:
        await api.beta.agents.retrieve(agent.id)
    assert info.value.param == "agent_id"
    with pytest.raises(BadRequestError) as bad:
        await api.beta.agents.create(model="")
    assert bad.value.param == "model"


async def test_automations_pause_refuses_invocations(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    automations = api.beta.agents.automations.with_raw_response
    target = {**TARGET, "agent": {"model": "gpt-4o", "compaction": {"async_": False}}}
    periodic = await sdk(
        sdk_agents.Automation,
        automations.create(
            name="nightly",
            type="periodic",
            expression="0 3 * * *",
            timezone="Europe/Paris",
            target=target,  # type: ignore[typeddict-item]
        ),
    )
    assert fake.requests[-1].json["target"]["agent"]["compaction"] == {"async": False}
    assert isinstance(periodic, PeriodicAutomation) and periodic.status == "active"
    once = await sdk(
        sdk_agents.Automation,
        automations.create(name="once", type="once", run_at=1_900_000_000, target=TARGET),  # type: ignore[typeddict-item]
    )
    assert isinstance(once, OneTimeAutomation) and once.run_at == 1_900_000_000
    listed = await sdk(sdk_agents.Automation, automations.list(order="asc"))
    assert [a.id for a in listed.data] == [periodic.id, once.id]
    changed = await sdk(sdk_agents.Automation, automations.update(periodic.id, name="nightly 2"))
    assert changed.name == "nightly 2" and changed.expression == "0 3 * * *"

    invocations = api.beta.agents.automations.invocations.with_raw_response
    run = await sdk(sdk_automations.AutomationInvocation, invocations.create(periodic.id))
    assert run.automation_id == periodic.id and run.source.type == "manual"
    paused = await sdk(sdk_agents.Automation, automations.pause(periodic.id))
    assert paused.status == "paused"
    with pytest.raises(ConflictError, match="paused") as refused:
        await api.beta.agents.automations.invocations.create(periodic.id)
    assert refused.value.code == "automation_not_active"
    assert (await sdk(sdk_agents.Automation, automations.resume(periodic.id))).status == "active"
    again = await api.beta.agents.automations.invocations.create(periodic.id)
    got = await sdk(
        sdk_automations.AutomationInvocation,
        invocations.retrieve(run.id, automation_id=periodic.id),
    )
    assert got.id == run.id
    page = await sdk(sdk_automations.AutomationInvocation, invocations.list(periodic.id))
    assert [i.id for i in page.data] == [again.id, run.id]  # newest first
    gone = await sdk(sdk_agents.AutomationDeleted, automations.delete(periodic.id))
    assert gone.deleted
    with pytest.raises(NotFoundError):
        await api.beta.agents.automations.invocations.list(periodic.id)
    with pytest.raises(BadRequestError) as bad:
        await api.beta.agents.automations.create(name="x", type="periodic", target=TARGET)  # type: ignore[typeddict-item]
    assert bad.value.param == "expression"


async def test_vault_credentials_never_echo_secrets(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    vaults = api.beta.agents.vaults.with_raw_response
    vault = await sdk(sdk_agents.Vault, vaults.create(name="prod", metadata={"env": "prod"}))
    other = await api.beta.agents.vaults.create(name="dev", metadata={"env": "dev"})
    found = await sdk(sdk_agents.Vault, vaults.list(metadata={"env": "prod"}))
    assert [v.id for v in found.data] == [vault.id]
    assert fake.requests[-1].query["metadata[env]"] == "prod"
    assert (await sdk(sdk_agents.Vault, vaults.update(vault.id, name="prod 2"))).name == "prod 2"

    credentials = api.beta.agents.vaults.credentials.with_raw_response
    secret = "sk-mcp-secret-value-123"
    bearer = await sdk(
        sdk_vaults.Credential,
        credentials.create(
            vault.id,
            name="github",
            auth={"type": "static_bearer", "token": secret, "mcp_server_url": "https://mcp.x"},
        ),
    )
    assert secret not in fake_answer_text(fake, bearer)
    assert isinstance(bearer.auth, VaultCredentialAuthResourceStaticBearer)
    assert fake.state.agents.secrets[bearer.id] == {"token": secret}
    env = await sdk(
        sdk_vaults.Credential,
        credentials.create(
            vault.id,
            name="db",
            auth={
                "type": "environment_variable",
                "secret_name": "DB_PASSWORD",
                "secret_value": "hunter2",
                "networking": {"type": "limited", "allowed_hosts": ["db.internal"]},
            },
        ),
    )
    assert isinstance(env.auth, VaultCredentialAuthResourceEnvironmentVariable)
    assert "secret_value" not in env.auth.to_dict() and env.auth.secret_name == "DB_PASSWORD"
    rotated = await sdk(
        sdk_vaults.Credential,
        credentials.update(
            bearer.id,
            vault_id=vault.id,
            auth={"type": "static_bearer", "token": "new-secret"},
            metadata={"rotated": "yes"},
        ),
    )
    assert rotated.metadata == {"rotated": "yes"} and "token" not in rotated.auth.to_dict()
    assert fake.state.agents.secrets[bearer.id] == {"token": "new-secret"}
    got = await sdk(sdk_vaults.Credential, credentials.retrieve(bearer.id, vault_id=vault.id))
    assert got.name == "github"
    listed = await sdk(sdk_vaults.Credential, credentials.list(vault.id, order="asc"))
    assert [c.id for c in listed.data] == [bearer.id, env.id]
    gone = await sdk(sdk_vaults.CredentialDeleted, credentials.delete(bearer.id, vault_id=vault.id))
    assert gone.deleted and bearer.id not in fake.state.agents.secrets
    with pytest.raises(NotFoundError):
        await api.beta.agents.vaults.credentials.retrieve(bearer.id, vault_id=vault.id)
    with pytest.raises(NotFoundError):
        await api.beta.agents.vaults.credentials.list(other.id + "x")
    assert (await sdk(sdk_agents.VaultDeleted, vaults.delete(vault.id))).deleted
    with pytest.raises(NotFoundError):
        await api.beta.agents.vaults.retrieve(vault.id)


def fake_answer_text(fake: FakeOpenAI, obj: Any) -> str:
    """What the fake answered for ``obj``, as text (its whole JSON)."""
    return str(obj.to_dict())


async def test_environments_files_and_templates(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    templates = api.beta.agents.environments.templates.with_raw_response
    template = await sdk(
        sdk_environments.EnvironmentTemplate,
        templates.create(
            name="py",
            packages={"python": ["numpy"]},
            files=[
                {
                    "type": "inline",
                    "path": "/workspace/a.txt",
                    "data": base64.b64encode(b"abc").decode(),
                }
            ],
            env={"TOKEN": "secret"},
        ),
    )
    assert template.packages.python == ["numpy"] and template.files[0].size_bytes == 3
    assert "secret" not in str(template.to_dict())
    changed = await sdk(
        sdk_environments.EnvironmentTemplate, templates.update(template.id, name="py2")
    )
    assert changed.name == "py2"
    assert (
        await sdk(sdk_environments.EnvironmentTemplate, templates.retrieve(template.id))
    ).name == "py2"
    listed = await sdk(sdk_environments.EnvironmentTemplate, templates.list())
    assert [t.id for t in listed.data] == [template.id]

    environments = api.beta.agents.environments.with_raw_response
    env = await sdk(
        sdk_agents.EnvironmentInfo,
        environments.create(
            environment={"type": "openai_hosted", "environment_template_id": template.id},
            idempotency_key="env-key-1",
        ),
    )
    assert fake.requests[-1].headers["Idempotency-Key"] == "env-key-1"
    assert "idempotency_key" not in fake.requests[-1].json
    assert [f.path for f in env.files] == ["/workspace/a.txt"]
    assert fake.state.agents.file_bytes(env.id, "/workspace/a.txt") == b"abc"
    assert (await sdk(sdk_agents.EnvironmentInfo, environments.retrieve(env.id))).id == env.id
    assert [e.id for e in (await sdk(sdk_agents.EnvironmentInfo, environments.list())).data] == [
        env.id
    ]

    files = api.beta.agents.environments.files.with_raw_response
    for name in ("c", "b", "d"):
        await sdk(
            sdk_environments.EnvironmentFile,
            files.create(
                env.id,
                type="inline",
                path=f"/workspace/src/{name}.py",
                data=base64.b64encode(name.encode()).decode(),
            ),
        )
    first = await api.beta.agents.environments.files.list(env.id, limit=2, path="/workspace/src")
    assert isinstance(first, AsyncTokenPage) and first.has_more and first.next
    assert [f.path for f in first.data] == ["/workspace/src/b.py", "/workspace/src/c.py"]
    every = [f.path async for f in api.beta.agents.environments.files.list(env.id, limit=2)]
    assert every == ["/workspace/a.txt", *(f"/workspace/src/{n}.py" for n in "bcd")]
    assert "page=" in fake.requests[-1].raw_path
    with pytest.raises(BadRequestError) as bad:
        await api.beta.agents.environments.files.create(
            env.id, type="inline", path="/etc/x", data=""
        )
    assert bad.value.param == "path"
    with pytest.raises(NotFoundError):
        await api.beta.agents.environments.files.create(
            env.id, type="file_id", path="/workspace/x", file_id="file-missing"
        )
    gone = await sdk(sdk_environments.EnvironmentTemplateDeleted, templates.delete(template.id))
    assert gone.deleted
    with pytest.raises(NotFoundError):
        await api.beta.agents.environments.templates.retrieve(template.id)


# -- the file helpers ------------------------------------------------------------------------


async def test_prepare_uploads_every_file(
    api: AsyncOpenAI, fake: FakeOpenAI, tmp_path: Path
) -> None:
    sources = {}
    for index in range(7):
        path = tmp_path / f"f{index}.txt"
        path.write_bytes(b"x" * index)
        sources[f"/workspace/data/f{index}.txt"] = path
    prepared = await api.beta.agents.environments.files.prepare(sources, max_concurrency=3)
    assert isinstance(prepared, PreparedAgentFiles)
    assert [f["path"] for f in prepared.files] == list(sources)
    assert [f["file_id"] for f in prepared.files] == prepared.uploaded_file_ids
    for file_id, path in zip(prepared.uploaded_file_ids, sources.values(), strict=True):
        stored = fake.state.files.get(file_id)
        assert stored["purpose"] == "user_data"
        assert fake.state.files.content(file_id) == path.read_bytes()
    env = await api.beta.agents.environments.create(
        environment={"type": "openai_hosted", "files": prepared.files}
    )
    assert fake.state.agents.file_bytes(env.id, "/workspace/data/f3.txt") == b"xxx"


async def test_prepare_directory_selects_by_pattern(
    api: AsyncOpenAI, fake: FakeOpenAI, tmp_path: Path
) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "a.py").write_text("a")
    (tmp_path / "pkg" / "sub" / "b.py").write_text("b")
    (tmp_path / "pkg" / "notes.md").write_text("n")
    prepared = await api.beta.agents.environments.files.prepare_directory(
        tmp_path / "pkg", destination="/workspace/pkg", include=["**/*.py"]
    )
    assert sorted(f["path"] for f in prepared.files) == [
        "/workspace/pkg/a.py",
        "/workspace/pkg/sub/b.py",
    ]
    with pytest.raises(ValueError, match="selected no file"):
        await api.beta.agents.environments.files.prepare_directory(
            tmp_path / "pkg", destination="/workspace/pkg", include=["*.rs"]
        )
    with pytest.raises(ValueError, match="inside the directory"):
        await api.beta.agents.environments.files.prepare_directory(
            tmp_path / "pkg", destination="/workspace/pkg", include=["../*"]
        )
    os.symlink(tmp_path / "pkg" / "a.py", tmp_path / "pkg" / "link.py")
    with pytest.raises(ValueError, match="symlink"):
        await api.beta.agents.environments.files.prepare_directory(
            tmp_path / "pkg", destination="/workspace/pkg", include=["*.py"]
        )


async def test_prepare_refuses_bad_input_before_sending(
    api: AsyncOpenAI, fake: FakeOpenAI, tmp_path: Path
) -> None:
    good = tmp_path / "a.txt"
    good.write_text("a")
    sent = len(fake.requests)
    for files, match in [
        ({"/tmp/a.txt": good}, "under /workspace"),
        ({"/workspace/../a": good}, "parts"),
        ({"/workspace/.codex/a": good}, "reserved"),
        ({"/workspace/a": good, "/workspace/a/b": good}, "inside"),
        ({"/workspace/a": tmp_path / "missing"}, "regular files"),
    ]:
        with pytest.raises(ValueError, match=match):
            await api.beta.agents.environments.files.prepare(files)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Idempotency-Key"):
        await api.beta.agents.environments.files.prepare(
            {"/workspace/a": good, "/workspace/b": good}, extra_headers={"Idempotency-Key": "k"}
        )
    with pytest.raises(ValueError, match="max_concurrency"):
        await api.beta.agents.environments.files.prepare({"/workspace/a": good}, max_concurrency=0)
    assert len(fake.requests) == sent


async def test_prepare_failure_keeps_what_was_uploaded(
    api: AsyncOpenAI, fake: FakeOpenAI, tmp_path: Path
) -> None:
    sources = {}
    for index in range(4):
        path = tmp_path / f"f{index}.txt"
        path.write_text(str(index))
        sources[f"/workspace/f{index}.txt"] = path
    uploads = 0

    async def third_upload_refused(request: Request, call_next: Handler) -> HTTPResponse:
        nonlocal uploads
        if request.url.path.endswith("/files"):
            uploads += 1
            if uploads == 3:  # the server refuses it, for real
                fake.faults.push("POST /v1/files", status=400, message="refused")
        return await call_next(request)

    async with AsyncOpenAI(
        api_key="sk-x", base_url=fake.url, max_retries=0, middlewares=[third_upload_refused]
    ) as client:
        with pytest.raises(AgentFilePreparationError) as info:
            await client.beta.agents.environments.files.prepare(sources, max_concurrency=1)
    assert uploads == 3  # none started after the failure
    prepared = info.value.prepared
    assert isinstance(info.value.__cause__, BadRequestError)
    assert [f["path"] for f in prepared.files] == ["/workspace/f0.txt", "/workspace/f1.txt"]
    assert all(fake.state.files.get(i) for i in prepared.uploaded_file_ids)


async def test_upload_stages_a_file(api: AsyncOpenAI, fake: FakeOpenAI, tmp_path: Path) -> None:
    env = await api.beta.agents.environments.create(environment={"type": "openai_hosted"})
    source = tmp_path / "main.py"
    source.write_text("print(1)")
    staged = await api.beta.agents.environments.files.upload(
        env.id, file=source, path="/workspace/main.py"
    )
    assert isinstance(staged, StagedAgentFile)
    assert staged.file.path == "/workspace/main.py" and staged.file.size_bytes == 8
    assert fake.state.files.get(staged.uploaded_file_id)["purpose"] == "user_data"
    assert fake.state.agents.file_bytes(env.id, "/workspace/main.py") == b"print(1)"
    with pytest.raises(AgentFileStagingError) as info:
        await api.beta.agents.environments.files.upload(
            "env_missing", file=b"x", path="/workspace/x"
        )
    assert isinstance(info.value.__cause__, NotFoundError)
    fake.state.files.get(info.value.uploaded_file_id)  # the upload is kept, the caller's
    with pytest.raises(ValueError, match="environment_id"):
        await api.beta.agents.environments.files.upload("", file=b"x", path="/workspace/x")
    with pytest.raises(ValueError, match="under /workspace"):
        await api.beta.agents.environments.files.upload(env.id, file=b"x", path="x")


async def test_prepare_bounds_uploads_in_flight(fake: FakeOpenAI, tmp_path: Path) -> None:
    sources = {}
    for index in range(8):
        (tmp_path / f"{index}.txt").write_text(str(index))
        sources[f"/workspace/{index}.txt"] = tmp_path / f"{index}.txt"
    in_flight = most = 0

    async def count(request: Request, call_next: Handler) -> HTTPResponse:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        try:
            return await call_next(request)
        finally:
            in_flight -= 1

    async with AsyncOpenAI(api_key="sk-x", base_url=fake.url, middlewares=[count]) as client:
        prepared = await client.beta.agents.environments.files.prepare(sources, max_concurrency=3)
    assert len(prepared.uploaded_file_ids) == 8 and 1 <= most <= 3


async def test_cancelled_prepare_keeps_what_was_uploaded(fake: FakeOpenAI, tmp_path: Path) -> None:
    sources = {}
    for index in range(3):
        (tmp_path / f"{index}.txt").write_text(str(index))
        sources[f"/workspace/{index}.txt"] = tmp_path / f"{index}.txt"
    second = asyncio.Event()
    uploads = 0

    async def hold_the_second(request: Request, call_next: Handler) -> HTTPResponse:
        nonlocal uploads
        uploads += 1
        if uploads == 2:
            second.set()
            await asyncio.Event().wait()  # until cancelled
        return await call_next(request)

    async with AsyncOpenAI(
        api_key="sk-x", base_url=fake.url, middlewares=[hold_the_second]
    ) as client:
        task = asyncio.create_task(
            client.beta.agents.environments.files.prepare(sources, max_concurrency=1)
        )
        await second.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError) as info:
            await task
    prepared = info.value.__dict__["prepared"]
    assert [f["path"] for f in prepared.files] == ["/workspace/0.txt"]
    assert uploads == 2
