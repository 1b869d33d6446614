"""The ``demo`` command of ``aio-openai``: bulk concurrent calls, against an embedded fake.

::

    aio-openai demo [--requests N] [--concurrency C] [--base-url URL]

The demo's sections and their reports are :mod:`aio_openai._demo`'s; this module holds the
options, the errors printed and the exit status.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import TYPE_CHECKING, Any, Final

from .._describe import describe_error
from ._common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CLIError,
    CommandParsers,
    api_key,
    client_options,
    int_at_least,
    print_error,
    request_logger,
)

if TYPE_CHECKING:
    from ._common import Secrets

__all__ = ["add_demo_command"]

_EPILOG: Final = """\
environment:
  OPENAI_API_KEY    the API key for --base-url (preferred over --api-key); the embedded
                    FakeOpenAI needs none, and is never sent this one

exit status: 0 ok, 1 every lookup failed, 2 bad usage or no API key, 130 interrupted
"""


def add_demo_command(commands: Any, parsers: CommandParsers) -> None:
    """Add ``demo`` to the command parsers."""
    options = client_options(
        "run against this server (key from OPENAI_API_KEY) instead of the embedded "
        "FakeOpenAI; OPENAI_BASE_URL is not used"
    )
    demo = parsers.command(
        commands,
        "demo",
        _run_demo,
        help="bulk concurrent model lookups against an embedded fake server",
        description=(
            "Run the demo: N models.retrieve calls through a pool of C concurrent workers, "
            "cycling over the fake server's 27 models, with one lookup in 100 for a model "
            "that does not exist (counted as an error, not fatal). Progress goes to stderr, "
            "the summary table (counts, errors by class, throughput, latency percentiles) to "
            "stdout. Without --base-url it starts an embedded FakeOpenAI in the same event "
            "loop (no key needed); with it, it runs against that server."
        ),
        parents=[options, parsers.verbosity],
        epilog=_EPILOG,
    )
    demo.add_argument(
        "--requests",
        type=int_at_least(0),
        default=5000,
        metavar="N",
        help="lookups to make (default: %(default)s)",
    )
    demo.add_argument(
        "--concurrency",
        type=int_at_least(1),
        default=64,
        metavar="C",
        help="worker tasks, i.e. requests in flight (default: %(default)s)",
    )


def _run_demo(args: argparse.Namespace, secrets: Secrets) -> int:
    """``demo``: run the demo's sections; 1 if a section could not do its job."""
    from .._demo import DemoOptions, run_demo

    key = api_key(args) if args.base_url is not None else None
    options = DemoOptions(
        requests=args.requests,
        concurrency=args.concurrency,
        base_url=args.base_url,
        api_key=key,
        timeout=args.timeout,
        max_retries=args.max_retries,
        middlewares=(request_logger(logging.DEBUG),),
    )
    try:
        reports = asyncio.run(run_demo(options, out=sys.stdout, err=sys.stderr))
    except ValueError as exc:
        raise CLIError(str(exc), EXIT_USAGE) from None
    status = EXIT_OK
    for report in reports:
        if report.failure is not None:
            message = report.failure
            if report.cause is not None:
                message += ": " + describe_error(report.cause, args.base_url)
            print_error(message, secrets)
            status = EXIT_FAILED
    return status
