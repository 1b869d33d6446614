"""The real ``aio-openai`` command in a subprocess: ``serve-fake`` and calls against it.

:class:`ServeFake` runs ``aio-openai serve-fake ARGS`` and reads the URL from its first line;
:func:`aio_openai` runs any other command to the end. Waits are bounded, never slept.
"""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Final

import pytest

#: Bounded waits of the subprocesses (seconds).
TIMEOUT: Final = 30.0

_LISTENING: Final = "FakeOpenAI listening on "

__all__ = ["TIMEOUT", "ServeFake", "aio_openai", "clean_env", "script"]


def script() -> str:
    """The installed ``aio-openai`` console script, next to this Python or on PATH."""
    candidate = Path(sys.executable).parent / "aio-openai"
    found = str(candidate) if candidate.exists() else shutil.which("aio-openai")
    if found is None:
        pytest.fail("the aio-openai script is not installed (pip install -e .)")
    return found


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any OPENAI_* variable, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env.update(extra)
    return env


def aio_openai(
    *argv: str, env: Mapping[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``aio-openai ARGV`` to the end; its status, stdout and stderr."""
    return subprocess.run(
        [script(), *argv],
        env=dict(env) if env is not None else clean_env(),
        input=input,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


class ServeFake:
    """``aio-openai serve-fake ARGS`` in a child process, for a ``with`` block.

    ``url`` is the base URL it printed; leaving the block sends SIGTERM and waits for it to
    end (``returncode``, ``stdout`` and ``stderr`` are then set).
    """

    def __init__(self, *args: str, cwd: str | Path | None = None) -> None:
        self.args = [script(), "serve-fake", *args]
        self.cwd = cwd
        self.url = ""
        self.returncode: int | None = None
        self.stdout = ""
        self.stderr = ""
        self._proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ServeFake:
        proc = subprocess.Popen(
            self.args,
            cwd=self.cwd,
            env=clean_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._proc = proc
        line = self._first_line(proc)
        if not line.startswith(_LISTENING):
            self._end(signal.SIGKILL)
            pytest.fail(f"{self.args!r} said {line!r}, then {self.stderr!r}")
        self.url = line.removeprefix(_LISTENING).strip()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._end(signal.SIGTERM)

    @staticmethod
    def _first_line(proc: subprocess.Popen[bytes]) -> str:
        assert proc.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stdout, selectors.EVENT_READ)
            if not selector.select(TIMEOUT):
                return ""
        return proc.stdout.readline().decode()

    def _end(self, sig: signal.Signals) -> None:
        proc = self._proc
        if proc is None:
            return
        self._proc = None
        if proc.poll() is None:
            proc.send_signal(sig)
        try:
            out, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate(timeout=TIMEOUT)
        self.returncode = proc.returncode
        self.stdout, self.stderr = out.decode(), err.decode()
