"""What every ``aio-openai`` command shares: exit statuses, errors, arguments, secrets, clients.

The command modules import these names, never the entry module (``aio_openai.cli``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import re
import sys
import textwrap
import warnings
from collections.abc import Callable, Coroutine, Iterator, Sequence
from typing import Any, Final, TextIO, TypeVar

import attrs

from .._client import (
    DEFAULT_ASSISTANTS_VERSION,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AsyncOpenAI,
)
from .._describe import describe_error
from .._exceptions import OpenAIError
from .._http import Handler, Middleware, Request
from .._http import HTTPResponse as Response
from .._progress import write_line
from .._resource import ASSISTANTS_DEPRECATED, DEPRECATED

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROG",
    "CLIError",
    "CommandParsers",
    "Run",
    "Secrets",
    "add_id_argument",
    "admin_api_key",
    "api_key",
    "call_api",
    "client_options",
    "int_at_least",
    "log",
    "logging_to_stderr",
    "make_client",
    "port",
    "positive_float",
    "print_error",
    "print_json",
    "read_prompt",
    "request_logger",
    "warnings_as_lines",
    "wrap",
]

T = TypeVar("T")

#: The command's logger: ``-v`` shows its lines (one per API call) on stderr.
log = logging.getLogger("aio_openai.cli")

PROG: Final = "aio-openai"

#: Exit statuses.
EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
EXIT_USAGE: Final = 2
EXIT_INTERRUPTED: Final = 130


class CLIError(Exception):
    """A failure to report as one ``error: ...`` line, with its exit status."""

    def __init__(self, message: str, status: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# -- argument types -----------------------------------------------------------------------------


def positive_float(text: str) -> float:
    """An argument type: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {text!r}")
    return value


def int_at_least(minimum: int) -> Callable[[str], int]:
    """An argument type: an integer not below ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}: {text!r}")
        return value

    parse.__name__ = f"integer >= {minimum}"
    return parse


def port(text: str) -> int:
    """An argument type: a TCP port, 0 to 65535."""
    value = int_at_least(0)(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {text!r}")
    return value


def _identifier(what: str) -> Callable[[str], str]:
    """The argparse type of an id named ``what`` (``MODEL``, ``--conversation``).

    An id is never empty, ``.`` or ``..``: such a value is bad usage, reported as one
    ``error:`` line with exit status 2 (a CLIError, which argparse lets through).
    """

    def parse(text: str) -> str:
        if not text:
            raise CLIError(f"{what}: an id must not be empty", EXIT_USAGE)
        if text in (".", ".."):
            raise CLIError(f"{what}: {text!r} is not an id", EXIT_USAGE)
        return text

    parse.__name__ = "id"
    return parse


def add_id_argument(
    parser: argparse._ActionsContainer, *names: str, **kwargs: Any
) -> argparse.Action:
    """``parser.add_argument`` for an id: a positional (named by its metavar) or an option."""
    what = names[0] if names[0].startswith("-") else kwargs.get("metavar", names[0].upper())
    action: argparse.Action = parser.add_argument(*names, type=_identifier(what), **kwargs)
    return action


def read_prompt(prompt: str) -> str:
    """The prompt argument, ``-`` read from stdin (one final newline stripped); never blank."""
    if prompt == "-":
        prompt = sys.stdin.read()
        prompt = prompt.removesuffix("\n").removesuffix("\r")
    if not prompt.strip():
        raise CLIError("the prompt is empty", EXIT_USAGE)
    return prompt


# -- building the parsers -----------------------------------------------------------------------


def wrap(text: str) -> str:
    """A description paragraph wrapped for the raw-description help formatter."""
    return textwrap.fill(text, width=78)


def client_options(base_url_help: str) -> argparse.ArgumentParser:
    """A parent parser with the options of the client: base URL, key, timeout, retries."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("client options")
    group.add_argument("--base-url", metavar="URL", help=base_url_help)
    group.add_argument(
        "--api-key",
        metavar="KEY",
        help="the API key; prefer the OPENAI_API_KEY environment variable",
    )
    group.add_argument(
        "--timeout",
        type=positive_float,
        metavar="SECONDS",
        help=f"time limit of each attempt (default: {DEFAULT_TIMEOUT:g})",
    )
    group.add_argument(
        "--max-retries",
        type=int_at_least(0),
        metavar="N",
        help=f"retries of a failed call (default: {DEFAULT_MAX_RETRIES})",
    )
    return parent


