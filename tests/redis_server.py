"""A throwaway redis-server on a free loopback port, for the tests and benchmarks that need one.

Tests that need Redis call :func:`require_redis` first: it skips them, with the reason, when
``redis-server`` is not on PATH or the ``redis`` package is missing, and fails them instead
when ``AIO_OPENAI_REQUIRE_REDIS=1`` (``.ci/run`` sets it, so CI cannot pass by skipping them).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
from typing import IO, Final

import pytest

#: Set to 1 to turn "Redis is not available here" from a skip into a failure.
REQUIRE_ENV: Final = "AIO_OPENAI_REQUIRE_REDIS"

_READY: Final = "Ready to accept connections"


def missing_reason() -> str | None:
    """Why the Redis tests cannot run here, or None when they can."""
    if shutil.which("redis-server") is None:
        return "redis-server is not on PATH (Debian: apt-get install redis-server)"
    try:
        import redis.asyncio  # noqa: F401
    except ImportError:
        return "the redis package is missing (pip install 'aio_openai[redis]')"
    return None


def require_redis() -> None:
    """Skip the calling test when Redis cannot run here; fail it when REQUIRE_ENV is 1."""
    reason = missing_reason()
    if reason is None:
        return
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason}; {REQUIRE_ENV}=1 requires the Redis tests to run", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RedisServer:
    """``redis-server`` in a child process: no persistence, loopback only, its own port.

    :meth:`start` returns once the server accepts connections (it says so on its output);
    :meth:`kill` ends it at once (SIGKILL, as a crash would), :meth:`stop` politely; both can
    be followed by :meth:`start` again, on the same port.
    """

    def __init__(self, port: int | None = None) -> None:
        self.port = port if port is not None else free_port()
        self._process: subprocess.Popen[str] | None = None
        self.output: list[str] = []

    @property
    def url(self) -> str:
        """The ``redis://`` URL of database 0."""
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 20.0) -> None:
        """Start the server and wait until it accepts connections."""
        if self.running:
            raise RuntimeError("redis-server is already running")
        process = subprocess.Popen(
            [
                "redis-server",
                "--save",
                "",
                "--appendonly",
                "no",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        self._process = process
        ready = threading.Event()
        assert process.stdout is not None
        threading.Thread(target=self._drain, args=(process.stdout, ready), daemon=True).start()
        if not ready.wait(timeout) or process.poll() is not None:
            self.kill()
            raise RuntimeError("redis-server did not start:\n" + "".join(self.output[-20:]))

    def _drain(self, stream: IO[str], ready: threading.Event) -> None:
        """Read the server's output (so it never blocks on a full pipe); note when it is ready."""
        with stream:
            for line in stream:
                self.output.append(line)
                if _READY in line:
                    ready.set()
        ready.set()  # the process ended: start() looks at why

    def kill(self) -> None:
        """End the server at once, as a crash would (no-op when it is not running)."""
        self._end(signal.SIGKILL)

    def stop(self) -> None:
        """Shut the server down (no-op when it is not running)."""
        self._end(signal.SIGTERM)

    def _end(self, sig: signal.Signals) -> None:
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._process = None
