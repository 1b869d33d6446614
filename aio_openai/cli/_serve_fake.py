"""The ``serve-fake`` command of ``aio-openai``: FakeOpenAI for other programs.

::

    aio-openai serve-fake [--host H] [--port N] [--api-key KEY]... [--model ID]... [--owner O]
                          [--accept-any-model] [--no-generic] [--rpm N] [--tpm N] [--fault-rate R]
                          [--fault-kind KIND]... [--fault-delay S] [--seed N]
                          [--reply PROMPT=ANSWER]... [--config FILE]

It prints one line, ``FakeOpenAI listening on URL``, then serves until SIGINT or SIGTERM and
exits 0. ``--config`` reads the same settings from a TOML or JSON file (see
:mod:`aio_openai.testing._config`); options given on the command line are laid over it (lists
are added to, values replaced).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from ._common import (
    EXIT_OK,
    EXIT_USAGE,
    CLIError,
    CommandParsers,
    add_id_argument,
    int_at_least,
    log,
    port,
)

if TYPE_CHECKING:
    from ..testing import FakeOpenAI
    from ..testing._config import FakeConfig
    from ._common import Secrets

__all__ = ["add_serve_fake_command"]

_CONFIG_HELP = """\
--config FILE (TOML if it ends in .toml, else JSON), every key optional:
  host = "127.0.0.1"                port = 8000
  api_keys = ["sk-test"]            accept_any_model = false
  generic = true
  models = ["my-model", {id = "ft:gpt-4o-mini:acme::abc", owned_by = "acme"}]
  rpm = 60                          tpm = 40000
  fault_rate = 0.1                  fault_kinds = ["status_503", "reset"]
  fault_delay = 2.0                 seed = 1234
  [replies]
  "Hi" = "Hello!"

examples:
  aio-openai serve-fake --port 8000 --api-key sk-test
  aio-openai serve-fake --model ft:gpt-4o-mini:acme::abc --owner acme
  aio-openai serve-fake --rpm 60 --fault-rate 0.2 --seed 7 --reply 'Hi=Hello!'
  aio-openai serve-fake --config fake.toml

exit status: 0 stopped by SIGINT or SIGTERM, 1 cannot listen, 2 bad usage or config
"""


def _number(accepts: Callable[[float], bool], wants: str) -> Callable[[str], float]:
    """An argument type: a number for which ``accepts`` is true, else "must be ``wants``"."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not accepts(value):
            raise argparse.ArgumentTypeError(f"must be {wants}: {text!r}")
        return value

    return parse


_rate = _number(lambda v: 0 <= v <= 1, "between 0 and 1")
_per_minute = _number(lambda v: 0 < v < math.inf, "a positive number per minute")
_seconds = _number(lambda v: 0 <= v < math.inf, "a number of seconds >= 0")


def _reply(text: str) -> tuple[str, str]:
    prompt, sep, answer = text.partition("=")
    if not sep or not prompt:
        raise argparse.ArgumentTypeError(
            f"expected PROMPT=ANSWER (use --config for prompts with '='): {text!r}"
        )
    return prompt, answer


