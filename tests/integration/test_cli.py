"""The ``aio-openai`` command against a real FakeOpenAI over loopback.

``main()`` runs its own event loop (``asyncio.run``), so these tests are plain sync functions
and the fake server runs in a thread of its own (the ``fake_openai`` fixture). Two tests run the
installed ``aio-openai`` script in a subprocess.
"""

from __future__ import annotations

import io
import json
import re
import selectors
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any, Final

import aiohttp
import pytest
from cli_script import script, script_env
from support import FakeClock
from yarl import URL

from aio_openai import APIConnectionError, APITimeoutError, Request
from aio_openai._demo import UNKNOWN_EVERY, Progress, lookup_ids, percentile
from aio_openai.cli import describe_error, main
from aio_openai.testing import SEED_MODELS, FakeOpenAI

#: A key distinctive enough that finding it anywhere in the output means it leaked.
SECRET: Final = "sk-SECRET-abc123xyz"

SEED_IDS: Final = [seed.id for seed in SEED_MODELS]

#: Bounded waits of the subprocess tests (seconds); they never sleep.
TIMEOUT: Final = 30.0

_ERROR_LINE = re.compile(
    r"error: 404 NotFoundError: The model 'no-such-model' does not exist "
    r"\(request id (req_[0-9a-f]+)\)"
)


