"""The API key never shows: not in repr or str, logs at any level, exceptions, CLI errors or
the demo's output.

One distinctive key is used throughout; every error class the client raises is produced for
real (against FakeOpenAI with faults, a dead port, a small body cap) and everything a user or
a log could print about it is searched for the key.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import socket
import traceback
from collections.abc import AsyncIterator, Iterator
from typing import Any, Final

import pytest
from aiohttp import web

from aio_openai import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncOpenAI,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ResponseTooLargeError,
    RetryPolicy,
    WebSocketConnectionClosedError,
    fan_out,
)
from aio_openai.cli import main
from aio_openai.testing import FakeOpenAI

from ._servers import app_server, raw_server

KEY: Final = "sk-SECRET-reliability-7f3a9c1e5b2d40681234"
MODEL: Final = "gpt-4"
CHAT: Final = "POST /v1/chat/completions"
MESSAGES: Final = [{"role": "user", "content": "hello there"}]


def assert_no_key(*texts: object) -> None:
    for text in texts:
        assert KEY not in str(text)
        assert KEY[3:] not in str(text)  # not even without its "sk-" prefix


def exposed(exc: BaseException) -> list[str]:
    """Everything printing an error (and the errors behind it) may show: its traceback, what
    ``logging.exception`` writes, and for every exception of the chain (through ``__cause__``
    and ``__context__`` both) its str, repr, args and the repr of each of its attributes
    (aiohttp's ``request_info`` among them). Not searched: ``response.content``, the raw body
    kept on purpose, and the headers of the Request object the client sends."""
    texts = ["".join(traceback.format_exception(exc)), logged(exc)]
    todo: list[BaseException] = [exc]
    seen: set[int] = set()
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        texts += [str(e), repr(e), repr(e.args), *(repr(a) for a in e.args)]
        texts += [f"{name}={value!r}" for name, value in vars(e).items()]
        if isinstance(e, APIError):
            for name in ("code", "type", "param", "headers", "status_code", "request_id"):
                if hasattr(e, name):
                    texts.append(repr(getattr(e, name)))
        todo += [c for c in (e.__cause__, e.__context__) if c is not None]
    return texts


def logged(exc: BaseException) -> str:
    """What ``logging.exception`` writes for ``exc``."""
    stream = io.StringIO()
    logger = logging.getLogger("aio_openai.tests.secrets")
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.error("the call failed", exc_info=exc)  # as logging.exception in an except block
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every logger at DEBUG, into caplog; checked for the key after the test."""
    caplog.set_level(logging.DEBUG)
    for name in ("aio_openai", "aiohttp", "asyncio"):
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog
    records = caplog.get_records("setup") + caplog.get_records("call")
    assert records  # something was logged, so the check below means something
    for record in records:
        assert_no_key(record.getMessage(), record.args, record.exc_text)
    handler = logging.Formatter("%(levelname)s %(name)s %(message)s")
    assert_no_key(*(handler.format(record) for record in records))


@pytest.fixture
async def client(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    policy = RetryPolicy(max_retries=1, initial_delay=0.001, max_delay=0.002)
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, retry_policy=policy, timeout=0.5) as c:
        yield c


async def test_no_repr_or_str_shows_the_key(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    copy = client.with_options(max_retries=0)
    request = client.build_request("GET", "/models/gpt-4")
    assert request.headers["Authorization"] == f"Bearer {KEY}"  # the key is there ...
    raw = await client.models.with_raw_response.retrieve(MODEL)
    stream = await client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True)
    async with stream:
        chunks = [chunk async for chunk in stream]
    results = await fan_out(client.models.retrieve, [MODEL, "missing"])
    assert_no_key(  # ... and nothing shows it
        repr(client),
        str(client),
        repr(copy),
        repr(request),
        str(request),
        repr(raw),
        repr(raw._response),
        repr(raw.parse()),
        repr(stream),
        repr(stream.response),
        repr(chunks),
        repr(results),
        repr(client.rate_limiter.snapshot()),  # type: ignore[union-attr]
        repr(client.stats),
        repr(client.retry_policy),
        repr(fake.requests),  # the fake's own records hide the header too
    )


async def test_no_error_shows_the_key(
    fake: FakeOpenAI, client: AsyncOpenAI, debug_logs: pytest.LogCaptureFixture
) -> None:
    caught: list[BaseException] = []

    async def expect(cls: type[BaseException], call: Any) -> None:
        with pytest.raises(cls) as info:
            await call
        caught.append(info.value)

    route = "GET /v1/models/{model}"
    fake.faults.push(route, status=503, times=2)
    await expect(InternalServerError, client.models.retrieve(MODEL))
    fake.faults.push(route, status=429, times=2, headers={"retry-after-ms": "1"})
    await expect(RateLimitError, client.models.retrieve(MODEL))
    fake.faults.push(route, kind="insufficient_quota")
    await expect(RateLimitError, client.models.retrieve(MODEL))
    await expect(NotFoundError, client.models.retrieve("missing"))
    await expect(BadRequestError, client.chat.completions.create(model=MODEL, messages=[]))
    fake.faults.push(route, kind="reset", times=2)
    await expect(APIConnectionError, client.models.retrieve(MODEL))
    fake.faults.push(route, kind="truncate", times=2)
    await expect(APIConnectionError, client.models.retrieve(MODEL))
    fake.faults.push(route, kind="delay", delay=5, times=2)
    await expect(APITimeoutError, client.models.retrieve(MODEL))
    fake.faults.push(route, kind="invalid_json", times=2)
    await expect(APIResponseValidationError, client.models.retrieve(MODEL))
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, max_response_bytes=10) as small:
        await expect(ResponseTooLargeError, small.models.retrieve(MODEL))
    async with AsyncOpenAI(
        api_key=KEY, base_url=f"http://127.0.0.1:{dead_port()}/v1", max_retries=1
    ) as dead:
        await expect(APIConnectionError, dead.models.list())
    fake.faults.push(CHAT, kind="stream_cut")
    stream = await client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True)
    await expect(APIConnectionError, _drain(stream))
    fake.faults.push(CHAT, kind="stream_error")
    stream = await client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True)
    await expect(APIError, _drain(stream))
    async with (
        FakeOpenAI(api_keys={"another-key"}) as strict,
        AsyncOpenAI(api_key=KEY, base_url=strict.url) as refused,
    ):
        await expect(AuthenticationError, refused.models.retrieve(MODEL))
    assert len(caught) == 14
    for exc in caught:
        assert_no_key(*exposed(exc))


