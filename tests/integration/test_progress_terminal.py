"""Progress bars on real terminals: pseudo-terminals of 40, 80 and 200 columns.

Each test runs the real code in a subprocess whose stderr (and, where the test says, stdout)
is a pty of a given width, reads everything it writes, and replays it on a small terminal
model (carriage return, line feed, the few escape sequences tqdm uses). The checks: no draw
ever goes past the last column (it would wrap, and every redraw would scroll), every line
the program printed is there whole, and the only bar left on the screen is the final one.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from collections.abc import Iterator
from typing import Final

import pytest
from cli_script import script, script_env

from aio_openai.testing import SEED_MODELS, FakeOpenAI

TIMEOUT: Final = 60.0
COLUMNS: Final = (40, 80, 200)
SECRET: Final = "sk-SECRET-progress-2b7d"

#: 150 lookups: the seed models in turn, and every tenth one a model that does not exist.
IDS: Final = [
    f"no-such-model-{i}" if i % 10 == 9 else SEED_MODELS[i % len(SEED_MODELS)].id
    for i in range(150)
]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(record_requests=False).running_in_thread() as server:
        yield server


class Terminal:
    """What a terminal shows after some output: lines of characters, a cursor, no wrapping
    (how far each run of characters reached is kept in ``runs`` instead)."""

    _CSI = re.compile(r"\x1b\[(\d*)([A-Za-z])")

    def __init__(self) -> None:
        self.lines: list[list[str]] = [[]]
        self.row = 0
        self.col = 0
        #: (the column it ended at, the text) of each run of characters between controls
        self.runs: list[tuple[int, str]] = []

    def feed(self, text: str) -> None:
        i = 0
        run = ""
        while i < len(text):
            ch = text[i]
            if ch in "\x1b\r\n\b" and run:
                self.runs.append((self.col, run))
                run = ""
            if ch == "\x1b":
                m = self._CSI.match(text, i)
                assert m, f"an escape sequence this model does not know: {text[i : i + 8]!r}"
                n = int(m[1] or 1)
                if m[2] == "A":  # cursor up
                    self.row = max(self.row - n, 0)
                elif m[2] == "K":  # erase to the end of the line
                    del self.lines[self.row][self.col :]
                else:
                    raise AssertionError(f"unexpected escape sequence {m[0]!r}")
                i = m.end()
                continue
            if ch == "\r":
                self.col = 0
            elif ch == "\n":
                self.row += 1
                while len(self.lines) <= self.row:
                    self.lines.append([])
            elif ch == "\b":
                self.col = max(self.col - 1, 0)
            else:
                line = self.lines[self.row]
                line.extend(" " * (self.col + 1 - len(line)))
                line[self.col] = ch
                self.col += 1
                run += ch
            i += 1
        if run:
            self.runs.append((self.col, run))

    def widest(self, *, besides: frozenset[str] = frozenset()) -> int:
        """The last column any run of characters reached, those in ``besides`` aside."""
        return max((end for end, run in self.runs if run not in besides), default=0)

    def screen(self) -> list[str]:
        """The lines, blanks at their end removed, and empty lines dropped."""
        shown = ["".join(line).rstrip() for line in self.lines]
        return [line for line in shown if line]


def run_on_terminal(
    argv: list[str], columns: int, *, stdout_too: bool, env: dict[str, str] | None = None
) -> tuple[int, Terminal, str]:
    """Run ``argv`` with stderr (and stdout when ``stdout_too``) on a pty ``columns`` wide.

    Returns the exit status, the terminal after all of it, and stdout when it is a pipe.
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    environ = script_env(SECRET, TERM="xterm", **(env or {}))
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=slave if stdout_too else subprocess.PIPE,
        stderr=slave,
        env=environ,
    )
    os.close(slave)
    chunks: list[bytes] = []
    try:
        readers = [master] if stdout_too else [master, proc.stdout.fileno()]  # type: ignore[union-attr]
        piped: list[bytes] = []
        while readers:
            ready, _, _ = select.select(readers, [], [], TIMEOUT)
            if not ready:
                pytest.fail(f"no output from {argv!r} within {TIMEOUT}s")
            for fd in ready:
                try:
                    data = os.read(fd, 65536)
                except OSError:  # EIO: the other end of the pty is closed
                    data = b""
                if not data:
                    readers.remove(fd)
                elif fd == master:
                    chunks.append(data)
                else:
                    piped.append(data)
        status = proc.wait(timeout=TIMEOUT)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=TIMEOUT)
        if proc.stdout is not None:
            proc.stdout.close()
    terminal = Terminal()
    terminal.feed(b"".join(chunks).decode())
    return status, terminal, b"".join(piped).decode() if not stdout_too else ""