def add_serve_fake_command(commands: Any, parsers: CommandParsers) -> None:
    """Add ``serve-fake`` to the command parsers (it takes ``-v`` but no client options)."""
    serve = parsers.command(
        commands,
        "serve-fake",
        _run_serve_fake,
        help="run a fake OpenAI server in the foreground",
        description=(
            "Run FakeOpenAI (OpenAI's wire format; the seed models gpt-4o, gpt-4o-mini, "
            "text-embedding-3-small, ... and any you add) for other programs. A request naming "
            "a model it does not serve gets OpenAI's 404 model_not_found. Prints one line, "
            "'FakeOpenAI listening on URL', then serves until SIGINT (Ctrl-C) or SIGTERM and "
            "exits 0."
        ),
        parents=[parsers.verbosity],
        epilog=_CONFIG_HELP,
    )
    serve.add_argument("--config", metavar="FILE", help="read settings from a TOML or JSON file")
    serve.add_argument("--host", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=port, help="port to bind; 0 picks a free one (default)")
    serve.add_argument(
        "--api-key",
        dest="accept_keys",
        action="append",
        default=[],
        metavar="KEY",
        help="accept only this key (repeat for several); default: any non-empty key",
    )
    models = serve.add_argument_group("models")
    add_id_argument(
        models,
        "--model",
        dest="models",
        action="append",
        default=[],
        metavar="ID",
        help="serve this model too (repeat for several); it can be deleted",
    )
    models.add_argument(
        "--owner",
        default="user",
        metavar="OWNER",
        help="owned_by of the --model models (default: %(default)s)",
    )
    models.add_argument(
        "--accept-any-model",
        action="store_true",
        default=None,
        help="accept requests naming any model, instead of 404 model_not_found",
    )
    serve.add_argument(
        "--no-generic",
        dest="generic",
        action="store_false",
        default=None,
        help="answer only the hand-written fake APIs: no generic mode (the other operations "
        "of OpenAI's spec answered from the spec), so they get 404",
    )
    faults = serve.add_argument_group("rate limits and faults")
    faults.add_argument("--rpm", type=_per_minute, metavar="N", help="requests per minute")
    faults.add_argument("--tpm", type=_per_minute, metavar="N", help="tokens per minute")
    faults.add_argument(
        "--fault-rate",
        type=_rate,
        metavar="R",
        help="fail this share of requests (0 to 1) at random",
    )
    faults.add_argument(
        "--fault-kind",
        dest="fault_kinds",
        action="append",
        default=[],
        metavar="KIND",
        help="a kind of random fault: status_503 (any status_NNN), reset, truncate, "
        "invalid_json, insufficient_quota, delay, stream_cut, ... (repeat for several; "
        "default: status_500, status_502, status_503, reset)",
    )
    faults.add_argument(
        "--fault-delay", type=_seconds, metavar="SECONDS", help="how long a delay fault waits"
    )
    faults.add_argument(
        "--seed", type=int_at_least(0), metavar="N", help="seed of the random faults (default 0)"
    )
    serve.add_argument(
        "--reply",
        dest="replies",
        action="append",
        type=_reply,
        default=[],
        metavar="PROMPT=ANSWER",
        help="answer this last user message (chat, responses, assistants, realtime) with ANSWER",
    )


def _fake(args: argparse.Namespace) -> tuple[FakeOpenAI, FakeConfig]:
    """The server the config file (if any) and the options over it describe, not started."""
    from ..testing._config import ConfigError, FakeConfig, FakeModel, load_config

    try:
        base = FakeConfig() if args.config is None else load_config(args.config)
        config = base.merge(
            FakeConfig(
                host=args.host,
                port=args.port,
                api_keys=tuple(args.accept_keys),
                accept_any_model=args.accept_any_model,
                generic=args.generic,
                models=tuple(FakeModel(m, owned_by=args.owner) for m in args.models),
                rpm=args.rpm,
                tpm=args.tpm,
                fault_rate=args.fault_rate,
                fault_kinds=tuple(args.fault_kinds),
                fault_delay=args.fault_delay,
                seed=args.seed,
                replies=dict(args.replies),
            )
        )
        return config.build(), config
    except ConfigError as exc:
        raise CLIError(str(exc), EXIT_USAGE) from None


def _run_serve_fake(args: argparse.Namespace, secrets: Secrets) -> int:
    """``serve-fake``: run FakeOpenAI until SIGINT or SIGTERM."""
    fake, config = _fake(args)
    for key in config.api_keys:
        secrets.add(key)
    try:
        asyncio.run(_serve_fake(fake, sys.stdout))
    except KeyboardInterrupt:  # no signal handlers in this thread: Ctrl-C still ends cleanly
        return EXIT_OK
    except OSError as exc:
        raise CLIError(f"cannot listen on {fake.host} port {config.port or 0}: {exc}") from None
    return EXIT_OK


async def _serve_fake(fake: FakeOpenAI, out: TextIO) -> None:
    """Serve until a stop signal, after printing the URL line (flushed)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError, ValueError):
            continue
        installed.append(sig)
    try:
        async with fake:
            out.write(f"FakeOpenAI listening on {fake.url}\n")
            out.flush()
            log.info("serving until SIGINT or SIGTERM")
            await stop.wait()
            log.info("stopping")
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
