"""``aio-openai batch`` end to end against a real FakeOpenAI over loopback.

``main()`` runs its own event loop, so these are sync tests and the fake server runs in a thread
(the ``fake_openai`` fixture). One test runs the command in a subprocess and kills it. Also here:
the demo's bulk lookup, now on fan_out, stopping early on a refused key.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import pytest
from cli_script import run_script, script, script_env

from aio_openai._batch_files import BadLine, parse_request, read_answered
from aio_openai.cli import main
from aio_openai.resources import endpoints
from aio_openai.testing import FakeOpenAI

#: A key distinctive enough that finding it anywhere in the output means it leaked.
SECRET: Final = "sk-SECRET-batch-7f3e9a"

#: The longest a bounded wait may take (a guard against hangs, not a timing).
TIMEOUT: Final = 30.0

_BATCH_ID = re.compile(r"batch_req_[0-9a-f]{32}")


@pytest.fixture(autouse=True)
def env(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with only OPENAI_API_KEY set, to the secret key."""
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command in-process; return (exit status, stdout, stderr)."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def line(custom_id: str, method: str, url: str, body: Any = None) -> str:
    """One line of a requests file."""
    data: dict[str, Any] = {"custom_id": custom_id, "method": method, "url": url}
    if body is not None:
        data["body"] = body
    return json.dumps(data)


def get_model(custom_id: str, model: str) -> str:
    return line(custom_id, "GET", f"/v1/models/{model}")


def chat(custom_id: str, text: str) -> str:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]}
    return line(custom_id, "POST", "/v1/chat/completions", body)


def write_lines(path: Path, lines: list[str], *, mode: str = "w") -> None:
    with path.open(mode) as f:
        f.writelines(text + "\n" for text in lines)


def read_output(path: Path) -> list[dict[str, Any]]:
    """Every line of an output file, each checked to be complete JSON in the output format."""
    records = []
    raw = path.read_bytes()
    assert raw == b"" or raw.endswith(b"\n")
    for text in raw.decode().splitlines():
        record = json.loads(text)
        assert list(record) == ["id", "custom_id", "response", "error"]
        assert _BATCH_ID.fullmatch(record["id"]), record["id"]
        records.append(record)
    return records


def by_custom_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    ids = [r["custom_id"] for r in records]
    assert len(ids) == len(set(ids)), f"a custom_id answered twice: {ids}"
    return {r["custom_id"]: r for r in records}


def table(stdout: str) -> dict[str, str]:
    """The summary table as {label: value} (labels stripped of their indent)."""
    rows: dict[str, str] = {}
    for text in stdout.splitlines():
        m = re.fullmatch(r"\s*(\S(?:.*?\S)?)\s{2,}(\S.*)", text)
        if m:
            rows[m[1]] = m[2]
    return rows


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "requests.jsonl", tmp_path / "results.jsonl"


# -- the formats ----------------------------------------------------------------------------------


