"""The installed ``aio-openai`` command, run in a subprocess as a user would run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

#: The longest one run may take (a guard against hangs, not a timing).
TIMEOUT: Final = 60.0

#: Variables of the test's environment that would change what the command does.
_DROPPED: Final = ("OPENAI_", "SSL_CERT_", "PYTHONWARNINGS", "COLUMNS", "LINES")


def script() -> str:
    """The ``aio-openai`` console script next to this Python, else on PATH."""
    candidate = Path(sys.executable).parent / "aio-openai"
    found = str(candidate) if candidate.exists() else shutil.which("aio-openai")
    if found is None:
        pytest.fail("the aio-openai script is not installed (pip install -e .)")
    return found


def script_env(api_key: str, **extra: str) -> dict[str, str]:
    """This environment without what would change the command's behaviour, with the key
    in OPENAI_API_KEY, and ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_DROPPED)}
    env["OPENAI_API_KEY"] = api_key
    env.update(extra)
    return env


def run_script(
    *argv: str, api_key: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """Run ``aio-openai ARGV``; return (exit status, stdout, stderr).

    Fails the test when the key shows in the output or stderr holds a traceback.
    """
    done = subprocess.run(
        [script(), *argv],
        input=stdin,
        env=script_env(api_key, **(env or {})),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert api_key not in done.stdout + done.stderr, "the API key was printed"
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr
