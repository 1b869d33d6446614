"""Transport safety: body-size cap, TLS verification, plain-http warning, no redirects."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import tracemalloc
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final

import pytest
from aiohttp import web

from aio_openai import (
    APIConnectionError,
    APIError,
    APIStatusError,
    AsyncOpenAI,
    InsecureTransportWarning,
    ResponseTooLargeError,
)
from aio_openai.testing import FakeOpenAI

from ._servers import app_server

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


# -- bodies are capped after decompression, on every path ----------------------------------------

CAP: Final = 1 << 20
BOMB: Final = 64 * CAP  # 64 MiB of zeros: about 64 KB compressed, under the cap on the wire
CHAT_BODY: Final = {"model": "gpt-4", "messages": [{"role": "user", "content": "Hi"}]}


def compress(data: bytes, encoding: str) -> bytes:
    """``data`` as a gzip (wbits 31) or zlib-wrapped deflate (wbits 15) body."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31 if encoding == "gzip" else 15)
    return z.compress(data) + z.flush()


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {encoding: compress(bytes(BOMB), encoding) for encoding in ("gzip", "deflate")}


@pytest.fixture
async def hostile(bombs: dict[str, bytes]) -> AsyncIterator[tuple[str, list[str]]]:
    """Compressed bombs as 200, 400 and as the 500 answer to a stream; oversized SSE events."""
    seen: list[str] = []

    async def bomb(request: web.Request) -> web.Response:
        seen.append(request.path)
        encoding = request.query.get("encoding", "gzip")
        return web.Response(
            body=bombs[encoding],
            status=int(request.match_info["status"]),
            headers={"Content-Encoding": encoding, "Content-Type": "application/json"},
        )

    async def small(request: web.Request) -> web.Response:
        seen.append(request.path)
        model = b'{"id": "x", "object": "model", "created": 1, "owned_by": "o"}'
        return web.Response(
            body=compress(model, "gzip"),
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
        )

    async def chat(request: web.Request) -> web.StreamResponse:
        seen.append(request.path)
        kind = request.headers["X-Kind"]
        if kind == "bomb":
            return web.Response(
                body=bombs["gzip"],
                status=500,
                headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
            )
        if kind == "big_error":  # not compressed, no Content-Length
            resp = web.StreamResponse(status=500)
            resp.enable_chunked_encoding()
            await resp.prepare(request)
            for _ in range(4):
                await resp.write(b"x" * (CAP // 2))
            await resp.write_eof()
            return resp
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        chunk = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4"}
        await resp.write(b"data: " + json.dumps({**chunk, "choices": []}).encode() + b"\n\n")
        if kind == "long_line":  # one line, never ended, in pieces
            await resp.write(b"data: ")
            for _ in range(4):
                await resp.write(b"x" * (CAP // 2))
        else:  # "long_event": short lines of one event that never ends
            for _ in range(CAP // 1024 + 8):
                await resp.write(b"data: " + b"x" * 1024 + b"\n")
        await resp.write_eof()
        return resp

    app = web.Application()
    app.router.add_get("/v1/models/bomb-{status}", bomb)
    app.router.add_get("/v1/models/small", small)
    app.router.add_post("/v1/chat/completions", chat)
    async with app_server(app) as url:
        yield url, seen


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
@pytest.mark.parametrize("status", [200, 400])
async def test_a_compressed_body_is_capped_after_decompression(
    hostile: tuple[str, list[str]], encoding: str, status: int
) -> None:
    url, seen = hostile
    tracemalloc.start()
    try:
        async with AsyncOpenAI(
            api_key=KEY, base_url=url, max_response_bytes=CAP, max_retries=2
        ) as client:
            with pytest.raises(ResponseTooLargeError) as info:
                await client.models.retrieve(f"bomb-{status}", extra_query={"encoding": encoding})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * CAP  # read up to the cap, not the 64 MiB the body inflates to
    assert info.value.limit == CAP
    assert seen == [f"/v1/models/bomb-{status}"]  # not retried: it would only fail again


async def test_a_compressed_body_under_the_cap_is_decoded(hostile: tuple[str, list[str]]) -> None:
    url, _ = hostile
    async with AsyncOpenAI(api_key=KEY, base_url=url, max_response_bytes=CAP) as client:
        assert (await client.models.retrieve("small")).id == "x"


@pytest.mark.parametrize("kind", ["bomb", "big_error"])
async def test_an_error_answer_to_a_stream_is_read_with_the_cap(
    hostile: tuple[str, list[str]], kind: str
) -> None:
    url, seen = hostile
    async with AsyncOpenAI(
        api_key=KEY, base_url=url, max_response_bytes=CAP, max_retries=2
    ) as client:
        with pytest.raises(ResponseTooLargeError):
            await client.chat.completions.create(
                **CHAT_BODY, stream=True, extra_headers={"X-Kind": kind}
            )
    assert seen == ["/v1/chat/completions"]


@pytest.mark.parametrize("kind", ["long_line", "long_event"])
async def test_a_stream_event_longer_than_the_cap_raises(
    hostile: tuple[str, list[str]], kind: str
) -> None:
    url, _ = hostile
    async with AsyncOpenAI(api_key=KEY, base_url=url, max_response_bytes=CAP) as client:
        stream = await client.chat.completions.create(
            **CHAT_BODY, stream=True, extra_headers={"X-Kind": kind}
        )
        first = await anext(stream)
        assert first.id == "c"
        with pytest.raises(ResponseTooLargeError, match="stream event") as info:
            await anext(stream)
        assert info.value.limit == CAP
        assert stream.closed


@pytest.fixture
async def wordy() -> AsyncIterator[str]:
    """Errors with long bodies (well under the cap): JSON with a long message, and plain text."""
    long_message = "m" * 200_000

    async def error(request: web.Request) -> web.StreamResponse:
        if request.match_info["kind"] == "json":
            return web.json_response(
                {"error": {"message": long_message, "type": "invalid_request_error"}}, status=400
            )
        if request.match_info["kind"] == "text":
            return web.Response(text="t" * 200_000, status=400)
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        await resp.write(b"event: error\ndata: " + json.dumps({"message": long_message}).encode())
        await resp.write(b"\n\n")
        await resp.write_eof()
        return resp

    app = web.Application()
    app.router.add_get("/v1/models/{kind}", error)
    app.router.add_post("/v1/chat/{kind}", error)
    async with app_server(app) as url:
        yield url


#: The longest message an error quotes from a body, with what the library adds around it.
MAX_MESSAGE: Final = 1_200


@pytest.mark.parametrize("kind", ["json", "text"])
async def test_an_error_message_quotes_a_bounded_excerpt_and_keeps_the_body(
    wordy: str, kind: str
) -> None:
    async with AsyncOpenAI(api_key=KEY, base_url=wordy) as client:
        with pytest.raises(APIStatusError) as info:
            await client.models.retrieve(kind)
    exc = info.value
    assert len(str(exc)) <= MAX_MESSAGE
    assert len(exc.message) <= MAX_MESSAGE
    assert exc.message.startswith("Error code: 400 - " + ("m" if kind == "json" else "t") * 100)
    assert exc.message.endswith("... [cut at 1,000 characters]")
    assert len(exc.response.content) >= 200_000  # the whole body is kept ...
    if kind == "json":  # ... parsed, as the official SDK gives it
        assert isinstance(exc.body, dict) and exc.body["message"] == "m" * 200_000
    else:
        assert exc.body == "t" * 200_000


async def test_a_stream_error_event_quotes_a_bounded_excerpt(wordy: str) -> None:
    async with AsyncOpenAI(api_key=KEY, base_url=wordy) as client:
        stream = await client.chat.completions.create(**CHAT_BODY, stream=True)
        with pytest.raises(APIError) as info:
            await anext(stream)
    assert len(str(info.value)) <= MAX_MESSAGE
    assert isinstance(info.value.body, dict) and len(info.value.body["message"]) == 200_000