# -- hostile servers: malformed answers, echoed keys ---------------------------------------------

#: Answers aiohttp refuses to parse: it raises ClientResponseError, whose request_info holds
#: the request's headers (Authorization among them) and shows them in its repr and args.
MALFORMED: Final = {
    "bad status line": b"HTTP/1.1 OK\r\n\r\n",
    "100 KB header": b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n",
    "negative Content-Length": b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
}


@pytest.fixture
async def malformed() -> AsyncIterator[str]:
    """A raw server answering each request with MALFORMED[the X-Answer header]."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            head = await reader.readuntil(b"\r\n\r\n")
            kind = next(k for k in MALFORMED if f"x-answer: {k.lower()}".encode() in head.lower())
            writer.write(MALFORMED[kind])
            await writer.drain()
            await reader.read()  # until the client gives up on the connection
        writer.close()

    async with raw_server(handle) as url:
        yield url


@pytest.mark.parametrize("kind", MALFORMED)
@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
async def test_a_malformed_answer_does_not_show_the_key(
    malformed: str, kind: str, stream: bool, clean_env: None
) -> None:
    async with AsyncOpenAI(api_key=KEY, base_url=malformed, max_retries=1) as client:
        with pytest.raises(APIConnectionError) as info:
            if stream:
                await client.chat.completions.create(
                    model=MODEL, messages=MESSAGES, stream=True, extra_headers={"X-Answer": kind}
                )
            else:
                await client.models.retrieve(MODEL, extra_headers={"X-Answer": kind})
    assert info.value.__cause__ is not None  # aiohttp's error is kept, for debugging ...
    assert "Authorization" in repr(info.value.__cause__)  # ... its headers too, masked
    assert_no_key(*exposed(info.value))


@pytest.fixture
async def echoing() -> AsyncIterator[str]:
    """A server that quotes secrets back: the request's key, or another key-shaped secret."""

    async def answer(request: web.Request) -> web.StreamResponse:
        key = request.headers["Authorization"].removeprefix("Bearer ")
        kind = request.match_info["kind"]
        if kind == "refused":  # as a server that does not mask the key it refuses
            error = {"message": f"Incorrect API key provided: {key}.", "code": "invalid_api_key"}
            return web.json_response(
                {"error": {**error, "type": "invalid_request_error"}}, status=401
            )
        if kind == "other":
            text = f"Your other key {OTHER_SECRET} has no access to this model; this one {key}."
            return web.json_response({"error": {"message": text, "code": key}}, status=403)
        if kind == "text":
            return web.Response(text=f"bad key {key}", status=400)
        if kind == "not_json":
            return web.Response(text=f"<html>key {key}</html>", content_type="application/json")
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        error = {"error": {"message": f"key {key} was revoked mid-stream", "param": key}}
        await resp.write(f"data: {json.dumps(error)}\n\n".encode())
        await resp.write_eof()
        return resp

    app = web.Application()
    app.router.add_get("/v1/models/{kind}", answer)
    app.router.add_post("/v1/{kind:chat}/completions", answer)
    async with app_server(app) as url:
        yield url