@attrs.frozen(kw_only=True)
class CommandParsers:
    """What each command module gets to add its commands: ``add_*_commands(commands, p)``.

    ``client`` holds the client's options, ``verbosity`` ``-v``; ``epilog`` says the
    environment variables and exit statuses of the API commands.
    """

    client: argparse.ArgumentParser
    verbosity: argparse.ArgumentParser
    epilog: str
    formatter: type[argparse.HelpFormatter]

    @property
    def parents(self) -> list[argparse.ArgumentParser]:
        """The parents of a command calling the API: the client's options and ``-v``."""
        return [self.client, self.verbosity]

    def command(
        self,
        commands: Any,
        name: str,
        run: Run,
        *,
        help: str,
        description: str,
        parents: Sequence[argparse.ArgumentParser] | None = None,
        epilog: str | None = None,
    ) -> argparse.ArgumentParser:
        """Add the command ``name``, which ``run`` runs; return its parser, for its arguments.

        The description is wrapped; ``parents`` and ``epilog`` default to those of the API
        commands.
        """
        parser: argparse.ArgumentParser = commands.add_parser(
            name,
            parents=self.parents if parents is None else list(parents),
            help=help,
            description=wrap(description),
            epilog=self.epilog if epilog is None else epilog,
            formatter_class=self.formatter,
        )
        parser.set_defaults(run=run)
        return parser


# -- secrets and stderr -------------------------------------------------------------------------


class Secrets:
    """The values that must never be printed; ``redact`` masks them in a text."""

    def __init__(self) -> None:
        self._values: set[str] = set()

    def add(self, value: str | None) -> None:
        if value:
            self._values.add(value)

    def redact(self, text: str) -> str:
        for value in sorted(self._values, key=len, reverse=True):
            text = text.replace(value, "<redacted>")
        return text


#: What runs a command: it gets the parsed arguments and the secrets, and returns the exit status.
Run = Callable[[argparse.Namespace, Secrets], int]


def print_error(message: str, secrets: Secrets) -> None:
    """Write ``error: message`` on stderr, the secrets masked."""
    write_line(sys.stderr, f"error: {secrets.redact(message)}")


def print_json(data: Any) -> None:
    """Write ``data`` on stdout as indented JSON (non-ASCII text as it is), flushed."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


@contextlib.contextmanager
def warnings_as_lines(secrets: Secrets) -> Iterator[None]:
    """For the block, print each warning as one ``warning: ...`` line on stderr.

    Python's own format adds the file, line and source line of the code that warned, which
    says nothing to a user of the command. Which warnings show is left to the filters, but
    for the Assistants API's DeprecationWarning, never shown: a user of ``aio-openai
    assistants`` (or of a batch of such calls) chose that API knowingly.
    """

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        text = " ".join(str(message).split())
        with contextlib.suppress(OSError, ValueError):
            write_line(file or sys.stderr, f"warning: {secrets.redact(text)}")

    with warnings.catch_warnings():
        warnings.showwarning = show
        for message in (ASSISTANTS_DEPRECATED, DEPRECATED):
            warnings.filterwarnings("ignore", f"{re.escape(message)}$", DeprecationWarning)
        yield


class _RedactingFormatter(logging.Formatter):
    """A log formatter that masks the secrets in the finished line."""

    def __init__(self, secrets: Secrets) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return self._secrets.redact(super().format(record))


class _LineHandler(logging.StreamHandler[TextIO]):
    """A stream handler writing each record as a line beside any progress bar on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            write_line(self.stream, self.format(record))
        except Exception:
            self.handleError(record)


