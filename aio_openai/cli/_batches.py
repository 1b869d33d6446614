"""The ``batches`` commands of ``aio-openai``: OpenAI's Batch API.

::

    aio-openai batches submit REQUESTS -o OUTPUT [--batch-id ID]... [--poll-interval S]
    aio-openai batches status BATCH_ID
    aio-openai batches results BATCH_ID... -o OUTPUT [--poll-interval S]

``submit`` is ``aio-openai batch --submit``; ``status`` prints the batch's JSON; ``results``
waits for batches (submitted by any means) and writes their answers to OUTPUT in the
output format of ``aio-openai batch``, each batch's in the order of its input file.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .._client import AsyncOpenAI
from ._batch import add_output_option, add_submit_options, run_submitted
from ._common import CommandParsers, add_id_argument
from ._json_commands import JsonCommands

__all__ = ["add_batches_commands"]


async def _status(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.batches.with_raw_response.retrieve(args.batch_id)


def add_batches_commands(commands: Any, parsers: CommandParsers) -> None:
    """Add ``batches`` (submit, status, results) to the command parsers."""
    json_commands = JsonCommands(
        parents=parsers.parents, epilog=parsers.epilog, formatter=parsers.formatter
    )
    actions = json_commands.group(
        commands,
        "batches",
        help="run a requests file through OpenAI's Batch API, look at batches, get answers",
        description="Use OpenAI's Batch API: submit a requests file (split at the API's "
        "limits, uploaded, waited for, answers written as `aio-openai batch` writes them), "
        "print a batch, or write the answers of batches.",
    )
    submit = json_commands.action(
        actions,
        "submit",
        None,
        help="run a requests file through the Batch API and write the answers",
        description="Split REQUESTS at the Batch API's limits (50,000 requests or 200 MB a "
        "file, one endpoint and model a batch), upload the parts, create the batches, wait "
        "for them (a progress bar on stderr) and write their answers to OUTPUT in the output "
        "format of `aio-openai batch`. The run's state is kept next to OUTPUT: after a crash, "
        "the same command resumes it without submitting again. Ctrl-C cancels the batches.",
        run=run_submitted,
    )
    submit.add_argument("requests", metavar="REQUESTS", type=Path, help="the requests file")
    add_output_option(submit)
    submit.add_argument(
        "--retry-failed",
        action="store_true",
        help="submit again the requests whose line in OUTPUT has no 2xx answer",
    )
    add_submit_options(submit)
    status = json_commands.action(actions, "status", _status, help="print one batch")
    add_id_argument(status, "batch_id", metavar="BATCH_ID", help="the batch's id (batch_...)")
    results = json_commands.action(
        actions,
        "results",
        None,
        help="wait for batches and write their answers",
        description="Wait for each batch to end and write its answers (output and error "
        'files, and a line with "error" set for each request neither answers) to OUTPUT in '
        "the output format of `aio-openai batch`, in the order of the batch's input file.",
        run=run_submitted,
    )
    add_id_argument(
        results, "batch_id", nargs="+", metavar="BATCH_ID", help="the batches' ids (batch_...)"
    )
    add_output_option(results)
    add_submit_options(results, batch_id=False)
    results.set_defaults(requests=None)
