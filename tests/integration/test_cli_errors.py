"""The ``aio-openai`` command never shows a traceback and says what went wrong.

Each test runs the installed command in a subprocess, as a user would, against one FakeOpenAI
for the module (in a thread) or against a server made to fail in one way: refused, an
unknown host, TLS that cannot be verified, TLS spoken to a plain-HTTP server, a reset, a
close without an answer, no answer at all.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import re
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, Final

import pytest
from cli_script import TIMEOUT, run_script

from aio_openai.cli import build_parser, main, read_prompt
from aio_openai.testing import FakeOpenAI

#: A key distinctive enough that finding it anywhere in the output means it leaked.
SECRET: Final = "sk-SECRET-cli-errors-4d2c"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI().running_in_thread() as server:
        yield server


def cli(
    *argv: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """Run ``aio-openai ARGV`` in a subprocess; return (exit status, stdout, stderr)."""
    return run_script(*argv, api_key=SECRET, stdin=stdin, env=env)


# -- ids ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["models", "get", ""], "MODEL: an id must not be empty"),
        (["assistants", "get", "."], "ASSISTANT_ID: '.' is not an id"),
        (["runs", "wait", "", ""], "THREAD_ID: an id must not be empty"),
        (["respond", "hi", "--conversation", ""], "--conversation: an id must not be empty"),
        (
            ["respond", "hi", "--previous-response-id", ".."],
            "--previous-response-id: '..' is not an id",
        ),
    ],
)
def test_an_empty_or_dot_id_is_one_usage_error_line(
    fake: FakeOpenAI, argv: list[str], message: str
) -> None:
    before = len(fake.requests)
    status, out, err = cli(*argv, "--base-url", fake.url)
    assert (status, out, err) == (2, "", f"error: {message}\n")
    assert len(fake.requests) == before  # refused before anything was sent


def _leaf_parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        yield path, parser
        return
    for name, child in subparsers[0].choices.items():
        yield from _leaf_parsers(child, (*path, name))


def _is_id(action: argparse.Action) -> bool:
    metavar = action.metavar if isinstance(action.metavar, str) else ""
    return metavar in ("ID", "MODEL") or metavar.endswith("_ID")


def _id_arguments() -> list[tuple[tuple[str, ...], argparse.ArgumentParser, argparse.Action]]:
    found = []
    for path, leaf in _leaf_parsers(build_parser()):
        found.extend((path, leaf, a) for a in leaf._actions if _is_id(a))
    return found


def _argv_with(
    path: tuple[str, ...], leaf: argparse.ArgumentParser, target: argparse.Action, value: str
) -> list[str]:
    """A command line of ``path`` that gives ``target`` the ``value`` and every other
    required argument a valid one."""
    positionals: list[str] = []
    options: list[str] = []
    for action in leaf._actions:
        given = (
            value if action is target else (action.choices and next(iter(action.choices))) or "x"
        )
        if not action.option_strings:
            positionals.append(str(given))
        elif action is target or action.required:
            options += [action.option_strings[0], str(given)]
    return [*path, *positionals, *options]


def test_every_id_argument_of_every_command_is_checked() -> None:
    found = _id_arguments()
    by_command = {" ".join(path) for path, _, _ in found}
    assert len(found) >= 40, found
    assert {"models get", "runs wait", "respond", "conversations items add"} <= by_command
    unchecked = [
        f"{' '.join(path)} {action.metavar}"
        for path, _, action in found
        if getattr(action.type, "__name__", None) != "id"
    ]
    assert unchecked == []


@pytest.mark.parametrize("value", ["", ".", ".."], ids=["empty", "dot", "dotdot"])
def test_every_id_argument_refuses_empty_dot_and_dotdot(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for path, leaf, action in _id_arguments():
        argv = _argv_with(path, leaf, action, value)
        status = main(argv)
        out, err = capsys.readouterr()
        name = action.option_strings[0] if action.option_strings else action.metavar
        assert (status, out) == (2, ""), argv
        assert err.startswith(f"error: {name}: ") and err.count("\n") == 1, (argv, err)


# -- connection errors ------------------------------------------------------------------------


def _openssl(directory: Path, name: str, subject_alt_name: str) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed to make the test certificates")
    cert, key = directory / f"{name}.pem", directory / f"{name}-key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", f"/CN={name}", "-addext", f"subjectAltName={subject_alt_name}",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
    )  # fmt: skip
    return cert, key


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class _Servers:
    """TCP servers that fail each in its own way, in an event loop on a thread of its own."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self._servers: list[asyncio.Server] = []

    def serve(self, handler: Handler, tls: ssl.SSLContext | None = None) -> int:
        """Start a server; return its port."""

        async def start() -> asyncio.Server:
            return await asyncio.start_server(handler, "127.0.0.1", 0, ssl=tls)

        server = asyncio.run_coroutine_threadsafe(start(), self.loop).result(TIMEOUT)
        self._servers.append(server)
        port: int = server.sockets[0].getsockname()[1]
        return port

    def close(self) -> None:
        async def stop() -> None:
            for server in self._servers:
                server.close()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(server.wait_closed(), TIMEOUT)

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(TIMEOUT)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(TIMEOUT)
        self.loop.close()