@pytest.fixture(autouse=True)
def env(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with only OPENAI_API_KEY set, to the secret key."""
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command in-process; return (exit status, stdout, stderr)."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A base URL on which connections are refused: its port is bound but not listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


def table(stdout: str) -> dict[str, str]:
    """The demo's summary table as {label: value} (labels stripped of their indent)."""
    rows: dict[str, str] = {}
    for line in stdout.splitlines():
        m = re.fullmatch(r"\s*(\S(?:.*?\S)?)\s{2,}(\S.*)", line)
        if m:
            rows[m[1]] = m[2]
    return rows


# -- models --------------------------------------------------------------------------------------


def test_models_list_prints_the_list_object_as_json(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "models", "list", "--base-url", fake_openai.url)
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert data["object"] == "list"
    assert [m["id"] for m in data["data"]] == SEED_IDS
    assert len(data["data"]) == 35
    assert data["data"][0] == {
        "id": SEED_MODELS[0].id,
        "object": "model",
        "created": SEED_MODELS[0].created,
        "owned_by": SEED_MODELS[0].owned_by,
    }


def test_models_get_prints_the_model(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "models", "get", "gpt-4", "--base-url", fake_openai.url)
    assert (status, err) == (0, "")
    assert json.loads(out) == dict(fake_openai.models["gpt-4"])
    [request] = fake_openai.requests
    assert (request.method, request.path) == ("GET", "/v1/models/gpt-4")
    assert request.headers["Authorization"] == f"Bearer {SECRET}"


def test_base_url_comes_from_the_environment(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.url)
    status, out, _ = run(capsys, "models", "get", "gpt-4")
    assert status == 0
    assert json.loads(out)["id"] == "gpt-4"


def test_api_key_option_is_used_when_the_environment_has_none(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    status, _, _ = run(
        capsys, "models", "get", "gpt-4", "--base-url", fake_openai.url, "--api-key", "sk-opt"
    )
    assert status == 0
    assert fake_openai.requests[0].headers["Authorization"] == "Bearer sk-opt"


def test_models_delete_prints_the_deletion(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    model_id = "ft:gpt-4o-mini:acme::cli-test"
    fake_openai.add_model(model_id, owned_by="user-acme")
    status, out, err = run(capsys, "models", "delete", model_id, "--base-url", fake_openai.url)
    assert (status, err) == (0, "")
    assert json.loads(out) == {"id": model_id, "object": "model", "deleted": True}
    assert model_id not in fake_openai.models


def test_deleting_an_openai_model_is_a_one_line_403(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "models", "delete", "gpt-4", "--base-url", fake_openai.url)
    assert (status, out) == (1, "")
    assert err.startswith("error: 403 PermissionDeniedError: ")
    assert err.count("\n") == 1
    assert "gpt-4" in fake_openai.models


def test_unknown_model_is_one_error_line_with_the_request_id(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "models", "get", "no-such-model", "--base-url", fake_openai.url)
    assert (status, out) == (1, "")
    assert err.endswith("\n")
    m = _ERROR_LINE.fullmatch(err.removesuffix("\n"))
    assert m, err
    assert m[1] == fake_openai.requests[-1].request_id
    assert "Traceback" not in err


def test_missing_api_key_exits_2_naming_the_variable(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    status, out, err = run(capsys, "models", "list", "--base-url", fake_openai.url)
    assert (status, out) == (2, "")
    assert err.startswith("error: ")
    assert "OPENAI_API_KEY" in err
    assert err.count("\n") == 1
    assert fake_openai.requests == []


def test_connection_refused_is_one_error_line(
    refused_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        capsys, "models", "list", "--base-url", refused_url, "--max-retries", "0"
    )
    assert (status, out) == (1, "")
    assert err == f"error: cannot connect to {refused_url}: Connection refused\n"


def test_bad_base_url_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "models", "list", "--base-url", "ftp://example.invalid")
    assert (status, out) == (2, "")
    assert err.startswith("error: base_url must be an absolute http(s) URL")


# -- the API key never shows -----------------------------------------------------------------------


def _assert_secret_hidden(*texts: str) -> None:
    for text in texts:
        assert SECRET not in text
        assert "SECRET-abc123" not in text


@pytest.mark.parametrize("verbosity", [[], ["-vv"]], ids=["quiet", "debug-log"])
@pytest.mark.parametrize("key_from", ["env", "option"])
def test_key_is_not_shown_on_success(
    fake_openai: FakeOpenAI,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    verbosity: list[str],
    key_from: str,
) -> None:
    key_args = ["--api-key", SECRET] if key_from == "option" else []
    if key_from == "option":
        monkeypatch.delenv("OPENAI_API_KEY")
    status, out, err = run(
        capsys, *verbosity, "models", "get", "gpt-4", "--base-url", fake_openai.url, *key_args
    )
    assert status == 0
    assert fake_openai.requests[0].headers["Authorization"] == f"Bearer {SECRET}"
    _assert_secret_hidden(out, err)


@pytest.mark.parametrize("verbosity", [[], ["-vv"]], ids=["quiet", "debug-log"])
def test_key_is_not_shown_on_a_401(
    capsys: pytest.CaptureFixture[str], verbosity: list[str]
) -> None:
    with FakeOpenAI(api_keys={"other"}).running_in_thread() as fake:
        status, out, err = run(capsys, *verbosity, "models", "list", "--base-url", fake.url)
        request_id = fake.requests[-1].request_id
    assert (status, out) == (1, "")
    assert err.splitlines()[-1] == (
        "error: 401 AuthenticationError: Incorrect API key provided. You can find your API key "
        f"at https://platform.openai.com/account/api-keys. (request id {request_id})"
    )
    _assert_secret_hidden(out, err)


def test_key_is_not_shown_when_the_connection_is_refused(
    refused_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        capsys, "-vv", "models", "get", "gpt-4", "--base-url", refused_url, "--max-retries", "0"
    )
    assert status == 1
    assert "cannot connect to" in err
    _assert_secret_hidden(out, err)


def test_key_is_masked_even_when_the_server_echoes_it(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    # The model id is the key by mistake: the 404 message quotes it back, and the error
    # masks it (a key this short entirely) before the CLI's own redaction sees it.
    status, out, err = run(capsys, "models", "get", SECRET, "--base-url", fake_openai.url)
    assert (status, out) == (1, "")
    assert err.startswith("error: 404 NotFoundError: The model '***' does not exist")
    _assert_secret_hidden(out, err)


# -- logging -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"), [(["-v"], []), (["-vv"], []), ([], ["-v"])], ids=["v", "vv", "v-last"]
)
def test_verbose_logs_each_call_on_stderr(
    fake_openai: FakeOpenAI,
    capsys: pytest.CaptureFixture[str],
    before: list[str],
    after: list[str],
) -> None:
    status, out, err = run(
        capsys, *before, "models", "get", "gpt-4", "--base-url", fake_openai.url, *after
    )
    assert status == 0
    assert json.loads(out)["id"] == "gpt-4"
    request_id = fake_openai.requests[0].request_id
    assert re.search(
        rf"INFO aio_openai\.cli: GET {re.escape(fake_openai.url)}/models/gpt-4 -> 200 .*"
        rf"\(request id {request_id}\)",
        err,
    ), err


def test_quiet_by_default(fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "models", "get", "gpt-4", "--base-url", fake_openai.url)
    assert (status, err) == (0, "")


def test_serve_fake_on_a_busy_port_is_one_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        status, out, err = run(capsys, "serve-fake", "--port", str(port))
    assert (status, out) == (1, "")
    assert err.startswith(f"error: cannot listen on 127.0.0.1 port {port}: ")
    assert err.count("\n") == 1


# -- help and usage ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ["models", "serve-fake", "demo", "OPENAI_API_KEY"]),
        (["models"], ["list", "get", "delete"]),
        (["models", "list"], ["--base-url", "--api-key", "--timeout", "--max-retries"]),
        (["models", "get"], ["MODEL", "OPENAI_API_KEY", "OPENAI_BASE_URL"]),
        (["models", "delete"], ["MODEL"]),
        (["serve-fake"], ["--host", "--port", "--api-key", "SIGINT"]),
        (["demo"], ["--requests", "--concurrency", "--base-url", "5000", "64"]),
    ],
)
def test_help(capsys: pytest.CaptureFixture[str], argv: list[str], expected: list[str]) -> None:
    status, out, _ = run(capsys, *argv, "--help")
    assert status == 0
    assert out.startswith("usage: aio-openai")
    for word in expected:
        assert word in out


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["models"],
        ["models", "get"],
        ["models", "list", "--timeout", "0"],
        ["demo", "--concurrency", "0"],
        ["serve-fake", "--port", "70000"],
    ],
)
def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert "usage: aio-openai" in err


