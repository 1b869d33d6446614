"""A Batch API requests file run now, through :func:`fan_out` (``aio-openai batch``).

The file format (input lines, output lines, resuming) is :mod:`aio_openai._batch_files`'s; the
command's options and messages are :mod:`aio_openai.cli._batch`'s.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TextIO

import attrs

from ._batch_files import (
    BadLine,
    BatchRequest,
    OutputFile,
    OutputFileError,
    ScanCount,
    output_record,
    read_answered,
    scan_requests,
)
from ._client import AsyncOpenAI
from ._describe import describe_error
from ._exceptions import APIStatusError
from ._fanout import FanOutAborted, Result, fan_out, fatal_cause
from ._progress import Progress
from ._response import APIResponse, parse_json

__all__ = ["DEFAULT_CONCURRENCY", "BatchSummary", "run_batch"]

#: The concurrency of ``aio-openai batch`` when ``--concurrency`` is not given.
DEFAULT_CONCURRENCY: Final = 64


# -- the run ------------------------------------------------------------------------------------


@attrs.define(kw_only=True)
class BatchSummary:
    """What a batch run did: the input's lines, what was sent, and how it went.

    ``no_answer`` counts the lines written without a usable answer (``error`` set: no
    connection, a timeout, a 2xx that is not JSON); ``--retry-failed`` sends them again.
    """

    input: Path
    output: Path
    lines: int = 0
    bad: int = 0
    answered_before: int = 0
    to_send: int = 0
    sent: int = 0
    ok: int = 0
    failures: Counter[str] = attrs.field(factory=Counter)
    written: int = 0
    no_answer: int = 0
    wall_time: float = 0.0
    aborted: FanOutAborted | None = None
    notes: list[str] = attrs.field(factory=list)

    @property
    def unanswered(self) -> int:
        """Requests to send that still have no line in the output (after a stop)."""
        return self.to_send - self.written

    @property
    def failed(self) -> int:
        """Requests answered with an error, or not answered at all."""
        return sum(self.failures.values())

    def render(self) -> str:
        """The summary as a two-column table."""
        rows: list[tuple[str, str]] = [
            ("request lines", f"{self.lines:,}"),
            ("bad lines (skipped)", f"{self.bad:,}"),
            ("already answered", f"{self.answered_before:,}"),
            ("sent", f"{self.sent:,}"),
            ("  ok", f"{self.ok:,}"),
            ("  failed", f"{self.failed:,}"),
        ]
        rows.extend((f"    {name}", f"{n:,}") for name, n in sorted(self.failures.items()))
        rows.append(("lines written", f"{self.written:,}"))
        if self.aborted is not None:
            rows.append(("left for a re-run", f"{self.unanswered:,}"))
        rate = self.sent / self.wall_time if self.wall_time > 0 else 0.0
        rows.append(("wall time", f"{self.wall_time:.3f} s"))
        rows.append(("throughput", f"{rate:,.0f} req/s"))
        title = f"batch {self.input} -> {self.output}"
        width = max(len(label) for label, _ in rows)
        lines = [title, "-" * max(len(title), width + 12)]
        lines.extend(f"{label:<{width}}  {value}" for label, value in rows)
        return "\n".join(lines)


def _failure_name(result: Result[BatchRequest, APIResponse[Any]]) -> str:
    exc = result.error
    if isinstance(exc, APIStatusError):
        return f"{exc.status_code} {type(exc).__name__}"
    return type(exc).__name__


async def _send(client: AsyncOpenAI, request: BatchRequest) -> APIResponse[Any]:
    """Send one request with the client (its retries and rate limiter included)."""
    response: APIResponse[Any] = await client.request(
        request.method,
        request.path,
        parse_json,
        body=request.body,
        query=request.query,
        raw=True,
        metered=request.endpoint.metered,
        endpoint_headers=request.endpoint.headers(client),
    )
    return response


async def run_batch(
    client: AsyncOpenAI,
    input_path: Path,
    output_path: Path,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    retry_failed: bool = False,
    err: TextIO = sys.stderr,
    redact: Callable[[str], str] = lambda text: text,
    summary: BatchSummary | None = None,
) -> BatchSummary:
    """Send every unanswered request of ``input_path``, appending the answers to ``output_path``.

    Bad lines are reported on ``err`` (``FILE:LINE: ...``) and skipped; a progress bar goes
    to ``err``. ``redact`` is applied to every output line and message. Returns the summary,
    ``summary`` if given (it is kept up to date as the run goes, so a caller whose run was
    interrupted knows what was written); ``summary.aborted`` is set when an error that dooms
    every call stopped the run. Raises OSError when a file cannot be read or written,
    OutputFileError for an output file that is not a batch output file.
    """
    if summary is None:
        summary = BatchSummary(input=input_path, output=output_path)
    if output_path.exists() and input_path.exists() and output_path.samefile(input_path):
        raise OutputFileError("the output file is the requests file")
    answered, summary.notes = read_answered(output_path, retry_failed=retry_failed)

    def report(bad: BadLine) -> None:
        err.write(redact(f"{input_path}:{bad.line}: skipped: {bad.message}") + "\n")

    first = ScanCount()
    for _ in scan_requests(input_path, answered, first, report):
        pass
    err.flush()
    summary.lines, summary.bad = first.lines, first.bad
    summary.answered_before, summary.to_send = first.answered, first.to_send

    requests = scan_requests(input_path, answered, ScanCount(), None)
    output = OutputFile(output_path, redact)
    started = time.monotonic()
    try:
        with Progress(summary.to_send, label="batch", stream=err) as progress:
            results = fan_out(lambda r: _send(client, r), requests, concurrency=concurrency)
            async with results:
                async for result in results:
                    summary.sent += 1
                    failed = not result.ok
                    progress.advance(error=failed)
                    if failed:
                        summary.failures[_failure_name(result)] += 1
                        assert result.error is not None
                        if fatal_cause(result.error) is not None:
                            continue  # about the key, not the request: a re-run sends it
                    else:
                        summary.ok += 1
                    record = output_record(result.input, result, describe_error)
                    output.write(record)
                    summary.written += 1
                    if record["error"] is not None:
                        summary.no_answer += 1
    except FanOutAborted as exc:
        summary.aborted = exc
    finally:
        summary.wall_time = time.monotonic() - started
        output.close()
        requests.close()
    return summary
