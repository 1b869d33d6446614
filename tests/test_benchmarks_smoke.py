"""Smoke tests of the benchmarks: they run to the end and print their tables (no timings)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def run_benchmark(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``benchmarks/<script>`` with this interpreter; return the finished process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )


def test_retry_benchmark_small() -> None:
    # --delay-scale shrinks every contestant's backoff alike: the smoke test checks the run,
    # not the figures
    done = run_benchmark("retry.py", "--small", "--delay-scale", "0.1")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "random faults, 300 calls" in out
    assert "total outage (100% 503), 200 calls" in out
    for header in ("ok", "failed", "lost", "wrong", "attempts", "att/call", "wall s"):
        assert header in out
    rows = [line for line in out.splitlines() if line.startswith("aio_openai (budget)")]
    assert len(rows) == 2  # one per scenario
    assert any(line.startswith("aio_openai (no budget)") for line in out.splitlines())
    assert "SDK" in out
    assert "backoff delays x0.1 (all alike)" in out
    assert "checks: zero lost or wrong results" in out
    assert "CHECK FAILED" not in out


def test_hostile_benchmark_small() -> None:
    done = run_benchmark("hostile.py", "--small")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    for case in ("control", "200", "400", "200/1MiB"):
        assert any(line.startswith(f"{case} ") for line in out.splitlines()), out
    assert out.count("ResponseTooLargeError") == 3  # every bomb stopped at the cap
    counts = re.search(r"attempts ([\d,]+)  server saw ([\d,]+)", out)
    assert counts is not None, out
    assert counts[1] == counts[2]  # every request on the wire was a counted attempt


def test_stream_helpers_benchmark_small() -> None:
    done = run_benchmark("stream_helpers.py", "--small")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    for row in (
        "chat create(stream=True)",
        "chat stream(response_format=T)",
        "responses.stream(text_format=T)",
    ):
        assert any(line.startswith(row) for line in out.splitlines()), out
    assert "aio_openai chat helper / plain stream:" in out


def test_upload_benchmark_small() -> None:
    done = run_benchmark("upload.py", "--small")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith(("1 file", "50 small"))]
    assert [row.split(":")[1].split()[0] for row in rows] == ["aio_openai", "SDK"] * 2, rows
