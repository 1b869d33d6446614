"""Smoke test of benchmarks/fanout.py: it runs to the end and prints its tables (no timings)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "fanout.py"


def test_fanout_benchmark_small() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--small"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("1,000 calls, concurrency 256") for line in lines)
    for header in ("peak MB", "req/s", "wall s", "client CPU s", "ok", "wrong", "CPU us/item"):
        assert header in done.stdout
    for contestant in ("fan_out", "gather + Semaphore", "aiometer"):
        rows = [line for line in lines if line.startswith(contestant)]
        # the main table, the one by input size and the helpers' own cost
        assert len(rows) == 3, (contestant, done.stdout)
        assert " 1,000 " in rows[0]  # every call returned the model asked for
    assert "peak MB = peak memory growth: " in done.stdout
    # the targets are reported, met or not (1,000 calls say nothing about them)
    assert sum(line.startswith(("met", "MISSED")) for line in lines) == 3
    assert "CHECK FAILED" not in done.stdout
    assert "Traceback" not in done.stderr
