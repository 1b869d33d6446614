"""The ``respond`` command of ``aio-openai``: the Responses API.

::

    aio-openai respond PROMPT [--model M] [--instructions TEXT] [--stream] [--max-output-tokens N]
                              [--conversation ID | --previous-response-id ID]

``respond`` prints the reply's text on stdout (with ``--stream``, piece by piece as it
arrives) and the response's id on stderr (``response: resp_...``), so the next turn can
continue it with ``--previous-response-id``; ``--conversation`` adds the turn to a
conversation instead (one ``conversations create`` makes). ``PROMPT`` ``-`` reads the prompt
from stdin (without its final newline). A response that ends ``incomplete`` or ``failed``
prints what came and exits with status 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, Final, TextIO

from .._client import AsyncOpenAI
from ._common import (
    EXIT_OK,
    CLIError,
    CommandParsers,
    add_id_argument,
    call_api,
    int_at_least,
    read_prompt,
)

if TYPE_CHECKING:
    from ..types.responses import Response
    from ._common import Secrets

__all__ = ["DEFAULT_RESPONSE_MODEL", "add_respond_command"]

#: The model ``respond`` asks when ``--model`` is not given.
DEFAULT_RESPONSE_MODEL: Final = "gpt-4o-mini"


def _run_respond(args: argparse.Namespace, secrets: Secrets) -> int:
    """``respond``: print the model's reply (as it streams, with ``--stream``)."""
    prompt = read_prompt(args.prompt)
    call_api(args, lambda client: _respond(client, args, prompt, sys.stdout, sys.stderr))
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
    if args.conversation is not None:
        params["conversation"] = args.conversation
    if args.previous_response_id is not None:
        params["previous_response_id"] = args.previous_response_id
    from ..types.responses import (  # here: the types load when a command uses them
        ResponseCompletedEvent,
        ResponseFailedEvent,
        ResponseIncompleteEvent,
        ResponseTextDeltaEvent,
    )

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


def add_respond_command(commands: Any, parsers: CommandParsers) -> None:
    """Add ``respond`` to the command parsers."""
    respond = parsers.command(
        commands,
        "respond",
        _run_respond,
        help="ask the Responses API once and print the reply (--stream: as it is written)",
        description=(
            "Send PROMPT to the Responses API and print the reply's text, and the response's "
            "id on stderr. With --stream the reply is printed piece by piece as the model "
            "writes it. --previous-response-id continues an earlier response; --conversation "
            "adds the turn to a conversation (see 'aio-openai conversations'). PROMPT '-' reads "
            "the prompt from stdin (one final newline is dropped)."
        ),
    )
    respond.add_argument("prompt", metavar="PROMPT", help="the input ('-': read stdin)")
    add_id_argument(
        respond,
        "--model",
        default=DEFAULT_RESPONSE_MODEL,
        metavar="MODEL",
        help="the model (default: %(default)s)",
    )
    respond.add_argument("--instructions", metavar="TEXT", help="system-level instructions")
    respond.add_argument("--stream", action="store_true", help="print the reply as it streams in")
    respond.add_argument(
        "--max-output-tokens",
        type=int_at_least(16),
        metavar="N",
        help="the most tokens the reply may have (at least 16)",
    )
    chain = respond.add_mutually_exclusive_group()
    add_id_argument(chain, "--conversation", metavar="ID", help="add the turn to this conversation")
    add_id_argument(
        chain, "--previous-response-id", metavar="ID", help="continue from this response"
    )
