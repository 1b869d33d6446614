"""The ``aio-openai`` command: the OpenAI API from the shell, a fake OpenAI, and the demo.

::

    aio-openai chat PROMPT [--model M] [--stream]       print a chat model's reply
    aio-openai embed TEXT... [--model M]                print embeddings as JSON
    aio-openai respond PROMPT [--stream]                print a Responses API reply
    aio-openai conversations create|get|delete|items    the Conversations API, as JSON
    aio-openai batch REQUESTS -o OUTPUT                 run a Batch API file now, resumably
    aio-openai models list | get MODEL | delete MODEL   print the API's JSON on stdout
    aio-openai assistants | threads | messages | runs  the Assistants API, the same way
    aio-openai serve-fake [--port N] [--model ID] ...   run FakeOpenAI until SIGINT/SIGTERM
    aio-openai demo [--requests N] [--concurrency C]    bulk concurrent lookups, with a summary

Exit status: 0 on success, 1 when the API call (or the demo) failed, 2 for bad usage (an empty
id among them) or a missing API key, 130 when interrupted. Errors are one ``error: ...`` line
on stderr and warnings one ``warning: ...`` line, never a traceback, and the API key is never
written anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import sys
import textwrap
import warnings
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Any, Final, TextIO

from yarl import URL

from ._client import (
    DEFAULT_ASSISTANTS_VERSION,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AsyncOpenAI,
)
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    OpenAIError,
)
from ._http import Handler, Middleware, Request
from ._http import HTTPResponse as Response
from ._polling import PollTimeoutError
from ._progress import write_line
from ._response import APIResponse
from ._version import __version__

__all__ = ["build_parser", "describe_error", "main"]

log = logging.getLogger("aio_openai.cli")

PROG: Final = "aio-openai"

#: Exit statuses.
EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
EXIT_USAGE: Final = 2
EXIT_INTERRUPTED: Final = 130

_ENV_HELP: Final = """\
environment:
  OPENAI_API_KEY    the API key (preferred over --api-key, which other users of this
                    machine can read in the process list)
  OPENAI_BASE_URL   the API's base URL when --base-url is not given
                    (default: {default})

exit status: 0 ok, 1 the call failed, 2 bad usage or no API key, 130 interrupted
"""

_DEMO_ENV_HELP: Final = """\
environment:
  OPENAI_API_KEY    the API key for --base-url (preferred over --api-key); the embedded
                    FakeOpenAI needs none, and is never sent this one