@contextlib.contextmanager
def logging_to_stderr(verbose: int, secrets: Secrets) -> Iterator[None]:
    """With ``-v``/``-vv``, send the ``aio_openai`` logger to stderr for the block."""
    if not verbose:
        yield
        return
    logger = logging.getLogger("aio_openai")
    handler = _LineHandler(sys.stderr)
    handler.setFormatter(_RedactingFormatter(secrets))
    old_level = logger.level
    logger.setLevel(logging.INFO if verbose == 1 else logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


# -- the client ---------------------------------------------------------------------------------


def request_logger(level: int) -> Middleware:
    """A middleware logging each call: method, URL, status or error, time, request id.

    It sits outside the retry middleware, so it sees a call once, with its attempt count.
    """

    async def log_call(request: Request, call_next: Handler) -> Response:
        if not log.isEnabledFor(level):
            return await call_next(request)
        try:
            response = await call_next(request)
        except OpenAIError as exc:
            log.log(level, "%s %s failed: %s", request.method, request.url, type(exc).__name__)
            raise
        log.log(
            level,
            "%s %s -> %s in %.1f ms, %d attempt(s) (request id %s)",
            request.method,
            request.url,
            response.status,
            response.elapsed * 1000,
            response.attempts,
            response.request_id,
        )
        return response

    return log_call


def api_key(args: argparse.Namespace) -> str:
    """The key of ``--api-key``, else of OPENAI_API_KEY; CLIError (status 2) when neither."""
    key: str | None = args.api_key or os.environ.get("OPENAI_API_KEY")
    if not key:
        raise CLIError(
            "no API key: set the OPENAI_API_KEY environment variable (or pass --api-key)",
            EXIT_USAGE,
        )
    return key


def admin_api_key(args: argparse.Namespace) -> str:
    """The key of ``--admin-key``, else of OPENAI_ADMIN_KEY; CLIError (status 2) when neither."""
    key: str | None = getattr(args, "admin_key", None) or os.environ.get("OPENAI_ADMIN_KEY")
    if not key:
        raise CLIError(
            "no admin API key: set the OPENAI_ADMIN_KEY environment variable (or pass --admin-key)",
            EXIT_USAGE,
        )
    return key


def make_client(args: argparse.Namespace, *, log_level: int, admin: bool = False) -> AsyncOpenAI:
    """The client the options ask for; CLIError (status 2) for no key, a bad base URL or key.

    Each call is logged at ``log_level`` (``-v`` shows INFO, ``-vv`` DEBUG too). An
    ``admin`` client has the admin key only (for ``client.admin`` calls).
    """
    key, admin_key = (None, admin_api_key(args)) if admin else (api_key(args), None)
    try:
        return AsyncOpenAI(
            api_key=key,
            admin_api_key=admin_key,
            base_url=args.base_url,
            timeout=DEFAULT_TIMEOUT if args.timeout is None else args.timeout,
            max_retries=args.max_retries,
            middlewares=[request_logger(log_level)],
            assistants_version=getattr(args, "assistants_version", DEFAULT_ASSISTANTS_VERSION),
        )
    except (ValueError, TypeError, OpenAIError) as exc:
        raise CLIError(str(exc), EXIT_USAGE) from None


def call_api(
    args: argparse.Namespace,
    call: Callable[[AsyncOpenAI], Coroutine[Any, Any, T]],
    *,
    log_level: int = logging.INFO,
    admin: bool = False,
) -> T:
    """Run ``call`` with the client the options ask for (``admin``: with the admin key);
    return what it returns.

    An API error becomes a CLIError (status 1) saying what went wrong, in one line.
    """
    client = make_client(args, log_level=log_level, admin=admin)
    try:
        return asyncio.run(call(client))
    except OpenAIError as exc:
        raise CLIError(describe_error(exc, client.base_url)) from None
