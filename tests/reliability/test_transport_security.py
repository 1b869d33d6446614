"""Transport safety: body-size cap, TLS verification, plain-http warning, no redirects."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from aio_openai import (
    APIConnectionError,
    APIStatusError,
    AsyncOpenAI,
    InsecureTransportWarning,
    ResponseTooLargeError,
)
from aio_openai.testing import FakeOpenAI

KEY = "sk-SECRET-transport-0123456789"


async def serve(app: web.Application, ssl_context: ssl.SSLContext | None = None) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context).start()
    return runner


def port_of(runner: web.AppRunner) -> int:
    return runner.addresses[0][1]  # type: ignore[no-any-return]


@pytest.fixture
async def big_server() -> AsyncIterator[tuple[str, list[str]]]:
    """/v1/models/known sends 1 MB with a Content-Length; /v1/models/chunked streams 1 MB."""
    seen: list[str] = []
    body = b'{"id": "x", "pad": "' + b"a" * 1_000_000 + b'"}'

    async def known(request: web.Request) -> web.Response:
        seen.append(request.path)
        return web.Response(body=body, content_type="application/json")

    async def chunked(request: web.Request) -> web.StreamResponse:
        seen.append(request.path)
        resp = web.StreamResponse()
        resp.content_type = "application/json"
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        for i in range(0, len(body), 10_000):
            await resp.write(body[i : i + 10_000])
        await resp.write_eof()
        return resp

    app = web.Application()
    app.router.add_get("/v1/models/known", known)
    app.router.add_get("/v1/models/chunked", chunked)
    runner = await serve(app)
    yield f"http://127.0.0.1:{port_of(runner)}/v1", seen
    await runner.cleanup()


@pytest.mark.parametrize("model", ["known", "chunked"])
async def test_body_over_the_cap_is_a_clear_error(
    big_server: tuple[str, list[str]], model: str
) -> None:
    url, seen = big_server
    client = AsyncOpenAI(api_key=KEY, base_url=url, max_response_bytes=100_000, max_retries=3)
    async with client:
        with pytest.raises(ResponseTooLargeError, match="max_response_bytes=100,000") as info:
            await client.models.retrieve(model)
    assert seen == [f"/v1/models/{model}"]  # not retried: it would only fail again
    assert KEY not in str(info.value)
    assert info.value.limit == 100_000
    if model == "known":
        assert info.value.size is not None and info.value.size > 1_000_000
    async with AsyncOpenAI(api_key=KEY, base_url=url, max_response_bytes=2_000_000) as client:
        assert (await client.models.retrieve(model)).id == "x"
    assert client.max_response_bytes == 2_000_000


def test_cap_must_be_positive() -> None:
    with pytest.raises(ValueError):
        AsyncOpenAI(api_key=KEY, base_url="http://127.0.0.1:1/v1", max_response_bytes=0)


def test_plain_http_to_another_host_warns_without_the_key() -> None:
    with pytest.warns(InsecureTransportWarning) as record:
        AsyncOpenAI(api_key=KEY, base_url="http://api.example.com/v1")
    assert all(KEY not in str(w.message) for w in record)


@pytest.mark.parametrize(
    "url",
    [
        "https://api.example.com/v1",
        "http://127.0.0.1:8000/v1",
        "http://127.0.0.9:8000/v1",
        "http://localhost:8000/v1",
        "http://[::1]:8000/v1",
    ],
)
def test_no_warning_for_https_or_loopback(url: str) -> None:
    AsyncOpenAI(api_key=KEY, base_url=url)  # filterwarnings=error turns a warning into a failure


async def test_redirects_are_never_followed_so_the_key_never_leaves() -> None:
    elsewhere: list[str] = []

    async def other(request: web.Request) -> web.Response:
        elsewhere.append(request.headers.get("Authorization", ""))
        return web.json_response({"id": "stolen"})

    other_app = web.Application()
    other_app.router.add_get("/{tail:.*}", other)
    other_runner = await serve(other_app)

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPTemporaryRedirect(f"http://localhost:{port_of(other_runner)}/v1/models/x")

    app = web.Application()
    app.router.add_get("/{tail:.*}", redirect)
    runner = await serve(app)
    try:
        url = f"http://127.0.0.1:{port_of(runner)}/v1"
        async with AsyncOpenAI(api_key=KEY, base_url=url) as client:
            with pytest.raises(APIStatusError) as info:
                await client.models.retrieve("gpt-4")
        assert info.value.status_code == 307
        assert elsewhere == []
    finally:
        await runner.cleanup()
        await other_runner.cleanup()


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: cannot make a self-signed certificate")
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


async def test_tls_is_verified_by_default_and_off_only_when_asked(
    self_signed: tuple[Path, Path],
) -> None:
    cert, key = self_signed
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    fake = FakeOpenAI()
    app_runner = None
    try:
        # FakeOpenAI speaks plain http; serve its app behind TLS on another port
        await fake.start()
        app = fake._runner.app  # type: ignore[union-attr]
        app_runner = await serve(app, ssl_context=context)
        url = f"https://127.0.0.1:{port_of(app_runner)}/v1"
        async with AsyncOpenAI(api_key=KEY, base_url=url, max_retries=0) as client:
            with pytest.raises(APIConnectionError, match=r"(?i)certificate"):
                await client.models.retrieve("gpt-4")
        async with AsyncOpenAI(api_key=KEY, base_url=url, verify=False) as client:
            assert (await client.models.retrieve("gpt-4")).id == "gpt-4"
        trusting = ssl.create_default_context(cafile=str(cert))
        async with AsyncOpenAI(api_key=KEY, base_url=url, verify=trusting) as client:
            assert (await client.models.retrieve("gpt-4")).id == "gpt-4"
    finally:
        if app_runner is not None:
            await app_runner.cleanup()
        await fake.stop()
