"""Parsers of server-announced waits: Go durations, retry-after forms, the 429 message hint."""

from __future__ import annotations

import email.utils

import pytest

from aio_openai._durations import parse_duration, retry_after, try_again_hint


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1s", 1.0),
        ("6m0s", 360.0),
        ("20ms", 0.02),
        ("1h2m3.5s", 3723.5),
        ("150us", 150e-6),
        ("150µs", 150e-6),
        ("500ns", 500e-9),
        ("0.5s", 0.5),
        (".5s", 0.5),
        ("2h", 7200.0),
        ("17ms", 0.017),
        ("1m30.25s", 90.25),
    ],
)
def test_go_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "text",
    [None, "", "-1", "0", "0s", "abc", "1", "1x", "s", "1s2", "1s 2s", "-1s", "nan s", "1.s.s"],
)
def test_duration_garbage_is_none(text: str | None) -> None:
    assert parse_duration(text) is None


def test_retry_after_ms_wins_over_retry_after() -> None:
    assert retry_after({"retry-after-ms": "644", "retry-after": "9"}) == pytest.approx(0.644)


def test_retry_after_seconds_and_fraction() -> None:
    assert retry_after({"retry-after": "3"}) == 3.0
    assert retry_after({"retry-after": "1.5"}) == 1.5


def test_retry_after_http_date() -> None:
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert retry_after({"retry-after": date}, now=lambda: now) == pytest.approx(30.0)
    past = email.utils.formatdate(now - 30, usegmt=True)
    assert retry_after({"retry-after": past}, now=lambda: now) == 0.0


def test_retry_after_garbage_is_none() -> None:
    assert retry_after({}) is None
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({"retry-after-ms": "x", "retry-after": "-5"}) is None
    assert retry_after({"retry-after-ms": "x", "retry-after": "2"}) == 2.0


@pytest.mark.parametrize(
    ("message", "seconds"),
    [
        ("Rate limit reached for gpt-4 ... Please try again in 644ms. Visit ...", 0.644),
        ("... Please try again in 1.5s.", 1.5),
        ("please TRY AGAIN IN 6m0s.", 360.0),
        ("Please try again in 20s", 20.0),
        ("no hint here", None),
        (None, None),
        ("Please try again in a while", None),
    ],
)
def test_try_again_hint(message: str | None, seconds: float | None) -> None:
    assert try_again_hint(message) == (None if seconds is None else pytest.approx(seconds))