def test_every_kind_of_line_is_answered_in_the_batch_output_format(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    requests, results = files
    fake_openai.add_model("ft:gpt-4o-mini:acme::doomed", owned_by="user-acme")
    write_lines(
        requests,
        [
            get_model("get-ok", "gpt-4"),
            get_model("get-404", "no-such-model"),
            line("delete-ok", "DELETE", "/v1/models/ft:gpt-4o-mini:acme::doomed"),
            line("delete-403", "delete", "/v1/models/gpt-4"),
            chat("chat", "hello there"),
            line("assistant", "POST", "/v1/assistants", {"model": "gpt-4", "name": "A"}),
            line("list", "GET", "/v1/models?limit=5"),
        ],
    )
    status, out, err = run(
        capsys, "batch", str(requests), "-o", str(results), "--base-url", fake_openai.url
    )
    assert status == 0, err
    got = by_custom_id(read_output(results))
    assert set(got) == {
        "get-ok", "get-404", "delete-ok", "delete-403", "chat", "assistant", "list",
    }  # fmt: skip
    sent = {r.request_id: r for r in fake_openai.requests}
    assert len(sent) == 7
    for record in got.values():
        response = record["response"]
        assert record["error"] is None
        assert set(response) == {"status_code", "request_id", "body"}
        assert response["request_id"] in sent  # the server's own x-request-id

    def request_of(custom_id: str) -> Any:
        return sent[got[custom_id]["response"]["request_id"]]

    assert got["get-ok"]["response"]["status_code"] == 200
    assert got["get-ok"]["response"]["body"] == dict(fake_openai.models["gpt-4"])
    assert (request_of("get-ok").method, request_of("get-ok").path) == ("GET", "/v1/models/gpt-4")
    # an error status is an answer: its status and OpenAI's whole error body
    not_found = got["get-404"]["response"]
    assert not_found["status_code"] == 404
    assert not_found["body"]["error"]["code"] == "model_not_found"
    assert got["delete-ok"]["response"]["body"] == {
        "id": "ft:gpt-4o-mini:acme::doomed", "object": "model", "deleted": True,
    }  # fmt: skip
    assert "ft:gpt-4o-mini:acme::doomed" not in fake_openai.models
    assert request_of("delete-ok").raw_path == "/v1/models/ft:gpt-4o-mini:acme::doomed"
    forbidden = got["delete-403"]["response"]
    assert forbidden["status_code"] == 403
    assert forbidden["body"]["error"]["code"] == "insufficient_permissions"
    reply = got["chat"]["response"]["body"]
    assert reply["object"] == "chat.completion"
    assert reply["choices"][0]["message"]["content"] == "hello there"
    assert request_of("chat").json["messages"][0]["content"] == "hello there"
    assistant = got["assistant"]["response"]
    assert assistant["status_code"] == 200 and assistant["body"]["id"].startswith("asst_")
    assert request_of("assistant").headers["OpenAI-Beta"] == "assistants=v2"
    assert request_of("list").query["limit"] == "5"
    assert got["list"]["response"]["body"]["object"] == "list"
    # the summary on stdout, one final progress line on stderr (not a TTY here)
    rows = table(out)
    assert rows["request lines"] == "7"
    assert (rows["sent"], rows["ok"], rows["failed"]) == ("7", "5", "2")
    assert rows["404 NotFoundError"] == "1"
    assert rows["403 PermissionDeniedError"] == "1"
    assert rows["lines written"] == "7"
    assert re.fullmatch(r"batch \[#+\] 7/7 errors 2 .*\n", err), err
    assert SECRET not in out + err + results.read_text()


def test_responses_and_conversations_run_end_to_end(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    requests, results = files
    write_lines(
        requests,
        [
            line("respond", "POST", "/v1/responses", {"model": "gpt-4o-mini", "input": "hi"}),
            line("converse", "POST", "/v1/conversations", {"metadata": {"topic": "t"}}),
            line("missing", "GET", "/v1/responses/resp_missing"),
        ],
    )
    status, out, err = run(
        capsys, "batch", str(requests), "-o", str(results), "--base-url", fake_openai.url
    )
    assert status == 0, err
    got = by_custom_id(read_output(results))
    assert got["respond"]["response"]["status_code"] == 200
    assert got["respond"]["response"]["body"]["object"] == "response"
    assert got["converse"]["response"]["body"]["object"] == "conversation"
    assert got["converse"]["response"]["body"]["metadata"] == {"topic": "t"}
    assert got["missing"]["response"]["status_code"] == 404
    sent = sorted((r.method, r.path) for r in fake_openai.requests)
    assert sent == [
        ("GET", "/v1/responses/resp_missing"),
        ("POST", "/v1/conversations"),
        ("POST", "/v1/responses"),
    ]
    assert all("OpenAI-Beta" not in r.headers for r in fake_openai.requests)
    assert table(out)["bad lines (skipped)"] == "0"


def test_a_request_without_an_answer_has_response_null_and_an_error(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    requests, results = files
    write_lines(requests, [get_model("a", "gpt-4"), get_model("b", "gpt-4")])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
        status, out, err = run(
            capsys, "batch", str(requests), "-o", str(results), "--base-url", url,
            "--max-retries", "0",
        )  # fmt: skip
    assert status == 1, err  # every line is written, but without an answer
    assert err.splitlines()[-1] == (
        f'error: 2 requests got no answer (their lines in {results} have "error" set): '
        "re-run with --retry-failed to send them again"
    )
    got = by_custom_id(read_output(results))
    assert set(got) == {"a", "b"}
    for record in got.values():
        assert record["response"] is None
        assert record["error"] == {
            "code": "connection_error",
            "message": f"cannot connect to {url}/models/gpt-4: Connection refused",
        }
    assert table(out)["APIConnectionError"] == "2"


# -- resume ---------------------------------------------------------------------------------------


def test_rerunning_with_the_same_output_sends_only_what_is_not_answered(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    requests, results = files
    argv = ["batch", str(requests), "-o", str(results), "--base-url", fake_openai.url]
    write_lines(requests, [get_model(f"first-{i}", "gpt-4") for i in range(5)])
    assert run(capsys, *argv)[0] == 0
    assert len(fake_openai.requests) == 5

    write_lines(
        requests,
        [chat(f"more-{i}", f"hi {i}") for i in range(3)] + [get_model("no", "nope")],
        mode="a",
    )
    fake_openai.requests.clear()
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    assert len(fake_openai.requests) == 4  # only the new lines
    assert {r.path for r in fake_openai.requests} == {"/v1/chat/completions", "/v1/models/nope"}
    rows = table(out)
    assert (rows["already answered"], rows["sent"]) == ("5", "4")
    got = by_custom_id(read_output(results))
    assert set(got) == {*(f"first-{i}" for i in range(5)), *(f"more-{i}" for i in range(3)), "no"}

    fake_openai.requests.clear()
    status, out, _ = run(capsys, *argv)
    assert status == 0
    assert fake_openai.requests == []
    assert (table(out)["already answered"], table(out)["sent"]) == ("9", "0")
    assert len(read_output(results)) == 9


def test_retry_failed_sends_the_failed_requests_again(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    requests, results = files
    argv = ["batch", str(requests), "-o", str(results), "--base-url", fake_openai.url]
    write_lines(requests, [get_model("ok", "gpt-4"), get_model("flaky", "dall-e-3")])
    fake_openai.faults.push("GET /v1/models/dall-e-3", status=503, times=1)
    assert run(capsys, *argv, "--max-retries", "0")[0] == 0
    assert by_custom_id(read_output(results))["flaky"]["response"]["status_code"] == 503

    fake_openai.requests.clear()
    assert run(capsys, *argv)[0] == 0
    assert fake_openai.requests == []  # a failure is an answer: a plain re-run keeps it

    status, _, err = run(capsys, *argv, "--retry-failed")
    assert status == 0, err
    assert [r.path for r in fake_openai.requests] == ["/v1/models/dall-e-3"]
    got = by_custom_id(read_output(results))
    assert set(got) == {"ok", "flaky"}
    assert got["flaky"]["response"]["status_code"] == 200
    assert f"removed 1 failed answer from {results} to send it again" in err


def test_an_incomplete_last_line_is_dropped_and_its_request_sent_again(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    requests, results = files
    argv = ["batch", str(requests), "-o", str(results), "--base-url", fake_openai.url]
    write_lines(requests, [get_model("a", "gpt-4"), get_model("b", "dall-e-3")])
    assert run(capsys, *argv)[0] == 0
    whole = results.read_bytes()
    first, second = whole.splitlines(keepends=True)
    results.write_bytes(first + second[: len(second) // 2])  # a crash in the middle of a write
    torn_id = json.loads(second)["custom_id"]

    fake_openai.requests.clear()
    status, _, err = run(capsys, *argv)
    assert status == 0, err
    assert "dropped an incomplete last line" in err
    assert len(fake_openai.requests) == 1
    assert fake_openai.requests[0].path.endswith("/" + ("gpt-4" if torn_id == "a" else "dall-e-3"))
    assert set(by_custom_id(read_output(results))) == {"a", "b"}


def _wait_for(condition: Callable[[], bool], proc: subprocess.Popen[bytes]) -> None:
    """Poll ``condition`` until it holds (bounded); fail if the process ends first."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"the batch process exited early with status {proc.returncode}")
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {TIMEOUT}s")
        time.sleep(0.01)


def _half_stuck(
    fake: FakeOpenAI, files: tuple[Path, Path], *, fast: int, slow: int
) -> Callable[[], int]:
    """Write ``fast`` lookups (fast-N) then ``slow`` ones (slow-N) that hang until their client
    goes away; return a count of the lines written to the output."""
    requests, results = files
    fake.add_model("slow-model", owned_by="user")
    write_lines(
        requests,
        [get_model(f"fast-{i}", "gpt-4") for i in range(fast)]
        + [get_model(f"slow-{i}", "slow-model") for i in range(slow)],
    )
    fake.faults.push("GET /v1/models/slow-model", kind="delay", delay=120.0, times=100)
    return lambda: results.read_bytes().count(b"\n") if results.exists() else 0


def test_a_killed_run_loses_no_finished_line(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    requests, results = files
    lines_written = _half_stuck(fake_openai, files, fast=40, slow=12)

    proc = subprocess.Popen(
        [
            sys.executable, "-m", "aio_openai", "batch", str(requests), "-o", str(results),
            "--base-url", fake_openai.url, "--concurrency", "8",
        ],
        env=script_env(SECRET),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for(lambda: lines_written() >= 40, proc)
        _wait_for(lambda: fake_openai.faults.injected["delay"] >= 8, proc)  # all slots stuck
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=TIMEOUT)
    assert proc.returncode == -signal.SIGKILL
    killed = by_custom_id(read_output(results))  # every line complete JSON, none twice
    assert set(killed) == {f"fast-{i}" for i in range(40)}

    fake_openai.faults.clear()
    fake_openai.requests.clear()
    status, out, err = run(
        capsys, "batch", str(requests), "-o", str(results), "--base-url", fake_openai.url
    )
    assert status == 0, err
    assert len(fake_openai.requests) == 12  # only the unanswered slow lines
    got = by_custom_id(read_output(results))
    assert set(got) == {f"fast-{i}" for i in range(40)} | {f"slow-{i}" for i in range(12)}
    assert all(r["response"]["status_code"] == 200 for r in got.values())
    assert table(out)["already answered"] == "40"


# -- bad lines ------------------------------------------------------------------------------------


def test_ctrl_c_says_how_many_lines_were_written_and_that_a_rerun_resumes(
    fake_openai: FakeOpenAI, files: tuple[Path, Path]
) -> None:
    requests, results = files
    lines_written = _half_stuck(fake_openai, files, fast=21, slow=4)
    argv = ["batch", str(requests), "-o", str(results), "--base-url", fake_openai.url]

    proc = subprocess.Popen(
        [script(), *argv, "--concurrency", "4"],
        env=script_env(SECRET),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: lines_written() >= 21, proc)
        _wait_for(lambda: fake_openai.faults.injected["delay"] >= 4, proc)  # all slots stuck
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 130
    assert out == ""
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (
        f"error: interrupted: 21 lines written to {results}; run the same command again to "
        "resume (the requests answered there are skipped)"
    )
    assert len(read_output(results)) == 21

    fake_openai.faults.clear()
    status, out, err = run_script(*argv, api_key=SECRET)
    assert status == 0, err
    assert table(out)["already answered"] == "21"
    assert len(by_custom_id(read_output(results))) == 25


def test_requests_without_an_answer_exit_1_until_retry_failed_sends_them(
    fake_openai: FakeOpenAI, files: tuple[Path, Path]
) -> None:
    requests, results = files
    write_lines(requests, [get_model("a", "gpt-4"), get_model("b", "dall-e-3")])
    # b's only attempt is cut off: it gets no answer
    fake_openai.faults.push("GET /v1/models/dall-e-3", kind="reset", times=1)
    argv = ["batch", str(requests), "-o", str(results), "--base-url", fake_openai.url]
    status, _, err = run_script(*argv, "--max-retries", "0", api_key=SECRET)
    assert status == 1, err
    assert err.splitlines()[-1] == (
        f'error: 1 request got no answer (its line in {results} has "error" set): '
        "re-run with --retry-failed to send it again"
    )
    got = by_custom_id(read_output(results))
    assert got["b"]["response"] is None and got["b"]["error"]["code"] == "connection_error"

    status, _, err = run_script(*argv, "--retry-failed", api_key=SECRET)
    assert status == 0, err
    assert f"note: removed 1 failed answer from {results} to send it again" in err.splitlines()
    got = by_custom_id(read_output(results))
    assert got["b"]["response"]["status_code"] == 200


def test_a_bad_json_line_says_which_line_of_the_file_and_what_is_wrong(
    fake_openai: FakeOpenAI, files: tuple[Path, Path]
) -> None:
    requests, results = files
    good = [get_model(f"ok-{i}", "gpt-4") for i in range(8)]
    cut = get_model("cut", "gpt-4")[:-12]
    no_comma = '{"custom_id": "x" "method": "GET", "url": "/v1/models/gpt-4"}'
    write_lines(requests, [*good, "", cut, no_comma, "{'custom_id': 'single'}", "{} {}"])
    status, _, err = run_script(
        "batch", str(requests), "-o", str(results), "--base-url", fake_openai.url, api_key=SECRET
    )
    assert status == 1
    skipped = [line for line in err.splitlines() if ": skipped: " in line]
    assert skipped == [
        f"{requests}:10: skipped: not valid JSON: the line ends before the JSON value does"
        " (cut short?)",
        f"{requests}:11: skipped: not valid JSON: a ',' is missing between two items, at column 19",
        f"{requests}:12: skipped: not valid JSON: a key is not in double quotes, at column 2",
        f"{requests}:13: skipped: not valid JSON: more text follows the JSON value, at column 4",
    ]
    assert err.splitlines()[-1] == "error: 4 bad lines skipped (see above)"
    assert len(read_output(results)) == 8


def test_bad_lines_are_reported_with_their_line_number_and_skipped(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    requests, results = files
    write_lines(
        requests,
        [
            get_model("good-1", "gpt-4"),  # 1
            "{not json",  # 2
            json.dumps({"method": "GET", "url": "/v1/models/gpt-4"}),  # 3: no custom_id
            line("nope", "POST", "/v1/nope", {}),  # 4: unknown url
            line("patch", "PATCH", "/v1/models/gpt-4"),  # 5: unsupported method
            get_model("good-1", "dall-e-3"),  # 6: duplicate custom_id
            "",  # 7: blank lines are not requests
            line("body", "GET", "/v1/models/gpt-4", {"x": 1}),  # 8: GET with a body
            line("stream", "POST", "/v1/chat/completions", {"model": "m", "stream": True}),  # 9
            "[1, 2]",  # 10
            chat("good-2", "hi"),  # 11
        ],
    )
    status, out, err = run(
        capsys, "batch", str(requests), "-o", str(results), "--base-url", fake_openai.url
    )
    assert status == 1  # the output lacks the bad lines: not everything was answered
    reported = [text for text in err.splitlines() if ": skipped: " in text]
    prefix = f"{requests}:"
    assert [text.removeprefix(prefix).split(":")[0] for text in reported] == [
        "2", "3", "4", "5", "6", "8", "9", "10",
    ]  # fmt: skip
    messages = "\n".join(reported)
    assert "2: skipped: not valid JSON" in messages
    assert "3: skipped: missing custom_id" in messages
    assert "4: skipped: 'nope': unknown url '/v1/nope'" in messages
    assert "5: skipped: 'patch': method PATCH not supported for /v1/models/{id}" in messages
    assert "6: skipped: duplicate custom_id 'good-1' (first on line 1)" in messages
    assert "8: skipped: 'body': a GET request takes no body" in messages
    assert "9: skipped: 'stream': streaming is not supported" in messages
    assert "10: skipped: not a JSON object" in messages
    assert err.splitlines()[-1] == "error: 8 bad lines skipped (see above)"
    got = by_custom_id(read_output(results))
    assert set(got) == {"good-1", "good-2"}
    assert got["good-1"]["response"]["body"]["id"] == "gpt-4"  # the first line of its id
    assert len(fake_openai.requests) == 2
    rows = table(out)
    assert (rows["request lines"], rows["bad lines (skipped)"], rows["sent"]) == ("10", "8", "2")


@pytest.mark.parametrize(
    ("method", "url", "why"),
    [
        ("GET", "https://api.openai.com/v1/models", "expected a path like"),
        ("GET", "/models/gpt-4", "expected a path like"),
        ("GET", "/v1/models/../files", "unknown url"),
        ("GET", "/v1/models//x", "unknown url"),
        ("GET", "/v1/dashboard/billing", "not an endpoint this client speaks"),
        ("POST", "/v1/models", "method POST not supported for /v1/models (use GET)"),
    ],
)
def test_urls_outside_the_client_are_bad_lines(method: str, url: str, why: str) -> None:
    with pytest.raises(BadLine, match=re.escape(why)):
        parse_request(line("x", method, url), 7)


def test_every_endpoint_parses_and_keeps_its_ids_quoted() -> None:
    for endpoint in endpoints():
        if "?" in endpoint.path:  # a beta variant (?beta=true): its line is the GA endpoint's
            continue
        url = endpoint.describe("a%20b%2Fc")  # an id with a space and a slash, percent-encoded
        body = {"model": "m"} if endpoint.method == "POST" else None
        request = parse_request(line("x", endpoint.method, url, body), 1)
        assert request.endpoint == endpoint
        assert request.path == url.removeprefix("/v1")  # the id stays one quoted segment
    # "/threads/runs" is create-and-run, not an update of a thread called "runs"
    created = parse_request(line("x", "POST", "/v1/threads/runs"), 1).endpoint
    assert (created.path, created.name) == ("/threads/runs", "create_and_run")
    with pytest.raises(BadLine, match=re.escape("not supported for /v1/threads/runs (use POST)")):
        parse_request(line("x", "GET", "/v1/threads/runs"), 1)


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/v1/responses", {"model": "gpt-4o-mini", "input": "hi"}),
        ("GET", "/v1/responses/resp_1?include[]=x", None),
        ("DELETE", "/v1/responses/resp_1", None),
        ("POST", "/v1/responses/resp_1/cancel", None),
        ("GET", "/v1/responses/resp_1/input_items?limit=2", None),
        ("POST", "/v1/conversations", {"metadata": {"a": "b"}}),
        ("GET", "/v1/conversations/conv_1", None),
        ("POST", "/v1/conversations/conv_1/items", {"items": []}),
        ("DELETE", "/v1/conversations/conv_1/items/msg_1", None),
    ],
)
def test_responses_and_conversations_lines_are_accepted(
    method: str, url: str, body: dict[str, Any] | None
) -> None:
    request = parse_request(line("x", method, url, body), 1)
    assert (request.method, request.path) == (method, url.removeprefix("/v1").split("?")[0])
    assert request.endpoint.metered == (url == "/v1/responses")


# -- failures of the whole run --------------------------------------------------------------------


def test_a_refused_key_stops_the_run_and_a_rerun_with_the_right_key_finishes(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    requests, results = files
    write_lines(requests, [get_model(f"m-{i}", "gpt-4") for i in range(500)])
    argv = ["batch", str(requests), "-o", str(results), "--concurrency", "8"]
    with FakeOpenAI(api_keys={"sk-right"}).running_in_thread() as fake:
        status, out, err = run(capsys, *argv, "--base-url", fake.url)
        refused = len(fake.requests)
        assert status == 1
        assert refused <= 8 + 1  # the calls in flight, no more
        last = err.splitlines()[-1]
        assert last.startswith("error: batch stopped: authentication failed (401")
        assert "re-run to send them" in last and "500 requests left without an answer" in last
        assert results.read_bytes() == b""  # a 401 says nothing about a request: not written
        assert table(out)["left for a re-run"] == "500"
        assert SECRET not in out + err

        monkeypatch.setenv("OPENAI_API_KEY", "sk-right")
        fake.requests.clear()
        status, out, err = run(capsys, *argv, "--base-url", fake.url)
        assert status == 0, err
        assert len(fake.requests) == 500
    assert len(by_custom_id(read_output(results))) == 500


def test_insufficient_quota_stops_the_run(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    requests, results = files
    write_lines(requests, [chat(f"c-{i}", "hi") for i in range(100)])
    fake_openai.faults.push("*", kind="insufficient_quota", times=1000)
    status, _, err = run(
        capsys, "batch", str(requests), "-o", str(results), "--base-url", fake_openai.url,
        "--concurrency", "4",
    )  # fmt: skip
    assert status == 1
    assert "error: batch stopped: insufficient_quota" in err
    assert len(fake_openai.requests) <= 4 + 1
    assert results.read_bytes() == b""


def test_the_api_key_never_shows_even_when_the_server_echoes_it(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    requests, results = files
    write_lines(requests, [get_model("echo", SECRET), get_model(SECRET, "gpt-4"), "{bad"])
    status, out, err = run(
        capsys, "-vv", "batch", str(requests), "-o", str(results), "--base-url", fake_openai.url
    )
    assert status == 1  # the bad line
    assert {r.headers["Authorization"] for r in fake_openai.requests} == {f"Bearer {SECRET}"}
    text = results.read_text()
    assert "The model '<redacted>' does not exist" in text
    for where in (out, err, text):
        assert SECRET not in where


# -- usage ----------------------------------------------------------------------------------------


def test_usage_errors_exit_2(
    fake_openai: FakeOpenAI, capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    requests, results = files
    base = ["--base-url", fake_openai.url]
    status, _, err = run(capsys, "batch", str(requests), "-o", str(results), *base)
    assert status == 2 and err == f"error: cannot read {requests}: No such file or directory\n"

    write_lines(requests, [get_model("a", "gpt-4")])
    status, _, err = run(capsys, "batch", str(requests), "-o", str(requests), *base)
    assert status == 2 and "the output file is the requests file" in err
    assert run(capsys, "batch", str(requests), *base)[0] == 2  # -o is required
    assert run(capsys, "batch", str(requests), "-o", str(results), "--concurrency", "0")[0] == 2

    results.write_text('{"id": 1}\n')
    status, _, err = run(capsys, "batch", str(requests), "-o", str(results), *base)
    assert status == 2
    assert err == (f"error: {results}:1: not a batch output line (no custom_id)"
                   " (is -o the right file?)\n")  # fmt: skip
    assert fake_openai.requests == []


def test_help_lists_the_endpoints_and_the_exit_statuses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "batch", "--help")
    assert status == 0
    for word in ("--concurrency", "--retry-failed", "OUTPUT", "batch_req_", "exit status"):
        assert word in out
    for endpoint in endpoints():
        assert endpoint.describe("ID") in out
    status, out, _ = run(capsys, "--help")
    assert "batch" in out


def test_read_answered_of_a_missing_file_is_empty(tmp_path: Path) -> None:
    assert read_answered(tmp_path / "none.jsonl") == (set(), [])


# -- the demo runs its bulk lookup on fan_out -----------------------------------------------------


def test_demo_with_a_refused_key_stops_after_the_calls_in_flight(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with FakeOpenAI(api_keys={"sk-right"}).running_in_thread() as fake:
        status, out, err = run(
            capsys, "demo", "--requests", "2000", "--concurrency", "8", "--base-url", fake.url
        )
        sent = len(fake.requests)
    assert status == 1
    assert sent <= 8 + 1
    rows = table(out)
    assert rows["requests"] == str(sent)
    assert rows["AuthenticationError"] == str(sent)
    last = err.splitlines()[-1]
    assert last.startswith(
        f"error: bulk model lookup: stopped after {sent} of 2000 lookups, authentication failed"
    )
    assert "401 AuthenticationError: Incorrect API key provided" in last
    assert SECRET not in out + err