def test_describe_error_of_a_timeout_names_the_url() -> None:
    request = Request(
        method="GET",
        url=URL("http://user:pw@127.0.0.1:9/v1/models"),
        headers={"Authorization": f"Bearer {SECRET}"},
        timeout=aiohttp.ClientTimeout(total=1),
    )
    assert describe_error(APITimeoutError(request)) == (
        "timed out waiting for http://127.0.0.1:9/v1/models"
    )
    refused = APIConnectionError(request=request)
    assert describe_error(refused, "http://127.0.0.1:9/v1").startswith(
        "cannot connect to http://127.0.0.1:9/v1: "
    )


# -- demo ----------------------------------------------------------------------------------------


def _expected_unknown(n: int) -> int:
    """How many of the first ``n`` lookups ask for a model the fake server does not serve."""
    return sum(1 for model_id in lookup_ids(n) if model_id not in SEED_IDS)


def test_lookup_ids_cycle_the_seed_models_with_one_unknown_in_a_hundred() -> None:
    ids = list(lookup_ids(1000))
    unknown = [i for i, model_id in enumerate(ids) if model_id not in SEED_IDS]
    assert unknown == list(range(UNKNOWN_EVERY - 1, 1000, UNKNOWN_EVERY))
    assert set(ids) - {ids[i] for i in unknown} == set(SEED_IDS)


def test_demo_against_the_embedded_fake_prints_the_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    requests = 300
    expected_errors = _expected_unknown(requests)
    assert expected_errors > 0
    status, out, err = run(capsys, "demo", "--requests", str(requests), "--concurrency", "16")
    assert status == 0, err
    rows = table(out)
    assert rows["requests"] == str(requests)
    assert rows["errors"] == str(expected_errors)
    assert rows["NotFoundError"] == str(expected_errors)
    assert rows["ok"] == str(requests - expected_errors)
    assert rows["throughput"].endswith(" req/s")
    assert rows["wall time"].endswith(" s")
    for p in ("p50", "p90", "p99"):
        assert rows[f"latency {p}"].endswith(" ms")
    # stderr is not a TTY here: one final progress line, no carriage returns.
    assert "\r" not in err
    assert re.fullmatch(
        rf"lookup \[#+\] {requests}/{requests} errors {expected_errors} .*\n", err
    ), err
    _assert_secret_hidden(out, err)


