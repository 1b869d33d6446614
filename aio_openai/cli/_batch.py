"""The ``batch`` command of ``aio-openai``: run an OpenAI Batch API requests file now.

::

    aio-openai batch REQUESTS -o OUTPUT [--concurrency N] [--retry-failed]

The file format is :mod:`aio_openai._batch_files`'s and the run :mod:`aio_openai._batch_runner`'s;
this module holds the options, the summary and messages printed, and the exit statuses.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from .._batch_files import OutputFileError
from .._batch_runner import DEFAULT_CONCURRENCY, BatchSummary, run_batch
from .._batch_submit import DEFAULT_SUBMIT_POLL_INTERVAL_MS, state_paths, submit_batch
from .._client import AsyncOpenAI
from .._describe import describe_error, plural
from .._exceptions import OpenAIError
from ..resources import endpoints
from ._common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    CLIError,
    CommandParsers,
    add_id_argument,
    int_at_least,
    make_client,
    positive_float,
    print_error,
)

if TYPE_CHECKING:
    from ._common import Secrets

__all__ = ["add_batch_command", "add_output_option", "add_submit_options", "run_submitted"]

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


def add_batch_command(commands: Any, parsers: CommandParsers) -> None:
    """Add ``batch`` to the command parsers."""
    batch = parsers.command(
        commands,
        "batch",
        _run_batch,
        help="run an OpenAI Batch API requests file now, concurrently, resumably",
        description=(
            "Send every request of a JSONL file in OpenAI's Batch API input format "
            '({"custom_id", "method", "url", "body"} a line) at once, CONCURRENCY at a time '
            "(paced by the rate limits the server announces), and append each answer to "
            "OUTPUT in the Batch API's output format as soon as it arrives. Re-run with the "
            "same OUTPUT to resume: custom_ids already answered there are skipped. Bad lines "
            "are reported on stderr with their line number and skipped. A progress bar goes "
            "to stderr, a summary to stdout."
        ),
        epilog=_EPILOG.format(endpoints=_endpoint_help()),
    )
    batch.add_argument("requests", metavar="REQUESTS", type=Path, help="the requests file (JSONL)")
    add_output_option(batch)
    batch.add_argument(
        "--concurrency",
        type=int_at_least(1),
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
    batch.add_argument(
        "--submit",
        action="store_true",
        help="run the file through OpenAI's Batch API instead (within 24 hours, at half "
        "price): split, upload, create the batches, wait, write their answers to OUTPUT",
    )
    add_submit_options(batch)


def add_output_option(parser: argparse.ArgumentParser) -> None:
    """``-o OUTPUT``, the output file of a run (required)."""
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUTPUT",
        type=Path,
        required=True,
        help="the output file (JSONL), appended to; the same file resumes a run",
    )


def add_submit_options(parser: argparse.ArgumentParser, *, batch_id: bool = True) -> None:
    """The options of a submitted run: ``--batch-id`` (repeatable), ``--poll-interval``."""
    if batch_id:
        add_id_argument(
            parser,
            "--batch-id",
            action="append",
            metavar="ID",
            help="resume from this batch (repeat for several; implies --submit): wait for it "
            "and write its answers",
        )
    parser.add_argument(
        "--poll-interval",
        type=positive_float,
        default=DEFAULT_SUBMIT_POLL_INTERVAL_MS / 1000,
        metavar="SECONDS",
        help="the wait between looks at the batches (default: %(default)s)",
    )


def _run_batch(args: argparse.Namespace, secrets: Secrets) -> int:
    """``batch``: run the requests file; print the summary."""
    if args.submit or args.batch_id:
        return run_submitted(args, secrets)
    client = make_client(args, log_level=logging.DEBUG)
    summary = BatchSummary(input=args.requests, output=args.output)

    def interrupted() -> str:
        return (
            f"interrupted: {plural(summary.written, 'line')} written to {args.output}; "
            "run the same command again to resume (the requests answered there are skipped)"
        )

    _run(lambda: _batch(client, args, secrets, summary), args, interrupted)
    return _report(summary, client, args, secrets)


def run_submitted(args: argparse.Namespace, secrets: Secrets) -> int:
    """``batch --submit``, ``batches submit|results``: run the requests (or the batches
    ``--batch-id`` names) through the Batch API; print the summary."""
    client = make_client(args, log_level=logging.DEBUG)
    requests: Path | None = args.requests
    summary = BatchSummary(input=requests or Path("-"), output=args.output)

    async def submit() -> None:
        async with client:
            await submit_batch(
                client,
                requests,
                args.output,
                batch_ids=getattr(args, "batch_id", None) or (),
                poll_interval_ms=round(args.poll_interval * 1000),
                retry_failed=getattr(args, "retry_failed", False),
                err=sys.stderr,
                redact=secrets.redact,
                summary=summary,
            )

    def interrupted() -> str:
        return (
            f"interrupted: {plural(summary.written, 'line')} written to {args.output}; "
            "the batches this run submitted were cancelled"
        )

    if requests is None and not args.batch_id:
        raise CLIError("give REQUESTS or --batch-id", EXIT_USAGE)
    try:
        _run(submit, args, interrupted)
    except OpenAIError as exc:
        state, _ = state_paths(args.output)
        resume = f"; run the same command again to resume ({state})" if state.exists() else ""
        raise CLIError(describe_error(exc, client.base_url) + resume) from None
    return _report(summary, client, args, secrets)


def _run(
    work: Callable[[], Coroutine[Any, Any, Any]],
    args: argparse.Namespace,
    interrupted: Callable[[], str],
) -> None:
    """Run ``work`` in a new event loop, its file problems and Ctrl-C made CLIErrors."""
    try:
        asyncio.run(work())
    except KeyboardInterrupt:
        raise CLIError(interrupted(), EXIT_INTERRUPTED) from None
    except FileNotFoundError as exc:
        verb = "read" if exc.filename == str(args.requests) else "write"
        raise CLIError(f"cannot {verb} {exc.filename}: {exc.strerror}", EXIT_USAGE) from None
    except OutputFileError as exc:
        raise CLIError(f"{exc} (is -o the right file?)", EXIT_USAGE) from None
    except OSError as exc:
        raise CLIError(f"{exc.filename or args.output}: {exc.strerror or exc}") from None


def _report(
    summary: BatchSummary, client: AsyncOpenAI, args: argparse.Namespace, secrets: Secrets
) -> int:
    """Print the notes, the summary and the problems of a run; return its exit status."""
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
        print_error(problem, secrets)
    return EXIT_FAILED if problems else EXIT_OK


async def _batch(
    client: AsyncOpenAI, args: argparse.Namespace, secrets: Secrets, summary: BatchSummary
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
