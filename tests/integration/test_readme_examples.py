"""Every Python example of README.md compiles and runs against ``aio-openai serve-fake``.

The examples are whole scripts (ending in ``asyncio.run(main())``) or web apps (aiohttp.web,
FastAPI). The scripts run in a subprocess with ``python -W error`` and ``OPENAI_BASE_URL`` /
``OPENAI_API_KEY`` pointing at a ``serve-fake`` started by this module; the apps are served
in-process and asked for a model. A new example that is neither fails
:func:`test_every_example_is_a_script_or_an_app`, so none goes untested.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any, Final

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from redis_server import RedisServer, require_redis
from serve_fake import TIMEOUT, ServeFake, clean_env

from aio_openai.testing import sign_webhook

README: Final = Path(__file__).resolve().parents[2] / "README.md"
KEY: Final = "sk-readme-0123456789"
ADMIN_KEY: Final = "sk-admin-readme-0123456789"
_BLOCK: Final = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_SCRIPT_END: Final = "\nasyncio.run(main())\n"

#: What a script's last line of output says, by a string only that script holds.
LAST_LINES: Final = {
    "client.models.delete(": "True",
    "RedisRateLimiter(": "Model(id='gpt-4o'",
    "fan_out(": "200 of 300",
    "client.embeddings.create(": "2 vectors of 1536",
    "Sunny in": "Sunny in Lisbon",
    "client.beta.assistants.create(": "completed",
    "submit_tool_outputs_stream(": "completed",
    "get_final_response(": "City(name='Lisbon', population=545000, size='large')",
    "fake.faults.push(": "Model(id='gpt-4o'",
    "client.batches.create(": "completed BatchRequestCounts(completed=2, failed=0, total=2)",
    "upload_file_chunked(": "deleted [True, True]",
    "client.realtime.connect(": "1.38 s of audio",
    "chat.completions.messages.list(": "deleted True",
    "responses.compact(": "26 input tokens, 18 after compaction",
    "file_batches.upload_and_poll(": "True",
    "client.audio.speech.create(": "Your table for two is booked at eight.",
    "client.images.create_variation(": "http://127.0.0.1:",
    "client.videos.create_and_poll(": "['detected', 'detected']",
    "evals.runs.output_items.list(": "{'q': '3+3?', 'answer': '6'} 3+3?",
    "sessions.artifacts.for_result(": "1 call answered: Done",
    "client.fine_tuning.jobs.create(": "ft:gpt-4o-mini:fake-org:marv:",
    "automations.invocations.create(": "ready ['/workspace/src/app.py'] completed",
    "/organization/groups": "400 condition.window_seconds",
    "client.realtime.client_secrets.create(": "session.created",
    "usage.summarize(": "dashboard ok: True",
}


def examples() -> list[tuple[str, str]]:
    """Every ```python block of the README as (``README.md:LINE``, code)."""
    text = README.read_text(encoding="utf-8")
    found = []
    for match in _BLOCK.finditer(text):
        line = text.count("\n", 0, match.start(1)) + 1
        found.append((f"README.md:{line}", match.group(1)))
    return found


def kind(code: str) -> str:
    if code.endswith(_SCRIPT_END):
        return "script"
    if "webhooks.unwrap(" in code:
        return "webhook"
    if "= web.Application()" in code:
        return "aiohttp"
    if "= FastAPI(" in code:
        return "fastapi"
    return "unknown"


EXAMPLES: Final = examples()


def of_kind(wanted: str) -> list[Any]:
    return [pytest.param(code, id=where) for where, code in EXAMPLES if kind(code) == wanted]


def test_every_example_is_a_script_or_an_app() -> None:
    kinds = {where: kind(code) for where, code in EXAMPLES}
    assert "unknown" not in kinds.values(), kinds
    assert sorted(kinds.values()).count("script") == len(LAST_LINES)
    assert sorted(kinds.values()).count("aiohttp") == 1
    assert sorted(kinds.values()).count("fastapi") == 1
    assert sorted(kinds.values()).count("webhook") == 1


@pytest.mark.parametrize(("where", "code"), EXAMPLES, ids=[w for w, _ in EXAMPLES])
def test_every_example_compiles(where: str, code: str) -> None:
    compile(code, where, "exec")
    assert "await " not in code.split("async def", 1)[0], "top-level await"


@pytest.fixture(scope="module")
def fake() -> Iterator[ServeFake]:
    """``aio-openai serve-fake`` with the fine-tuned model the first example deletes."""
    with ServeFake(
        "--model", "ft:gpt-4o-mini:acme::abc123", "--api-key", KEY, "--api-key", ADMIN_KEY
    ) as server:
        yield server


@pytest.fixture
def redis_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """A redis-server of its own for the example that needs one."""
    code = request.node.callspec.params["code"]
    if "RedisRateLimiter(" not in code:
        yield None
        return
    require_redis()
    server = RedisServer()
    server.start()
    try:
        yield server.url
    finally:
        server.kill()


@pytest.mark.parametrize("code", of_kind("script"))
def test_the_scripts_run(code: str, fake: ServeFake, redis_url: str | None, tmp_path: Path) -> None:
    (marker,) = [m for m in LAST_LINES if m in code]
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    env = clean_env(OPENAI_BASE_URL=fake.url, OPENAI_API_KEY=KEY, OPENAI_ADMIN_KEY=ADMIN_KEY)
    if redis_url is not None:
        env["REDIS_URL"] = redis_url
    done = subprocess.run(
        [sys.executable, "-W", "error", str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Warning" not in done.stderr, done.stderr
    last = done.stdout.splitlines()[-1]
    assert last.startswith(LAST_LINES[marker]), done.stdout


def app_from(code: str) -> Any:
    """Run an example as a module (not as ``__main__``) and return its ``app``."""
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(code, "README.md", "exec"), namespace)
    return namespace["app"]


@pytest.fixture
def openai_env(fake: ServeFake, clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)


@pytest.mark.parametrize("code", of_kind("aiohttp"))
async def test_the_aiohttp_app_serves_a_model(code: str, openai_env: None) -> None:
    # filterwarnings = error: storing the client under a string key (NotAppKeyWarning) fails
    app = app_from(code)
    assert isinstance(app, web.Application)
    async with (
        TestServer(app) as server,
        aiohttp.ClientSession() as session,
        session.get(server.make_url("/models/gpt-4o")) as response,
    ):
        assert response.status == 200
        assert (await response.json())["id"] == "gpt-4o"


@pytest.mark.parametrize("code", of_kind("webhook"))
async def test_the_webhook_app_takes_what_openai_signs_only(
    code: str, openai_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "whsec_" + base64.b64encode(b"readme-webhook-secret-0123456789").decode()
    monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", secret)
    app = app_from(code)
    event = {"id": "evt_1", "object": "event", "created_at": 1, "type": "batch.completed"}
    body = json.dumps({**event, "data": {"id": "batch_1"}}).encode()
    stale = int(time.time()) - 3600
    cases = [
        (sign_webhook(body, secret), 200),
        (sign_webhook(body, "whsec_" + base64.b64encode(b"another").decode()), 400),
        (sign_webhook(body, secret, timestamp=stale), 400),
        ({}, 400),
    ]
    async with TestServer(app) as server, aiohttp.ClientSession() as session:
        for headers, status in cases:
            async with session.post(
                server.make_url("/webhooks/openai"), data=body, headers=headers
            ) as response:
                assert response.status == status, headers


Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


async def asgi_get(app: Any, path: str) -> tuple[int, bytes]:
    """Start an ASGI app (lifespan), GET ``path`` from it, shut it down; (status, body)."""
    to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    from_app: asyncio.Queue[MutableMapping[str, Any]] = asyncio.Queue()
    lifespan = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, to_app.get, from_app.put)
    )
    await to_app.put({"type": "lifespan.startup"})
    assert (await from_app.get())["type"] == "lifespan.startup.complete"
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"example.test")],
        "client": ("127.0.0.1", 50000),
        "server": ("example.test", 80),
        "state": {},
    }
    await app(scope, receive, send)
    await to_app.put({"type": "lifespan.shutdown"})
    assert (await from_app.get())["type"] == "lifespan.shutdown.complete"
    await lifespan
    (start,) = [m for m in sent if m["type"] == "http.response.start"]
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body


@pytest.mark.parametrize("code", of_kind("fastapi"))
async def test_the_fastapi_app_serves_a_model(code: str, openai_env: None) -> None:
    status, body = await asgi_get(app_from(code), "/models/gpt-4o")
    assert status == 200, body
    assert json.loads(body)["id"] == "gpt-4o"
