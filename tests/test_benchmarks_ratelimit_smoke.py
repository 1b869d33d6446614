"""Smoke test of benchmarks/ratelimit.py: it runs to the end and prints its tables (no timings)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from redis_server import missing_reason

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "ratelimit.py"


def test_ratelimit_benchmark_small() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--small", "--no-plot"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("requests run: 600 requests/min") for line in lines)
    assert any(line.startswith("tokens run: 20,000 tokens/min") for line in lines)
    for header in ("calls ok", "failed", "cut", "attempts", "429s", "429 share", "wall s"):
        assert header in done.stdout
    shared = missing_reason() is None  # the Redis contestant runs where Redis can
    contestants = ("aio_openai", "retry-only", "cookbook") + (("shared:",) if shared else ())
    for contestant in contestants:
        rows = [line for line in lines if line.startswith(contestant)]
        assert len(rows) == 2, (contestant, done.stdout)  # one per run
    # the targets are reported, met or not (a 1 s run is all burst: no figure is checked here)
    targets = [line for line in lines if line.startswith(("met", "MISSED"))]
    assert len(targets) == 5 + (2 if shared else 0), done.stdout
    assert sum("RedisRateLimiter within" in line for line in targets) == (2 if shared else 0)
    assert "Traceback" not in done.stderr
