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
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from .._batch_files import OutputFileError
from .._batch_runner import DEFAULT_CONCURRENCY, BatchSummary, run_batch
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
    int_at_least,
    make_client,
    print_error,
)

if TYPE_CHECKING:
    from ._common import Secrets

__all__ = ["add_batch_command"]

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


def _run_batch(args: argparse.Namespace, secrets: Secrets) -> int:
    """``batch``: run the requests file; print the summary."""
    client = make_client(args, log_level=logging.DEBUG)
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