OTHER_SECRET: Final = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"


@pytest.mark.parametrize("kind", ["refused", "other", "text", "not_json", "chat"])
async def test_a_key_the_server_echoes_is_masked_in_every_view_of_the_error(
    echoing: str, kind: str, clean_env: None
) -> None:
    async with AsyncOpenAI(api_key=KEY, base_url=echoing, max_retries=0) as client:
        with pytest.raises(APIError) as info:
            if kind == "chat":
                await _drain(
                    await client.chat.completions.create(
                        model=MODEL, messages=MESSAGES, stream=True
                    )
                )
            else:
                await client.models.retrieve(kind)
    exc = info.value
    texts = exposed(exc)
    assert_no_key(*texts)
    assert all(OTHER_SECRET[8:] not in text for text in texts)
    masked = f"{KEY[:6]}...{KEY[-4:]}"  # as OpenAI masks keys: the start and the end
    assert masked in (str(exc.body) if kind == "not_json" else str(exc))
    if kind == "refused":
        assert isinstance(exc, AuthenticationError)
        assert str(exc).startswith(f"Error code: 401 - Incorrect API key provided: {masked}.")
        assert exc.code == "invalid_api_key"
    if kind == "other":
        assert f"{OTHER_SECRET[:6]}...{OTHER_SECRET[-4:]}" in str(exc)
        assert exc.code == masked
    if isinstance(exc, APIStatusError | APIResponseValidationError):  # the raw body is kept
        assert KEY.encode() in exc.response.content


async def _drain(stream: Any) -> None:
    async for _ in stream:
        pass


async def test_websocket_errors_and_logs_never_show_the_key(
    fake: FakeOpenAI, clean_env: None, debug_logs: pytest.LogCaptureFixture
) -> None:
    connect = "GET /v1/realtime"
    fast = RetryPolicy(sleep=lambda seconds: asyncio.sleep(0))
    async with AsyncOpenAI(api_key=KEY, base_url=fake.url, retry_policy=fast) as client:
        # a refused upgrade whose body quotes the key
        fake.faults.push(connect, status=401, message=f"Incorrect API key provided: {KEY}.")
        with pytest.raises(AuthenticationError) as refused:
            await client.realtime.connect(model="gpt-realtime").enter()
        # a dropped connection whose reconnection runs out on refusals quoting the key
        fake.faults.push(connect, kind="stream_cut")
        async with client.realtime.connect(
            model="gpt-realtime", on_reconnecting=lambda e: None, max_retries=1
        ) as connection:
            await connection.recv()
            fake.faults.push(connect, status=503, message=f"overloaded, {KEY}", times=2)
            await connection.response.create()
            with pytest.raises(WebSocketConnectionClosedError) as gone:
                while True:
                    await connection.recv()
    unreachable_url = f"http://127.0.0.1:{dead_port()}/v1"
    async with AsyncOpenAI(api_key=KEY, base_url=unreachable_url) as client:
        with pytest.raises(APIConnectionError) as unreachable:
            await client.realtime.connect(model="gpt-realtime", max_retries=0).enter()
    for exc in (refused.value, gone.value, unreachable.value):
        assert_no_key(*exposed(exc))
    assert isinstance(gone.value.__cause__, InternalServerError)
    assert f"{KEY[:6]}...{KEY[-4:]}" in str(refused.value)
    for request in fake.requests:
        assert_no_key(request.raw_path)


