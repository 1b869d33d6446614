"""Figures the documents state agree with their source: the code's defaults, or the table the
prose reads from. (Both drifted once: the budget's capacity, and the rate-limit prose.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from aio_openai import RetryBudget

ROOT: Final = Path(__file__).resolve().parent.parent
README: Final = (ROOT / "README.md").read_text(encoding="utf-8")
BENCHMARKS: Final = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")


def squeeze(text: str) -> str:
    """The text with every run of white space one space (prose wraps anywhere)."""
    return " ".join(text.split())


def test_the_retry_budget_is_described_with_its_defaults() -> None:
    budget = RetryBudget()
    initial, ratio, capacity = round(budget.tokens), budget.ratio, round(budget.capacity)
    assert (
        f"starts with {initial} tokens, every call adds {ratio} (saving up to {capacity})"
        in squeeze(README)
    )
    assert f"at most 1.4 x calls + {initial} from a fresh start, + {capacity}" in squeeze(README)
    assert (
        f"ratio {ratio}, {initial} tokens at first, up to {capacity} saved: at most"
        f" 1.4 \N{MULTIPLICATION SIGN} calls + {initial} from a fresh start"
    ) in squeeze(BENCHMARKS)


def section(text: str, title: str) -> str:
    start = text.index(f"## {title}")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def row(block: str, label: str) -> list[str]:
    """The cells of the table row starting with ``label`` (split on runs of 2+ spaces)."""
    line = next(line for line in block.splitlines() if line.startswith(label))
    return re.split(r"\s{2,}", line.strip())


def test_the_rate_limit_prose_quotes_its_own_tables() -> None:
    rate = section(BENCHMARKS, "Rate limits")
    tables = re.findall(r"```\n(.*?)```", rate, flags=re.S)
    requests = next(t for t in tables if t.startswith("requests run"))
    tokens = requests[requests.index("tokens run") :]
    requests = requests[: requests.index("tokens run")]
    prose = squeeze(rate[rate.index("Reading it:") :])

    # columns: name, calls ok, failed, cut, attempts, 429s, 429 share, accepted, steady, ...
    ours_r, ours_t = row(requests, "aio_openai"), row(tokens, "aio_openai")
    accepted = [cells[7].split("= ")[1].replace("%", " %") for cells in (ours_r, ours_t)]
    assert f"{accepted[0]} of the allowed requests" in prose
    assert f"{accepted[1]} of the allowed tokens" in prose

    sdk_r, sdk_t = row(requests, "retry-only"), row(tokens, "retry-only")
    shares = [f"{float(c[6].rstrip('%')):.1f} %" for c in (sdk_r, sdk_t)]
    assert f"hammering: {shares[0]} of its attempts ({shares[1]} in the tokens run)" in prose
    assert f"and {sdk_r[2]} calls ({sdk_t[2]}) fail with `RateLimitError`" in prose
    assert f"It spends {sdk_r[-1]} s of CPU in {sdk_r[-2]} s" in prose
    assert f"({sdk_t[-1]} s in {sdk_t[-2]} s in the tokens run)" in prose

    cook_r, cook_t = row(requests, "cookbook"), row(tokens, "cookbook")
    shares = [cells[7].split("= ")[1].replace("%", " %") for cells in (cook_r, cook_t)]
    assert f"gets {shares[0]} of the requests ({shares[1]} of the tokens)" in prose
    assert f"almost no 429s here ({cook_r[5]} and {cook_t[5]})" in prose
