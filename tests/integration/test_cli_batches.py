"""``aio-openai batch --submit`` and ``aio-openai batches submit|status|results`` against a real
FakeOpenAI (in a thread): the run's summary, the answers in the batch output format, one
``error:`` line with exit status 2 for bad usage (1 for a refused call), Ctrl-C cancelling the
batches the run submitted."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path
from typing import Any, Final

import pytest
from cli_script import script, script_env

from aio_openai.cli import main
from aio_openai.testing import FakeOpenAI

SECRET: Final = "sk-SECRET-cli-batches-42"
CHAT: Final = "/v1/chat/completions"
#: The longest a bounded wait may take (a guard against hangs, not a timing).
TIMEOUT: Final = 30.0


@pytest.fixture(autouse=True)
def env(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)


def cli(capsys: pytest.CaptureFixture[str], fake: FakeOpenAI, *argv: str) -> tuple[int, str, str]:
    status = main([*argv, "--base-url", fake.url])
    out, err = capsys.readouterr()
    assert SECRET not in out and SECRET not in err
    assert "Traceback" not in err
    return status, out, err


def requests_file(path: Path, n: int = 4) -> Path:
    lines = [
        {
            "custom_id": f"r{i}",
            "method": "POST",
            "url": CHAT,
            "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"{i}"}]},
        }
        for i in range(n)
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    return path


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(text) for text in path.read_text().splitlines()]


def test_batch_submit_writes_the_answers_and_the_summary(
    capsys: pytest.CaptureFixture[str], fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    requests, out = requests_file(tmp_path / "in.jsonl"), tmp_path / "out.jsonl"
    status, stdout, err = cli(
        capsys, fake_openai, "batch", str(requests), "-o", str(out), "--submit",
        "--poll-interval", "0.001",
    )  # fmt: skip
    assert status == 0, err
    got = records(out)
    assert [r["custom_id"] for r in got] == ["r0", "r1", "r2", "r3"]
    assert all(list(r) == ["id", "custom_id", "response", "error"] for r in got)
    assert [r["response"]["body"]["choices"][0]["message"]["content"] for r in got] == [
        "0", "1", "2", "3",
    ]  # fmt: skip
    assert "submitted batch_" in err and "completed: its answers are written" in err
    assert "lines written        4" in stdout
    [batch_id] = [x.split(":")[0].split()[-1] for x in err.splitlines() if "submitted" in x]

    status, stdout, _ = cli(capsys, fake_openai, "batches", "status", batch_id)
    shown = json.loads(stdout)
    assert (shown["id"], shown["status"]) == (batch_id, "completed")

    again = tmp_path / "again.jsonl"
    status, _, err = cli(
        capsys, fake_openai, "batches", "results", batch_id, "-o", str(again),
        "--poll-interval", "0.001",
    )  # fmt: skip
    assert status == 0, err
    assert [r["response"] for r in records(again)] == [r["response"] for r in got]


def test_batches_submit_resumes_from_batch_ids(
    capsys: pytest.CaptureFixture[str], fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    requests, out = requests_file(tmp_path / "in.jsonl", 2), tmp_path / "out.jsonl"
    text = requests.read_bytes()
    file_id = fake_openai.state.files.add_file(text, purpose="batch")["id"]
    created = fake_openai.state.batches.create(
        {"input_file_id": file_id, "endpoint": CHAT, "completion_window": "24h"}
    )
    status, _, err = cli(
        capsys, fake_openai, "batches", "submit", str(requests), "-o", str(out),
        "--batch-id", created["id"], "--poll-interval", "0.001",
    )  # fmt: skip
    assert status == 0, err
    assert [r["custom_id"] for r in records(out)] == ["r0", "r1"]
    assert "submitted" not in err  # resumed, nothing submitted


def test_bad_usage_is_one_error_line_and_status_2(
    capsys: pytest.CaptureFixture[str], fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.jsonl"
    out = str(tmp_path / "out.jsonl")
    status, stdout, err = cli(capsys, fake_openai, "batch", str(missing), "-o", out, "--submit")
    assert (status, stdout) == (2, "")
    assert err == f"error: cannot read {missing}: No such file or directory\n"
    status, _, err = cli(capsys, fake_openai, "batches", "status", "")
    assert (status, err) == (2, "error: BATCH_ID: an id must not be empty\n")
    status, _, err = cli(
        capsys, fake_openai, "batches", "results", "batch_1", "-o", out, "--poll-interval", "0"
    )
    assert status == 2  # argparse's usage and error, as for every command's options
    assert "error: argument --poll-interval: must be a positive number of seconds" in err
    status, _, err = cli(capsys, fake_openai, "batches", "submit", str(missing), "-o", out)
    assert status == 2 and err.startswith("error: cannot read")
    assert fake_openai.requests == []


def test_a_refused_call_is_one_error_line_and_status_1(
    capsys: pytest.CaptureFixture[str], fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    status, stdout, err = cli(capsys, fake_openai, "batches", "status", "batch_nope")
    assert (status, stdout) == (1, "")
    assert err.startswith("error: 404 NotFoundError: No batch found") and err.count("\n") == 1
    status, _, err = cli(
        capsys, fake_openai, "batches", "results", "batch_nope", "-o", str(tmp_path / "o")
    )
    assert status == 1 and err.startswith("error: 404 NotFoundError")
    assert err.count("\n") == 1


def test_ctrl_c_cancels_the_batches_it_submitted(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    fake_openai.state.batches.configure(polls=1_000_000)
    requests, out = requests_file(tmp_path / "in.jsonl"), tmp_path / "out.jsonl"
    argv = ["batch", str(requests), "-o", str(out), "--submit", "--base-url", fake_openai.url]
    proc = subprocess.Popen(
        [script(), *argv, "--poll-interval", "0.01"],
        env=script_env(SECRET),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def looked() -> bool:
        return any(r.method == "GET" and "/batches/" in r.path for r in list(fake_openai.requests))

    try:
        deadline = time.monotonic() + TIMEOUT
        while not looked():
            assert proc.poll() is None, "the run ended early"
            assert time.monotonic() < deadline, "no look at a batch"
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (
        f"error: interrupted: 0 lines written to {out}; the batches this run submitted "
        "were cancelled"
    )
    batch_ids = [r.path.rsplit("/", 2)[-2] for r in fake_openai.requests if "cancel" in r.path]
    assert len(batch_ids) == 1
    assert fake_openai.state.batches.retrieve(batch_ids[0])["status"] == "cancelling"
