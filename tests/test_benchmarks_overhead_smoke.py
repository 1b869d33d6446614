"""benchmarks/overhead.py and own_overhead.py still run (tiny sizes; no figure is checked)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_overhead_small_runs_and_prints_its_table() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "overhead.py"), "--small", "--no-sdk"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    assert "Client CPU per call" in out
    for contestant in ("raw aiohttp", "aio_openai"):
        for case in ("retrieve", "list", "chat", "stream", "responses", "embeddings"):
            assert re.search(rf"^{contestant} +{case} +[0-9.]+ ", out, re.M), (contestant, case)
    assert "AsyncOpenAI() construction:" in out
    assert re.search(r"^  (met   |MISSED)  stream ", out, re.M)  # the targets are judged


def test_own_overhead_runs() -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "own_overhead.py"),
            "--calls",
            "500",
            "--rounds",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    for call in ("models.retrieve", "models.list", "assistants.create"):
        assert f"{call} " in out and "µs/call" in out
