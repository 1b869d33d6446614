"""The progress bars: the built-in one fits any width; fan_out's ``progress`` takes True, a
stream, a tqdm bar or a callable making one; tqdm stays optional."""

from __future__ import annotations

import io
import subprocess
import sys
from typing import Any

import pytest
from support import FakeClock
from tqdm import tqdm

from aio_openai import fan_out
from aio_openai._progress import Progress, write_line


def _progress(total: int | None, done: int, errors: int, *, label: str = "fan_out") -> Progress:
    clock = FakeClock()
    progress = Progress(total, label=label, stream=io.StringIO(), clock=clock)
    clock.now += 2.0
    for i in range(done):
        progress.advance(error=i < errors)
    return progress


FULL = "fan_out [########################] 1000/1000 errors 12  500 req/s  in 2.0s"


def test_the_whole_line_when_it_fits() -> None:
    progress = _progress(1000, 1000, 12)
    assert progress.line() == FULL
    assert progress.line(width=len(FULL)) == FULL
    assert progress.line(width=200) == FULL


@pytest.mark.parametrize(
    ("width", "line"),
    [
        (len(FULL) - 1, "fan_out [########################] 1000/1000 errors 12  in 2.0s"),
        (56, "fan_out [########################] 1000/1000 errors 12"),
        (47, "[########################] 1000/1000 errors 12"),
        (40, "[##################] 1000/1000 errors 12"),
        (28, "[######] 1000/1000 errors 12"),
        (27, "[#####] 1000/1000 errors 12"),
        (26, "[#####] 1000/1000"),
        (16, "1000/1000"),
        (5, "1000/"),
    ],
)
def test_fields_go_then_the_bar_shortens_then_goes(width: int, line: str) -> None:
    assert _progress(1000, 1000, 12).line(width=width) == line


def test_no_width_is_too_small_or_too_odd() -> None:
    for total, done in ((None, 123_456), (0, 0), (7, 3), (10**9, 12_345)):
        progress = _progress(total, done, 1)
        for width in range(1, 120):
            assert len(progress.line(width=width)) <= width


def test_unknown_total_has_no_bar() -> None:
    progress = _progress(None, 1500, 0, label="job")
    assert progress.line() == "job 1,500 done  errors 0  750 req/s  in 2.0s"
    assert progress.line(width=30) == "job 1,500 done  errors 0"


def test_a_bar_on_a_terminal_never_draws_wider_than_it() -> None:
    stream, clock = io.StringIO(), FakeClock()
    with Progress(1000, label="fan_out", stream=stream, clock=clock, tty=True, width=40) as bar:
        for _ in range(1000):
            clock.now += 0.01
            bar.advance()
    draws = stream.getvalue().replace("\n", "\r").split("\r")
    assert len(draws) > 10
    assert max(map(len, draws)) == 39  # one column short, so the terminal never wraps


def test_clear_and_show() -> None:
    stream, clock = io.StringIO(), FakeClock()
    bar = Progress(10, stream=stream, clock=clock, tty=True, width=80)
    drawn = stream.getvalue()
    assert drawn.startswith("\r[")
    bar.clear()
    assert stream.getvalue() == drawn + "\r" + " " * (len(drawn) - 1) + "\r"
    bar.clear()  # already off the screen: nothing more
    clock.now += 1.0
    bar.advance()  # counted, not drawn while cleared
    assert stream.getvalue().endswith(" \r")
    bar.show()
    assert stream.getvalue().endswith(
        "\r[##......................]  1/10 errors 0  1 req/s  ETA 9.0s"
    )
    bar.close()


def test_write_line_puts_the_text_above_a_bar_on_the_same_terminal() -> None:
    stream, clock = io.StringIO(), FakeClock()
    with Progress(10, stream=stream, clock=clock, tty=True, width=80):
        before = stream.getvalue()
        write_line(stream, "a log line")
        after = stream.getvalue()[len(before) :]
        assert after.startswith("\r" + " " * (len(before) - 1) + "\ra log line\n\r[")
    other = io.StringIO()
    write_line(other, "no bar here")
    assert other.getvalue() == "no bar here\n"


# -- fan_out's progress argument --------------------------------------------------------------


async def _double(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return 2 * x


async def test_a_tqdm_instance_is_advanced_and_left_open() -> None:
    out = io.StringIO()
    with tqdm(total=5, file=out) as bar:
        results = await fan_out(_double, range(5), progress=bar)
        assert [r.value for r in results] == [0, 2, 4, None, 8]
        assert bar.n == 5
        assert not bar.disable  # not closed by fan_out
        assert "errors 1" in str(bar)
    assert bar.disable


async def test_a_callable_makes_the_bar_with_the_total_and_it_is_closed() -> None:
    made: list[tuple[dict[str, Any], Any]] = []

    def factory(**kwargs: Any) -> Any:
        bar = tqdm(file=io.StringIO(), **kwargs)
        made.append((kwargs, bar))
        return bar

    async for _ in fan_out(_double, [1, 2, 4], progress=factory):
        pass
    [(kwargs, bar)] = made
    assert kwargs == {"total": 3}
    assert bar.n == 3 and bar.disable  # closed


async def test_true_draws_with_tqdm_when_it_is_installed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    await fan_out(_double, range(5), progress=True)
    err = capsys.readouterr().err
    assert "fan_out: 100%" in err and "5/5" in err and "errors 1" in err


async def test_true_draws_the_built_in_bar_without_tqdm(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # as if it were not installed
    await fan_out(_double, range(5), progress=True)
    err = capsys.readouterr().err
    assert err.startswith("fan_out [########################] 5/5 errors 1  ")


async def test_a_stream_gets_the_built_in_bar() -> None:
    stream = io.StringIO()
    await fan_out(_double, range(5), progress=stream)
    assert stream.getvalue().startswith("fan_out [########################] 5/5 errors 1")


def test_a_progress_that_is_none_of_these_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="progress must be"):
        fan_out(_double, range(5), progress=42)  # type: ignore[arg-type]


def test_importing_aio_openai_or_making_a_fan_out_does_not_import_tqdm() -> None:
    code = (
        "import sys, aio_openai\n"
        "aio_openai.fan_out(abs, [1], progress=sys.stderr)\n"
        "print('tqdm' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out == "False\n"
