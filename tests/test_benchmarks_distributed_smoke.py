"""Smoke test of benchmarks/distributed.py: it runs to the end and prints its table (no timings).

Skips like the Redis tests when redis-server or the redis package is missing (and fails
instead under AIO_OPENAI_REQUIRE_REDIS=1, as in CI).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from redis_server import require_redis

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "distributed.py"


def test_distributed_benchmark_small() -> None:
    require_redis()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--small"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("2 workers x 10, 600 requests/min") for line in lines)
    for header in ("calls ok", "failed", "cut", "attempts", "429s", "429 share", "fallback"):
        assert header in done.stdout
    assert sum(line.startswith("shared: RedisRateLimiter") for line in lines) == 1
    assert sum(line.startswith("local: RateLimiter each") for line in lines) == 1
    # the targets are reported, met or not (a 1.5 s run is mostly burst: no figure is checked)
    assert sum(line.startswith(("met", "MISSED")) for line in lines) == 3
    assert "Traceback" not in done.stderr