exit status: 0 ok, 1 every lookup failed, 2 bad usage or no API key, 130 interrupted
"""


class CLIError(Exception):
    """A failure to report as one ``error: ...`` line, with its exit status."""

    def __init__(self, message: str, status: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# -- argument types -----------------------------------------------------------------------------


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {text!r}")
    return value


def _int_at_least(minimum: int) -> Callable[[str], int]:
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


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """``1 line``, ``2 lines``, ``1,000 requests``: a count with its noun in number."""
    word = noun if count == 1 else (plural_noun or noun + "s")
    return f"{count:,} {word}"


def _port(text: str) -> int:
    value = _int_at_least(0)(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {text!r}")
    return value


# -- the parser ---------------------------------------------------------------------------------


def _client_options(base_url_help: str) -> argparse.ArgumentParser:
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
        type=_positive_float,
        metavar="SECONDS",
        help=f"time limit of each attempt (default: {DEFAULT_TIMEOUT:g})",
    )
    group.add_argument(
        "--max-retries",
        type=_int_at_least(0),
        metavar="N",
        help=f"retries of a failed call (default: {DEFAULT_MAX_RETRIES})",
    )
    return parent


def _wrap(text: str) -> str:
    """A description paragraph wrapped for the raw-description help formatter."""
    return textwrap.fill(text, width=78)


def build_parser() -> argparse.ArgumentParser:
    """The ``aio-openai`` argument parser, with every subcommand and its ``--help``."""
    formatter = argparse.RawDescriptionHelpFormatter
    env_help = _ENV_HELP.format(default=DEFAULT_BASE_URL)

    verbosity = argparse.ArgumentParser(add_help=False)
    verbosity.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=argparse.SUPPRESS,
        help="log to stderr: -v INFO (each API call), -vv DEBUG",
    )

    client_opts = _client_options(
        f"the API's base URL (default: $OPENAI_BASE_URL, else {DEFAULT_BASE_URL})"
    )
    demo_opts = _client_options(
        "run against this server (key from OPENAI_API_KEY) instead of the embedded "
        "FakeOpenAI; OPENAI_BASE_URL is not used"
    )

    parser = argparse.ArgumentParser(
        prog=PROG,
        description=_wrap(
            "A fast async client for the OpenAI REST API, from the shell. chat, embed and "
            "respond ask a model once and print the answer; conversations keeps the context "
            "respond --conversation adds turns to; batch runs an OpenAI Batch API requests "
            "file now, concurrently and resumably; models, and assistants, threads, messages "
            "and runs (the Assistants API), print the API's JSON; serve-fake runs a fake "
            "OpenAI server for other programs; demo shows bulk concurrent calls against one."
        ),
        epilog=env_help + "\nexamples:\n"
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
        formatter_class=formatter,
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

    json_commands = JsonCommands(
        parents=[client_opts, verbosity], epilog=env_help, formatter=formatter
    )
    actions = json_commands.group(
        commands,
        "models",
        help="list, get or delete models; prints the API's JSON",
        description="Call the Models API and print its JSON answer on stdout, as sent.",
    )
    json_commands.action(
        actions,
        "list",
        _models_list,
        help="print the list object of every model the key may use",
        description='Print {"object": "list", "data": [...]}: every model the key may use.',
    )
    get = json_commands.action(
        actions,
        "get",
        _models_get,
        help="print one model",
        description="Print one model object (GET /models/MODEL).",
    )
    add_id_argument(get, "model", metavar="MODEL", help="the model id, e.g. gpt-4o")
    delete = json_commands.action(
        actions,
        "delete",
        _models_delete,
        help="delete a fine-tuned model you own",
        description="Delete a fine-tuned model you own and print the deletion object.",
    )
    add_id_argument(delete, "model", metavar="MODEL", help="the fine-tuned model's id")

    from ._cli_beta import add_beta_commands

    add_beta_commands(
        commands, parents=[client_opts, verbosity], epilog=env_help, formatter=formatter
    )

    from ._cli_chat import add_chat_commands

    add_chat_commands(
        commands, parents=[client_opts, verbosity], epilog=env_help, formatter=formatter
    )

    from ._cli_respond import add_conversations_commands, add_respond_command

    add_respond_command(
        commands, parents=[client_opts, verbosity], epilog=env_help, formatter=formatter
    )
    add_conversations_commands(
        commands, parents=[client_opts, verbosity], epilog=env_help, formatter=formatter
    )

    from ._batch_runner import add_batch_command

    add_batch_command(commands, parents=[client_opts, verbosity], formatter=formatter)

    from ._cli_serve_fake import add_serve_fake_command

    add_serve_fake_command(commands, parents=[verbosity], formatter=formatter)

    demo = commands.add_parser(
        "demo",
        parents=[demo_opts, verbosity],
        help="bulk concurrent model lookups against an embedded fake server",
        description=_wrap(
            "Run the demo: N models.retrieve calls through a pool of C concurrent workers, "
            "cycling over the fake server's 27 models, with one lookup in 100 for a model "
            "that does not exist (counted as an error, not fatal). Progress goes to stderr, "
            "the summary table (counts, errors by class, throughput, latency percentiles) to "
            "stdout. Without --base-url it starts an embedded FakeOpenAI in the same event "
            "loop (no key needed); with it, it runs against that server."
        ),
        epilog=_DEMO_ENV_HELP,
        formatter_class=formatter,
    )
    demo.add_argument(
        "--requests",
        type=_int_at_least(0),
        default=5000,
        metavar="N",
        help="lookups to make (default: %(default)s)",
    )
    demo.add_argument(
        "--concurrency",
        type=_int_at_least(1),
        default=64,
        metavar="C",
        help="worker tasks, i.e. requests in flight (default: %(default)s)",
    )
    demo.set_defaults(run=_run_demo)
    return parser


# -- entry point --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``aio-openai`` command with ``argv`` (default: ``sys.argv[1:]``).

    Returns the exit status (0 ok, 1 failed, 2 bad usage or no API key, 130 interrupted);
    ``--help`` and usage errors return too, rather than raising SystemExit.
    """
    secrets = _Secrets()
    secrets.add(os.environ.get("OPENAI_API_KEY"))
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except CLIError as exc:  # a bad id, found while parsing
        _print_error(exc.message, secrets)
        return exc.status
    secrets.add(getattr(args, "api_key", None))
    run: Callable[[argparse.Namespace, _Secrets], int] = args.run
    with _logging(args.verbose, secrets), _warnings(secrets):
        try:
            return run(args, secrets)
        except CLIError as exc:
            _print_error(exc.message, secrets)
            return exc.status
        except KeyboardInterrupt:
            _print_error("interrupted", secrets)
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            # The reader of stdout went away (``| head``): stop quietly, and keep Python from
            # complaining again when it flushes stdout at exit.
            with contextlib.suppress(OSError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            return EXIT_FAILED


class _Secrets:
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


def _print_error(message: str, secrets: _Secrets) -> None:
    write_line(sys.stderr, f"error: {secrets.redact(message)}")


@contextlib.contextmanager
def _warnings(secrets: _Secrets) -> Iterator[None]:
    """For the block, print each warning as one ``warning: ...`` line on stderr.

    Python's own format adds the file, line and source line of the code that warned, which
    says nothing to a user of the command. Which warnings show is left to the filters.
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
        yield


class _RedactingFormatter(logging.Formatter):
    """A log formatter that masks the secrets in the finished line."""

    def __init__(self, secrets: _Secrets) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return self._secrets.redact(super().format(record))


class _LineHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler writing each record as a line beside any progress bar on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            write_line(self.stream, self.format(record))
        except Exception:
            self.handleError(record)


@contextlib.contextmanager
def _logging(verbose: int, secrets: _Secrets) -> Iterator[None]:
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


def _request_logger(level: int) -> Middleware:
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


def _api_key(args: argparse.Namespace) -> str:
    key: str | None = args.api_key or os.environ.get("OPENAI_API_KEY")
    if not key:
        raise CLIError(
            "no API key: set the OPENAI_API_KEY environment variable (or pass --api-key)",
            EXIT_USAGE,
        )
    return key


def _client(args: argparse.Namespace, api_key: str, *, log_level: int) -> AsyncOpenAI:
    """The client the options ask for; CLIError (status 2) for a bad base URL or key."""
    try:
        return AsyncOpenAI(
            api_key=api_key,
            base_url=args.base_url,
            timeout=DEFAULT_TIMEOUT if args.timeout is None else args.timeout,
            max_retries=args.max_retries,
            middlewares=[_request_logger(log_level)],
            assistants_version=getattr(args, "assistants_version", DEFAULT_ASSISTANTS_VERSION),
        )
    except (ValueError, TypeError, OpenAIError) as exc:
        raise CLIError(str(exc), EXIT_USAGE) from None


def _where(exc: OpenAIError, base_url: URL | str | None) -> str:
    """``base_url``, else the failed request's URL, fit to print (no user or password)."""
    if base_url is None:
        request = getattr(exc, "request", None)
        base_url = request.url if request is not None else None
    if base_url is None:
        return "the server"
    url = URL(str(base_url))
    return str(url.with_user(None)) if url.absolute else str(url)


def describe_error(exc: OpenAIError, base_url: URL | str | None = None) -> str:
    """One line saying what went wrong with a call to the API at ``base_url``.

    Without ``base_url``, a connection error names the URL of the failed request.
    """
    if isinstance(exc, APIStatusError):
        body = exc.body  # the inner error object, as the official SDK gives it
        detail = body.get("message") if isinstance(body, Mapping) else None
        if not isinstance(detail, str) or not detail:
            detail = exc.response.reason or exc.message
        where = f" (request id {exc.request_id})" if exc.request_id else ""
        return f"{exc.status_code} {type(exc).__name__}: {detail}{where}"
    if isinstance(exc, PollTimeoutError) and exc.last is not None:
        noun = type(exc.last).__name__.lower()
        status = getattr(exc.last, "status", None) or "unknown"
        return f"{noun} {exc.last.id} is still {status} after the deadline of {exc.deadline:g} s"
    if isinstance(exc, APITimeoutError):
        return f"timed out waiting for {_where(exc, None)}"
    if isinstance(exc, APIConnectionError):
        return f"cannot connect to {_where(exc, base_url)}: {exc.reason or exc.message}"
    if isinstance(exc, APIResponseValidationError):
        where = f" (request id {exc.request_id})" if exc.request_id else ""
        return f"invalid response from {_where(exc, base_url)}: {exc.message}{where}"
    return f"{type(exc).__name__}: {exc}"


# -- calls that print the API's JSON ------------------------------------------------------------

#: A call a command makes: it returns the raw response, whose JSON the command prints.
ApiCall = Callable[[AsyncOpenAI, argparse.Namespace], Awaitable[APIResponse[Any]]]


def run_api_call(args: argparse.Namespace, secrets: _Secrets) -> int:
    """Make the call ``args.call`` and print the API's JSON answer on stdout, as sent."""
    client = _client(args, _api_key(args), log_level=logging.INFO)
    try:
        data = asyncio.run(_call_json(client, args.call, args))
    except OpenAIError as exc:
        raise CLIError(describe_error(exc, client.base_url)) from None
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return EXIT_OK


class JsonCommands:
    """Adds command groups whose actions each make one API call and print its JSON answer.

    Every action gets the ``parents`` (the client's options), the ``epilog``, and ``note``
    after its description.
    """

    def __init__(
        self,
        *,
        parents: Sequence[argparse.ArgumentParser],
        epilog: str,
        formatter: type[argparse.HelpFormatter],
        note: str = "",
    ) -> None:
        self.parents = list(parents)
        self.epilog = epilog
        self.formatter = formatter
        self.note = note

    def _description(self, text: str) -> str:
        return _wrap(f"{text} {self.note}".rstrip())

    def group(self, commands: Any, name: str, *, help: str, description: str) -> Any:
        """Add the group ``name`` to ``commands``; return its actions, to add to."""
        parser = commands.add_parser(
            name,
            help=help,
            description=self._description(description),
            epilog=self.epilog,
            formatter_class=self.formatter,
        )
        actions = parser.add_subparsers(title="actions", dest="action", metavar="ACTION")
        actions.required = True
        return actions

    def action(
        self, actions: Any, name: str, call: ApiCall, *, help: str, description: str | None = None
    ) -> argparse.ArgumentParser:
        """Add the action ``name`` making ``call``; return its parser, for its arguments."""
        parser: argparse.ArgumentParser = actions.add_parser(
            name,
            parents=self.parents,
            help=help,
            description=self._description(description or f"{help[0].upper()}{help[1:]}."),
            epilog=self.epilog,
            formatter_class=self.formatter,
        )
        parser.set_defaults(run=run_api_call, call=call)
        return parser


async def _call_json(client: AsyncOpenAI, call: ApiCall, args: argparse.Namespace) -> Any:
    """Make the call, check the answer parses as its type, and return its JSON."""
    async with client:
        response = await call(client, args)
        response.parse()
        return response.json()


async def _models_list(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.models.with_raw_response.list()


async def _models_get(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.models.with_raw_response.retrieve(args.model)


async def _models_delete(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.models.with_raw_response.delete(args.model)


# -- demo ---------------------------------------------------------------------------------------


def _run_demo(args: argparse.Namespace, secrets: _Secrets) -> int:
    """``demo``: run the demo's sections; 1 if a section could not do its job."""
    from ._demo import DemoOptions, run_demo

    api_key = _api_key(args) if args.base_url is not None else None
    options = DemoOptions(
        requests=args.requests,
        concurrency=args.concurrency,
        base_url=args.base_url,
        api_key=api_key,
        timeout=args.timeout,
        max_retries=args.max_retries,
        middlewares=(_request_logger(logging.DEBUG),),
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
            _print_error(message, secrets)
            status = EXIT_FAILED
    return status