async def test_fan_out_abort_does_not_show_the_key(clean_env: None) -> None:
    from aio_openai import FanOutAborted

    async with (
        FakeOpenAI(api_keys={"another-key"}) as strict,
        AsyncOpenAI(api_key=KEY, base_url=strict.url) as refused,
    ):
        with pytest.raises(FanOutAborted) as info:
            async for _ in fan_out(refused.models.retrieve, [MODEL] * 5):
                pass
    assert_no_key(*exposed(info.value), *exposed(info.value.cause))


# -- the command line ---------------------------------------------------------------------------


@pytest.fixture
def threaded_fake() -> Iterator[FakeOpenAI]:
    """A FakeOpenAI in a thread (the CLI runs its own event loop), accepting only KEY."""
    with FakeOpenAI(api_keys={KEY}).running_in_thread() as fake:
        yield fake


@pytest.fixture
def refusing_fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(api_keys={"another-key"}).running_in_thread() as fake:
        yield fake


def run_cli(
    argv: list[str], capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> tuple[int, str]:
    caplog.set_level(logging.DEBUG)
    status = main(argv)
    out, err = capsys.readouterr()
    assert_no_key(out, err, caplog.text)
    for record in caplog.records:
        assert_no_key(record.getMessage(), record.exc_text)
    return status, out + err


@pytest.mark.parametrize("verbose", [[], ["-v"], ["-vv"]])
@pytest.mark.parametrize("key_from", ["env", "argument"])
def test_cli_errors_never_show_the_key(
    refusing_fake: FakeOpenAI,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    clean_env: None,
    verbose: list[str],
    key_from: str,
) -> None:
    key_args = ["--api-key", KEY] if key_from == "argument" else []
    if key_from == "env":
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
    for url, expected in [
        (refusing_fake.url, "401"),  # the key is refused
        (f"http://127.0.0.1:{dead_port()}/v1", "onnect"),  # nothing listens
    ]:
        argv = ["models", "get", MODEL, "--base-url", url, "--max-retries", "0"]
        status, text = run_cli([*argv, *key_args, *verbose], capsys, caplog)
        assert status == 1
        assert expected in text


def test_cli_redacts_a_key_the_server_echoes(
    threaded_fake: FakeOpenAI,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    clean_env: None,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    threaded_fake.faults.push(status=401, message=f"Incorrect API key provided: {KEY}.")
    argv = ["models", "get", MODEL, "--base-url", threaded_fake.url, "--max-retries", "0"]
    status, text = run_cli([*argv, "-vv"], capsys, caplog)
    assert status == 1
    assert "Incorrect API key provided" in text


@pytest.mark.parametrize("verbose", [[], ["-vv"]])
def test_the_demo_never_shows_the_key(
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    clean_env: None,
    verbose: list[str],
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    status, text = run_cli(["demo", "--requests", "200", *verbose], capsys, caplog)
    assert status == 0
    assert "200" in text


def test_the_demo_against_a_server_never_shows_the_key(
    threaded_fake: FakeOpenAI,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    clean_env: None,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    threaded_fake.faults.random(0.1, seed=3)
    argv = ["demo", "--requests", "200", "--base-url", threaded_fake.url, "-vv"]
    status, _ = run_cli(argv, capsys, caplog)
    assert status == 0
    assert len(threaded_fake.requests) >= 200
    assert all(r.headers["Authorization"] == f"Bearer {KEY}" for r in threaded_fake.requests)


def test_asyncio_debug_mode_does_not_show_the_key(
    fake_openai: FakeOpenAI, caplog: pytest.LogCaptureFixture, clean_env: None
) -> None:
    """asyncio's debug mode logs slow callbacks and unclosed resources with their reprs."""
    caplog.set_level(logging.DEBUG)

    async def calls() -> None:
        async with AsyncOpenAI(api_key=KEY, base_url=fake_openai.url) as client:
            await fan_out(client.models.retrieve, [MODEL, "missing"] * 20)

    asyncio.run(calls(), debug=True)
    assert_no_key(caplog.text)
