"""``aio-openai batch``: a Batch API requests file run now, through :func:`fan_out`.

The file format (input lines, output lines, resuming) is :mod:`aio_openai._batch_files`'s.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO

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
from ._exceptions import APIStatusError, OpenAIError
from ._fanout import FanOutAborted, Result, fan_out, fatal_cause
from ._progress import Progress
from ._response import APIResponse, parse_json
from .cli import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    CLIError,
    _api_key,
    _client,
    _int_at_least,
    _print_error,
    _wrap,
    describe_error,
    plural,
)
from .resources import endpoints

if TYPE_CHECKING:
    from .cli import _Secrets

__all__ = ["DEFAULT_CONCURRENCY", "BatchSummary", "add_batch_command", "run_batch"]

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


# -- the command --------------------------------------------------------------------------------

_EPILOG: Final = """\
output lines (OpenAI's Batch output format, successes and failures in one file):
  {{"id": "batch_req_...", "custom_id": "...", "error": null,
   "response": {{"status_code": 200, "request_id": "req_...", "body": {{...}}}}}}
  an error status: its status and error body in "response", "error" null;
  no answer at all: "response" null, "error" {{"code", "message"}}

environment:
  OPENAI_API_KEY    the API key (preferred over --api-key)
  OPENAI_BASE_URL   the API's base URL when --base-url is not given

exit status: 0 every request line is answered in the output (error statuses
  included), 1 some lines were bad (skipped), some requests got no answer (re-run
  with --retry-failed to send them again) or the run stopped on an error that dooms
  every call (a refused key, insufficient_quota), 2 bad usage, no API key, or an
  output file that is not a batch output file, 130 interrupted (re-run the same
  command to resume)

endpoints (url, methods):
{endpoints}
"""


def _endpoint_help() -> str:
    methods: dict[str, list[str]] = {}
    for e in endpoints():
        methods.setdefault(e.describe("ID"), []).append(e.method)
    width = max(map(len, methods))
    return "\n".join(f"  {url:<{width}}  {' '.join(sorted(m))}" for url, m in methods.items())


def add_batch_command(
    commands: Any,
    *,
    parents: Sequence[argparse.ArgumentParser],
    formatter: type[argparse.HelpFormatter],
) -> None:
    """Add ``batch`` to the command parsers."""
    batch = commands.add_parser(
        "batch",
        parents=list(parents),
        help="run an OpenAI Batch API requests file now, concurrently, resumably",
        description=_wrap(
            "Send every request of a JSONL file in OpenAI's Batch API input format "
            '({"custom_id", "method", "url", "body"} a line) at once, CONCURRENCY at a time '
            "(paced by the rate limits the server announces), and append each answer to "
            "OUTPUT in the Batch API's output format as soon as it arrives. Re-run with the "
            "same OUTPUT to resume: custom_ids already answered there are skipped. Bad lines "
            "are reported on stderr with their line number and skipped. A progress bar goes "
            "to stderr, a summary to stdout."
        ),
        epilog=_EPILOG.format(endpoints=_endpoint_help()),
        formatter_class=formatter,
    )
    batch.add_argument("requests", metavar="REQUESTS", type=Path, help="the requests file (JSONL)")
    batch.add_argument(
        "-o",
        "--output",
        metavar="OUTPUT",
        type=Path,
        required=True,
        help="the output file (JSONL), appended to; the same file resumes a run",
    )
    batch.add_argument(
        "--concurrency",
        type=_int_at_least(1),
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help="requests in flight at most (default: %(default)s)",
    )
    batch.add_argument(
        "--retry-failed",
        action="store_true",
        help="send again the requests whose line in OUTPUT has no 2xx answer "
        "(their old lines are removed first)",
    )
    batch.set_defaults(run=_run_batch)


def _run_batch(args: argparse.Namespace, secrets: _Secrets) -> int:
    """``batch``: run the requests file; print the summary."""
    client = _client(args, _api_key(args), log_level=logging.DEBUG)
    summary = BatchSummary(input=args.requests, output=args.output)
    try:
        asyncio.run(_batch(client, args, secrets, summary))
    except KeyboardInterrupt:
        raise CLIError(
            f"interrupted: {plural(summary.written, 'line')} written to {args.output}; "
            "run the same command again to resume (the requests answered there are skipped)",
            EXIT_INTERRUPTED,
        ) from None
    except FileNotFoundError as exc:
        verb = "read" if exc.filename == str(args.requests) else "write"
        raise CLIError(f"cannot {verb} {exc.filename}: {exc.strerror}", EXIT_USAGE) from None
    except OutputFileError as exc:
        raise CLIError(f"{exc} (is -o the right file?)", EXIT_USAGE) from None
    except OSError as exc:
        raise CLIError(f"{exc.filename or args.output}: {exc.strerror or exc}") from None
    for note in summary.notes:
        sys.stderr.write(secrets.redact(f"note: {note}") + "\n")
    sys.stdout.write(secrets.redact(summary.render()) + "\n")
    sys.stdout.flush()
    problems: list[str] = []
    if summary.bad:
        problems.append(f"{plural(summary.bad, 'bad line')} skipped (see above)")
    if summary.no_answer:
        one = summary.no_answer == 1
        its, has, them = ("its line", "has", "it") if one else ("their lines", "have", "them")
        problems.append(
            f"{plural(summary.no_answer, 'request')} got no answer ({its} in {args.output} "
            f'{has} "error" set): re-run with --retry-failed to send {them} again'
        )
    stop = summary.aborted
    if stop is not None:
        cause = stop.cause
        detail = describe_error(cause, client.base_url) if isinstance(cause, OpenAIError) else ""
        problems.append(
            f"batch stopped: {stop.reason}: {detail}; "
            f"{plural(summary.unanswered, 'request')} left without an answer: re-run to send them"
        )
    for problem in problems:
        _print_error(problem, secrets)
    return EXIT_FAILED if problems else EXIT_OK


async def _batch(
    client: AsyncOpenAI, args: argparse.Namespace, secrets: _Secrets, summary: BatchSummary
) -> BatchSummary:
    async with client:
        return await run_batch(
            client,
            args.requests,
            args.output,
            concurrency=args.concurrency,
            retry_failed=args.retry_failed,
            err=sys.stderr,
            redact=secrets.redact,
            summary=summary,
        )
