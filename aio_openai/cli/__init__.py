"""The ``aio-openai`` command: the OpenAI API from the shell, a fake OpenAI, and the demo.

::

    aio-openai chat PROMPT [--model M] [--stream]       print a chat model's reply
    aio-openai embed TEXT... [--model M]                print embeddings as JSON
    aio-openai respond PROMPT [--stream]                print a Responses API reply
    aio-openai conversations create|get|delete|items    the Conversations API, as JSON
    aio-openai batch REQUESTS -o OUTPUT                 run a Batch API file now, resumably
    aio-openai files upload|list|get|content|delete     the Files API (content: the bytes)
    aio-openai models list | get MODEL | delete MODEL   print the API's JSON on stdout
    aio-openai assistants | threads | messages | runs  the Assistants API, the same way
    aio-openai serve-fake [--port N] [--model ID] ...   run FakeOpenAI until SIGINT/SIGTERM
    aio-openai demo [--requests N] [--concurrency C]    bulk concurrent lookups, with a summary

Exit status: 0 on success, 1 when the API call (or the demo) failed, 2 for bad usage (an empty
id among them) or a missing API key, 130 when interrupted. Errors are one ``error: ...`` line
on stderr and warnings one ``warning: ...`` line, never a traceback, and the API key is never
written anywhere.

This module is the entry point (``main``) and the parser; each command group is a module of
this package adding its commands to the parser, on the helpers of ``_common``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, Final

from .._client import DEFAULT_BASE_URL
from .._describe import describe_error
from .._version import __version__
from ._assistants import add_assistants_commands
from ._batch import add_batch_command
from ._batches import add_batches_commands
from ._chat import add_chat_commands
from ._common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    PROG,
    CLIError,
    CommandParsers,
    Run,
    Secrets,
    client_options,
    logging_to_stderr,
    print_error,
    warnings_as_lines,
    wrap,
)
from ._common import read_prompt as read_prompt  # importable from here, as before the split
from ._conversations import add_conversations_commands
from ._demo import add_demo_command
from ._files import add_files_commands
from ._models import add_models_commands
from ._respond import add_respond_command
from ._serve_fake import add_serve_fake_command
from ._usage import add_usage_commands

__all__ = ["build_parser", "describe_error", "main"]

#: What adds each command group, in the order ``--help`` lists them.
_COMMANDS: Final[tuple[Callable[[Any, CommandParsers], None], ...]] = (
    add_models_commands,
    add_assistants_commands,
    add_chat_commands,
    add_respond_command,
    add_conversations_commands,
    add_files_commands,
    add_batch_command,
    add_batches_commands,
    add_usage_commands,
    add_serve_fake_command,
    add_demo_command,
)

_ENV_HELP: Final = """\
environment:
  OPENAI_API_KEY    the API key (preferred over --api-key, which other users of this
                    machine can read in the process list)
  OPENAI_ADMIN_KEY  the admin API key of usage and costs (preferred over --admin-key)
  OPENAI_BASE_URL   the API's base URL when --base-url is not given
                    (default: {default})

exit status: 0 ok, 1 the call failed, 2 bad usage or no API key, 130 interrupted
"""


def build_parser() -> argparse.ArgumentParser:
    """The ``aio-openai`` argument parser, with every subcommand and its ``--help``."""
    verbosity = argparse.ArgumentParser(add_help=False)
    verbosity.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=argparse.SUPPRESS,
        help="log to stderr: -v INFO (each API call), -vv DEBUG",
    )
    parsers = CommandParsers(
        client=client_options(
            f"the API's base URL (default: $OPENAI_BASE_URL, else {DEFAULT_BASE_URL})"
        ),
        verbosity=verbosity,
        epilog=_ENV_HELP.format(default=DEFAULT_BASE_URL),
        formatter=argparse.RawDescriptionHelpFormatter,
    )

    parser = argparse.ArgumentParser(
        prog=PROG,
        description=wrap(
            "A fast async client for the OpenAI REST API, from the shell. chat, embed and "
            "respond ask a model once and print the answer; conversations keeps the context "
            "respond --conversation adds turns to; batch runs an OpenAI Batch API requests "
            "file now, concurrently and resumably; models, and assistants, threads, messages "
            "and runs (the Assistants API), print the API's JSON; serve-fake runs a fake "
            "OpenAI server for other programs; demo shows bulk concurrent calls against one."
        ),
        epilog=parsers.epilog + "\nexamples:\n"
        "  aio-openai models list\n"
        "  aio-openai models get gpt-4o\n"
        '  aio-openai chat "Say hello" --model gpt-4o-mini --stream\n'
        '  aio-openai embed "some text" --dimensions 256\n'
        '  aio-openai respond "Say hello" --stream\n'
        '  aio-openai conversations create --message "My name is Ada."\n'
        '  aio-openai respond "What is my name?" --conversation conv_abc123\n'
        "  aio-openai runs wait thread_abc123 run_abc123 --deadline 60\n"
        "  aio-openai batch requests.jsonl -o results.jsonl --concurrency 128\n"
        "  aio-openai serve-fake --port 8080\n"
        "  aio-openai demo --requests 1000 --concurrency 32\n",
        formatter_class=parsers.formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log to stderr: -v INFO (each API call), -vv DEBUG",
    )
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    commands.required = True
    for add_commands in _COMMANDS:
        add_commands(commands, parsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``aio-openai`` command with ``argv`` (default: ``sys.argv[1:]``).

    Returns the exit status (0 ok, 1 failed, 2 bad usage or no API key, 130 interrupted);
    ``--help`` and usage errors return too, rather than raising SystemExit.
    """
    secrets = Secrets()
    secrets.add(os.environ.get("OPENAI_API_KEY"))
    secrets.add(os.environ.get("OPENAI_ADMIN_KEY"))
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except CLIError as exc:  # a bad id, found while parsing
        print_error(exc.message, secrets)
        return exc.status
    secrets.add(getattr(args, "api_key", None))
    secrets.add(getattr(args, "admin_key", None))
    run: Run = args.run
    with logging_to_stderr(args.verbose, secrets), warnings_as_lines(secrets):
        try:
            return run(args, secrets)
        except CLIError as exc:
            print_error(exc.message, secrets)
            return exc.status
        except KeyboardInterrupt:
            print_error("interrupted", secrets)
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            # The reader of stdout went away (``| head``): stop quietly, and keep Python from
            # complaining again when it flushes stdout at exit.
            with contextlib.suppress(OSError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            return EXIT_FAILED