async def _wait_for_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Read until the client goes away, never answering."""
    with contextlib.suppress(Exception):
        while await reader.read(65536):
            pass
    writer.close()


async def _reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Read the request, then reset the connection (RST, not FIN)."""
    await reader.read(65536)
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Read the request, then close the connection without a word."""
    await reader.read(65536)
    writer.close()


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Base URLs of servers failing each in one way, and the CA file to trust."""
    directory = tmp_path_factory.mktemp("tls")
    self_signed = _openssl(directory, "127.0.0.1", "IP:127.0.0.1")
    elsewhere = _openssl(directory, "elsewhere.invalid", "DNS:elsewhere.invalid")

    def tls(cert_key: tuple[Path, Path]) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*cert_key)
        return context

    servers = _Servers()

    def url(port: int, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{port}/v1"

    try:
        with socket.socket() as refused:
            refused.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
            yield {
                "refused": url(refused.getsockname()[1]),
                "self-signed": url(servers.serve(_wait_for_close, tls(self_signed)), "https"),
                "mismatch": url(servers.serve(_wait_for_close, tls(elsewhere)), "https"),
                "mismatch-ca": str(elsewhere[0]),
                "reset": url(servers.serve(_reset)),
                "closed": url(servers.serve(_close)),
                "silent": url(servers.serve(_wait_for_close)),
            }
    finally:
        servers.close()


def _fails_to_connect(url: str, *extra: str, env: dict[str, str] | None = None) -> str:
    """The one error line of ``models get gpt-4`` against ``url``, without the URL part."""
    status, out, err = cli("models", "get", "gpt-4", "--base-url", url, "--max-retries", "0",
                           *extra, env=env)  # fmt: skip
    assert (status, out) == (1, ""), err
    assert err.count("\n") == 1, err
    prefix = f"error: cannot connect to {url}: "
    assert err.startswith(prefix), err
    return err.removeprefix(prefix).removesuffix("\n")


def test_connection_refused(failing: dict[str, Any]) -> None:
    assert _fails_to_connect(failing["refused"]) == "Connection refused"


def test_a_name_that_does_not_resolve() -> None:
    detail = _fails_to_connect("https://api.example.invalid/v1")
    assert detail.startswith("cannot resolve host: "), detail


def test_tls_with_a_self_signed_certificate(failing: dict[str, Any]) -> None:
    detail = _fails_to_connect(failing["self-signed"])
    assert detail == "TLS certificate verify failed: self-signed certificate"


def test_tls_with_a_certificate_for_another_name(failing: dict[str, Any]) -> None:
    # the certificate is trusted (SSL_CERT_FILE), but it is for elsewhere.invalid
    detail = _fails_to_connect(failing["mismatch"], env={"SSL_CERT_FILE": failing["mismatch-ca"]})
    assert detail == (
        "TLS certificate verify failed: "
        "IP address mismatch, certificate is not valid for '127.0.0.1'"
    )


def test_https_to_a_server_that_speaks_plain_http(fake: FakeOpenAI) -> None:
    url = fake.url.replace("http://", "https://")
    assert _fails_to_connect(url) == (
        "TLS handshake failed: the server does not speak TLS (is the URL http://?)"
    )


def test_a_connection_reset(failing: dict[str, Any]) -> None:
    assert _fails_to_connect(failing["reset"]) == "Connection reset by peer"


def test_a_connection_closed_without_an_answer(failing: dict[str, Any]) -> None:
    detail = _fails_to_connect(failing["closed"])
    assert detail == "the server closed the connection without answering"


def test_a_server_that_never_answers_times_out(failing: dict[str, Any]) -> None:
    url = failing["silent"]
    status, out, err = cli(
        "models", "get", "gpt-4", "--base-url", url, "--max-retries", "0", "--timeout", "0.5"
    )
    assert (status, out) == (1, "")
    assert err == f"error: timed out waiting for {url}/models/gpt-4\n"


# -- warnings -----------------------------------------------------------------------------------


def test_a_warning_is_one_line_without_source_code() -> None:
    url = "http://api.example.invalid/v1"  # plain http to another machine: a warning
    status, out, err = cli("models", "list", "--base-url", url, "--max-retries", "0")
    assert (status, out) == (1, "")
    warning, error = err.splitlines()
    assert warning == (
        "warning: base_url http://api.example.invalid is plain http to a host that is not this "
        "machine: the API key would cross the network unencrypted"
    )
    assert error.startswith(f"error: cannot connect to {url}: cannot resolve host: ")


# -- help -----------------------------------------------------------------------------------------


def test_help_describes_every_command_group() -> None:
    status, out, _ = cli("--help")
    assert status == 0
    description = out.split("\n\n")[1]  # after the usage, before the options
    words = set(re.findall(r"[\w-]+", description))
    groups = {
        "chat", "embed", "respond", "conversations", "batch", "models", "assistants",
        "threads", "messages", "runs", "serve-fake", "demo",
    }  # fmt: skip
    assert groups - words == set(), description
    listed = out.split("commands:", 1)[1]
    assert all(re.search(rf"^\s+{group}\s", listed, re.M) for group in groups), listed


# -- stdin ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "stdin", "sent"),
    [("chat", "x\n", "x"), ("respond", "two\nlines\n\n", "two\nlines\n")],
)
def test_a_prompt_from_stdin_loses_one_final_newline(
    fake: FakeOpenAI, command: str, stdin: str, sent: str
) -> None:
    status, _, err = cli(command, "-", "--model", "gpt-4", "--base-url", fake.url, stdin=stdin)
    assert status == 0, err
    body = fake.requests[-1].json
    if command == "chat":
        assert body["messages"] == [{"role": "user", "content": sent}]
    else:
        assert body["input"] == sent


@pytest.mark.parametrize(
    ("stdin", "prompt"),
    [("x", "x"), ("x\r\n", "x"), ("x\n\n", "x\n"), (" x \n", " x ")],
)
def test_read_prompt_strips_one_final_newline_of_stdin(
    monkeypatch: pytest.MonkeyPatch, stdin: str, prompt: str
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    assert read_prompt("-") == prompt
    assert read_prompt("kept as given\n") == "kept as given\n"


def test_a_blank_prompt_from_stdin_is_a_usage_error(fake: FakeOpenAI) -> None:
    status, out, err = cli("chat", "-", "--base-url", fake.url, stdin="\n")
    assert (status, out, err) == (2, "", "error: the prompt is empty\n")
