"""The ``respond`` command of ``aio-openai``: one turn of the Responses API.

::

    aio-openai respond PROMPT [--model M] [--instructions TEXT] [--stream] [--max-output-tokens N]
                              [--conversation ID | --previous-response-id ID]

Prints the reply's text on stdout (with ``--stream``, piece by piece as it arrives) and the
response's id on stderr (``response: resp_...``), so the next turn can continue it with
``--previous-response-id``; ``--conversation`` adds the turn to a conversation instead.
``PROMPT`` ``-`` reads the prompt from stdin. A response that ends ``incomplete`` or ``failed``
prints what came and exits with status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, TextIO

from ._client import AsyncOpenAI
from ._exceptions import OpenAIError
from .cli import (
    EXIT_OK,
    EXIT_USAGE,
    CLIError,
    _api_key,
    _client,
    _int_at_least,
    _wrap,
    describe_error,
)
from .types.responses import (
    Response,
    ResponseCompletedEvent,
    ResponseFailedEvent,
    ResponseIncompleteEvent,
    ResponseTextDeltaEvent,
)

if TYPE_CHECKING:
    from .cli import _Secrets

__all__ = ["DEFAULT_RESPONSE_MODEL", "add_respond_command"]

#: The model ``respond`` asks when ``--model`` is not given.
DEFAULT_RESPONSE_MODEL: Final = "gpt-4o-mini"


def _prompt(args: argparse.Namespace) -> str:
    prompt: str = args.prompt
    if prompt == "-":
        prompt = sys.stdin.read()
    if not prompt.strip():
        raise CLIError("the prompt is empty", EXIT_USAGE)
    return prompt


def _run_respond(args: argparse.Namespace, secrets: _Secrets) -> int:
    """``respond``: print the model's reply (as it streams, with ``--stream``)."""
    prompt = _prompt(args)
    client = _client(args, _api_key(args), log_level=logging.INFO)
    try:
        asyncio.run(_respond(client, args, prompt, sys.stdout, sys.stderr))
    except OpenAIError as exc:
        raise CLIError(describe_error(exc, client.base_url)) from None
    return EXIT_OK


async def _respond(
    client: AsyncOpenAI, args: argparse.Namespace, prompt: str, out: TextIO, err: TextIO
) -> None:
    """Ask once; write the reply's text to ``out`` (with a newline) and its id to ``err``."""
    params: dict[str, Any] = {"model": args.model, "input": prompt}
    if args.instructions:
        params["instructions"] = args.instructions
    if args.max_output_tokens is not None:
        params["max_output_tokens"] = args.max_output_tokens
    if args.conversation:
        params["conversation"] = args.conversation
    if args.previous_response_id:
        params["previous_response_id"] = args.previous_response_id
    final: Response | None = None
    async with client:
        if not args.stream:
            final = await client.responses.create(**params)
            out.write(final.output_text + "\n")
            out.flush()
        else:
            stream = await client.responses.create(**params, stream=True)
            try:
                async with stream:
                    async for event in stream:
                        if isinstance(event, ResponseTextDeltaEvent):
                            out.write(event.delta)
                            out.flush()
                        elif isinstance(
                            event,
                            ResponseCompletedEvent | ResponseFailedEvent | ResponseIncompleteEvent,
                        ):
                            final = event.response
            finally:
                out.write("\n")
                out.flush()
    if final is not None:
        err.write(f"response: {final.id}\n")
        if final.status not in (None, "completed"):
            details = final.incomplete_details
            if final.error is not None:
                reason = final.error.message
            elif details is not None and details.reason:
                reason = details.reason
            else:
                reason = "no reason given"
            raise CLIError(f"the response is {final.status}: {reason}")


def add_respond_command(
    commands: Any,
    *,
    parents: Sequence[argparse.ArgumentParser],
    epilog: str,
    formatter: type[argparse.HelpFormatter],
) -> None:
    """Add ``respond`` to the command parsers."""
    respond = commands.add_parser(
        "respond",
        parents=list(parents),
        help="ask the Responses API once and print the reply (--stream: as it is written)",
        description=_wrap(
            "Send PROMPT to the Responses API and print the reply's text, and the response's "
            "id on stderr. With --stream the reply is printed piece by piece as the model "
            "writes it. --previous-response-id continues an earlier response; --conversation "
            "adds the turn to a conversation. PROMPT '-' reads the prompt from stdin."
        ),
        epilog=epilog,
        formatter_class=formatter,
    )
    respond.add_argument("prompt", metavar="PROMPT", help="the input ('-': read stdin)")
    respond.add_argument(
        "--model",
        default=DEFAULT_RESPONSE_MODEL,
        metavar="MODEL",
        help="the model (default: %(default)s)",
    )
    respond.add_argument("--instructions", metavar="TEXT", help="system-level instructions")
    respond.add_argument("--stream", action="store_true", help="print the reply as it streams in")
    respond.add_argument(
        "--max-output-tokens",
        type=_int_at_least(16),
        metavar="N",
        help="the most tokens the reply may have (at least 16)",
    )
    chain = respond.add_mutually_exclusive_group()
    chain.add_argument("--conversation", metavar="ID", help="add the turn to this conversation")
    chain.add_argument("--previous-response-id", metavar="ID", help="continue from this response")
    respond.set_defaults(run=_run_respond)
