"""Smoke test of benchmarks/hostile.py: it runs to the end and prints its figures."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "hostile.py"


def test_hostile_benchmark_small() -> None:
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
    out = done.stdout
    for case in ("control", "200", "400", "200/1MiB"):
        assert any(line.startswith(f"{case} ") for line in out.splitlines()), out
    assert out.count("ResponseTooLargeError") == 3  # every bomb stopped at the cap
    counts = re.search(r"attempts ([\d,]+)  server saw ([\d,]+)", out)
    assert counts is not None, out
    assert counts[1] == counts[2]  # every request on the wire was a counted attempt