# -- fan_out: results printed on stdout under the bar on stderr (the README's example) ----------

_EXAMPLE = """
import asyncio, sys
if sys.argv[3] == "builtin":
    sys.modules["tqdm"] = None  # as if the progress extra were not installed
from aio_openai import AsyncOpenAI, fan_out

async def main():
    ids = sys.argv[2].split(",")
    async with AsyncOpenAI(base_url=sys.argv[1]) as client:
        async for r in fan_out(client.models.retrieve, ids, concurrency=8, progress=True):
            print(r.input, r.value.owned_by if r.ok else type(r.error).__name__, r.attempts)
    print("tqdm" if "tqdm" in sys.modules and sys.modules["tqdm"] else "builtin", file=sys.stderr)

asyncio.run(main())
"""


def _expected_lines(fake: FakeOpenAI) -> list[str]:
    return [
        f"{i} {fake.models[i]['owned_by']} 1" if i in fake.models else f"{i} NotFoundError 1"
        for i in IDS
    ]


@pytest.mark.parametrize("columns", COLUMNS)
@pytest.mark.parametrize("bar", ["builtin", "tqdm"])
def test_fan_out_results_printed_under_the_bar_stay_whole(
    fake: FakeOpenAI, bar: str, columns: int
) -> None:
    argv = [sys.executable, "-c", _EXAMPLE, fake.url, ",".join(IDS), bar]
    status, terminal, _ = run_on_terminal(argv, columns, stdout_too=True)
    screen = terminal.screen()
    assert status == 0, "\n".join(screen)
    expected = _expected_lines(fake)
    # the bar's draws: the built-in bar leaves the last column free, tqdm fills it
    widest = terminal.widest(besides=frozenset([*expected, bar]))
    assert widest <= (columns - 1 if bar == "builtin" else columns), "\n".join(screen)
    assert screen[-1] == bar  # the bar that drew: tqdm's, or the built-in one
    *printed, final_bar = screen[:-1]
    assert sorted(printed) == sorted(expected), "\n".join(screen)
    assert "150/150" in final_bar, final_bar
    if bar == "builtin":
        assert re.fullmatch(r"(fan_out )?(\[#+\] )?150/150( errors 15)?.*", final_bar), final_bar


# -- the CLI's own bar ----------------------------------------------------------------------------


_BAR = re.compile(r"(lookup )?(\[[#.]+\] )?\s*\d+/300( errors \d+)?(  \S+ req/s)?(  \S+ \S+)?")


@pytest.mark.parametrize("columns", COLUMNS)
def test_the_demo_bar_fits_the_terminal(columns: int) -> None:
    argv = [script(), "demo", "--requests", "300", "--concurrency", "8"]
    status, terminal, out = run_on_terminal(argv, columns, stdout_too=False)
    screen = terminal.screen()
    assert status == 0, "\n".join(screen)
    assert terminal.widest() < columns, "\n".join(screen)
    assert len(screen) == 1 and _BAR.fullmatch(screen[0]), screen
    assert screen[0].startswith("lookup [") == (columns >= 80)
    assert "bulk model lookup: 300 requests" in out


_LOG_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ aio_openai[.\w]*: .+")


def test_log_lines_are_written_above_the_bar() -> None:
    argv = [script(), "-vv", "demo", "--requests", "300", "--concurrency", "8"]
    status, terminal, _ = run_on_terminal(argv, 80, stdout_too=False)
    screen = terminal.screen()
    assert status == 0, "\n".join(screen)
    bars = [line for line in screen if not _LOG_LINE.fullmatch(line)]
    assert len(bars) == 1 and _BAR.fullmatch(bars[0]), bars  # the last draw, nothing else
    lookups = [line for line in screen if "aio_openai.cli: GET" in line and "/models/" in line]
    assert len(lookups) >= 300  # each lookup's line, whole