def test_demo_against_a_base_url(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    requests = 250
    status, out, err = run(
        capsys, "demo", "--requests", str(requests), "--concurrency", "8",
        "--base-url", fake_openai.url,
    )  # fmt: skip
    assert status == 0, err
    rows = table(out)
    assert rows["requests"] == str(requests)
    assert rows["errors"] == str(_expected_unknown(requests))
    assert len(fake_openai.requests) == requests
    assert {r.headers["Authorization"] for r in fake_openai.requests} == {f"Bearer {SECRET}"}
    assert fake_openai.url in out
    _assert_secret_hidden(out, err)


def test_demo_against_a_dead_server_counts_errors_and_exits_1(
    refused_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        capsys, "demo", "--requests", "20", "--concurrency", "4",
        "--base-url", refused_url, "--max-retries", "0",
    )  # fmt: skip
    assert status == 1
    rows = table(out)
    assert (rows["requests"], rows["ok"], rows["errors"]) == ("20", "0", "20")
    assert rows["APIConnectionError"] == "20"
    assert err.splitlines()[-1] == (
        f"error: bulk model lookup: all 20 lookups failed: "
        f"cannot connect to {refused_url}: Connection refused"
    )
    _assert_secret_hidden(out, err)


def test_demo_with_base_url_needs_a_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    status, out, err = run(capsys, "demo", "--base-url", "http://127.0.0.1:9/v1")
    assert (status, out) == (2, "")
    assert "OPENAI_API_KEY" in err


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert [percentile(values, p) for p in (50, 90, 99, 100)] == [50.0, 90.0, 99.0, 100.0]
    assert percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        percentile([], 50)


# -- progress ------------------------------------------------------------------------------------


def test_progress_off_a_tty_writes_one_final_line() -> None:
    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(4, label="job", stream=stream, clock=clock)
    for i in range(4):
        clock.now += 0.5
        progress.advance(error=i == 0)
        assert stream.getvalue() == ""
    progress.close()
    progress.close()
    assert stream.getvalue() == ("job [########################] 4/4 errors 1  2 req/s  in 2.0s\n")


def test_progress_on_a_tty_redraws_at_most_ten_times_a_second() -> None:
    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(1000, stream=stream, clock=clock, tty=True)
    assert stream.getvalue().count("\r") == 1  # the empty bar
    for _ in range(1000):
        clock.now += 0.001  # 1000 steps in one second
        progress.advance()
    draws = stream.getvalue().count("\r")
    assert 1 + 9 <= draws <= 1 + 10
    progress.close()
    text = stream.getvalue()
    assert text.endswith("\n")
    assert text.rsplit("\r", 1)[1].startswith("[########################] 1000/1000 errors 0")


def test_progress_shows_rate_and_eta() -> None:
    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(300, stream=stream, clock=clock)
    clock.now += 1.0
    for _ in range(100):
        progress.advance()
    assert progress.line().endswith(" 100/300 errors 0  100 req/s  ETA 2.0s")


# -- the installed script ------------------------------------------------------------------------


def test_script_models_get(fake_openai: FakeOpenAI) -> None:
    done = subprocess.run(
        [script(), "models", "get", "gpt-4", "--base-url", fake_openai.url],
        env=script_env(SECRET),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout) == dict(fake_openai.models["gpt-4"])
    _assert_secret_hidden(done.stdout, done.stderr)


def test_python_dash_m_runs_the_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aio_openai", "--version"],
        env=script_env(SECRET),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("aio-openai ")


def _read_line(proc: subprocess.Popen[bytes], timeout: float) -> str:
    """The first line ``proc`` writes on stdout, waiting at most ``timeout`` seconds."""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            pytest.fail(f"no output from {proc.args!r} within {timeout}s")
    return proc.stdout.readline().decode()


def _get(url: str, key: str) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.load(exc)


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_script_serve_fake(stop_signal: signal.Signals) -> None:
    proc = subprocess.Popen(
        [script(), "serve-fake", "--port", "0", "--api-key", SECRET],
        env=script_env(SECRET),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        line = _read_line(proc, TIMEOUT)
        m = re.fullmatch(r"FakeOpenAI listening on (http://127\.0\.0\.1:(\d+)/v1)\n", line)
        assert m, line
        url = m[1]
        assert int(m[2]) > 0
        assert _get(f"{url}/models/gpt-4", SECRET) == (200, dict(FakeOpenAI().models["gpt-4"]))
        status, body = _get(f"{url}/models", "sk-wrong")
        assert (status, body["error"]["code"]) == (401, "invalid_api_key")
        proc.send_signal(stop_signal)
        out, err = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0
    assert err == b""
    _assert_secret_hidden(line, out.decode(), err.decode())
