"""What several benchmarks share: the text table, the versions line, the FakeOpenAI child process.

The benchmarks run as scripts (``python benchmarks/x.py``), so this folder is on ``sys.path``
and they import this module as ``_common``.
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import resource
from collections.abc import Callable, Sequence
from typing import Any

import aiohttp

import aio_openai
from aio_openai import APIStatusError


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table, first column left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        parts = [row[0].ljust(widths[0])]
        parts += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


# -- memory -----------------------------------------------------------------------------------


def status_kb(field: str) -> int | None:
    """A ``/proc/self/status`` field in kB (VmRSS, VmHWM), None where there is no /proc."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak() -> str:
    """Reset the RSS high-water mark to the current RSS; return how peaks are measured."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return "ru_maxrss (not reset: includes the start-up peak)"
    return "VmHWM after the run - VmRSS before it (high-water mark reset after warm-up)"


def rss_kb() -> int:
    """The current RSS in kB."""
    value = status_kb("VmRSS")
    if value is not None:
        return value
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peak_kb() -> int:
    """The RSS high-water mark in kB."""
    value = status_kb("VmHWM")
    if value is not None:
        return value
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def cores() -> int:
    """CPU cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def sdk_available() -> bool:
    """Whether the official ``openai`` package can be imported."""
    try:
        import openai  # noqa: F401
    except ImportError:
        return False
    return True


def versions(*others: str, sdk: bool = False) -> str:
    """The versions that matter for the figures: Python, aio_openai, aiohttp, then ``others``
    (``"name version"``) and, with ``sdk``, the official SDK's when it is installed."""
    parts = [
        f"Python {platform.python_version()}",
        f"aio_openai {aio_openai.__version__}",
        f"aiohttp {aiohttp.__version__}",
        *others,
    ]
    if sdk and sdk_available():
        import openai

        parts.append(f"openai {openai.__version__}")
    return ", ".join(parts)


def error_class(exc: BaseException) -> str:
    """The error class of a failed aio_openai call, with the status of a status error."""
    if isinstance(exc, APIStatusError):
        return f"{type(exc).__name__} {exc.status_code}"
    return type(exc).__name__


class ServerProcess:
    """The parent's handle on one FakeOpenAI child process, ``serve(conn, *args)``.

    ``serve`` sends the server's URL on ``conn``, waits for "stop", then sends what the server
    saw. A server can be started ahead of its run (an idle one costs no CPU): ``url`` waits for
    the child to listen.
    """

    def __init__(self, serve: Callable[..., None], *args: object) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(target=serve, args=(child, *args), daemon=True)
        self._process.start()
        child.close()
        self._url: str | None = None

    @property
    def url(self) -> str:
        """The server's base URL (waits for the child to listen)."""
        if self._url is None:
            if not self._conn.poll(60):
                raise RuntimeError("the FakeOpenAI child process did not start")
            self._url = self._conn.recv()
        return self._url

    def stop(self) -> Any:
        """Stop the server and return what it saw."""
        _ = self.url
        self._conn.send("stop")
        report = self._conn.recv()
        self._process.join(timeout=30)
        return report

    def kill(self) -> None:
        """End the child if it is still running (after an error)."""
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=10)
