"""The ``respond`` and ``conversations`` commands of ``aio-openai``: the Responses API.

::

    aio-openai respond PROMPT [--model M] [--instructions TEXT] [--stream] [--max-output-tokens N]
                              [--conversation ID | --previous-response-id ID]
    aio-openai conversations create [--message TEXT]... | get ID | delete ID
    aio-openai conversations items list ID | items add ID --message TEXT...

``respond`` prints the reply's text on stdout (with ``--stream``, piece by piece as it
arrives) and the response's id on stderr (``response: resp_...``), so the next turn can
continue it with ``--previous-response-id``; ``--conversation`` adds the turn to a
conversation instead (one ``conversations create`` makes). ``PROMPT`` ``-`` reads the prompt
from stdin (without its final newline). A response that ends ``incomplete`` or ``failed``
prints what came and exits with status 1. ``conversations`` prints the API's JSON answer.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, TextIO

from ._cli_beta import add_listing_options, add_metadata_option, list_query, metadata
from ._client import AsyncOpenAI
from ._exceptions import OpenAIError
from .cli import (
    EXIT_OK,
    ApiCall,
    CLIError,
    JsonCommands,
    _api_key,
    _client,
    _int_at_least,
    _wrap,
    add_id_argument,
    describe_error,
    read_prompt,
)

if TYPE_CHECKING:
    from .cli import _Secrets
    from .types.responses import Response

__all__ = ["DEFAULT_RESPONSE_MODEL", "add_conversations_commands", "add_respond_command"]

#: The model ``respond`` asks when ``--model`` is not given.
DEFAULT_RESPONSE_MODEL: Final = "gpt-4o-mini"


def _run_respond(args: argparse.Namespace, secrets: _Secrets) -> int:
    """``respond``: print the model's reply (as it streams, with ``--stream``)."""
    prompt = read_prompt(args.prompt)
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
    if args.conversation is not None:
        params["conversation"] = args.conversation
    if args.previous_response_id is not None:
        params["previous_response_id"] = args.previous_response_id
    from .types.responses import (  # here: the types load when a command uses them
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
            "adds the turn to a conversation (see 'aio-openai conversations'). PROMPT '-' reads "
            "the prompt from stdin (one final newline is dropped)."
        ),
        epilog=epilog,
        formatter_class=formatter,
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
        type=_int_at_least(16),
        metavar="N",
        help="the most tokens the reply may have (at least 16)",
    )
    chain = respond.add_mutually_exclusive_group()
    add_id_argument(chain, "--conversation", metavar="ID", help="add the turn to this conversation")
    add_id_argument(
        chain, "--previous-response-id", metavar="ID", help="continue from this response"
    )
    respond.set_defaults(run=_run_respond)


# -- conversations ------------------------------------------------------------------------------


def _messages(args: argparse.Namespace) -> list[dict[str, str]]:
    """The ``--message`` texts as message items of the ``--role``."""
    role: str = args.role
    return [{"type": "message", "role": role, "content": text} for text in args.message or ()]


async def _conversations_create(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    params: dict[str, Any] = {}
    if args.message:
        params["items"] = _messages(args)
    if (metadata_ := metadata(args)) is not None:
        params["metadata"] = metadata_
    return await client.conversations.with_raw_response.create(**params)


async def _conversations_get(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.conversations.with_raw_response.retrieve(args.conversation_id)


async def _conversations_delete(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.conversations.with_raw_response.delete(args.conversation_id)


async def _items_list(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.conversations.items.with_raw_response
    return await raw.list(args.conversation_id, **list_query(args))


async def _items_add(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.conversations.items.with_raw_response
    return await raw.create(args.conversation_id, items=_messages(args))


def add_conversations_commands(
    commands: Any,
    *,
    parents: Sequence[argparse.ArgumentParser],
    epilog: str,
    formatter: type[argparse.HelpFormatter],
) -> None:
    """Add ``conversations`` (create, get, delete, items list/add) to the command parsers."""
    json_commands = JsonCommands(
        parents=parents, epilog=epilog, formatter=formatter, note="It prints the API's JSON answer."
    )

    def action(actions: Any, name: str, call: ApiCall, help: str) -> argparse.ArgumentParser:
        return json_commands.action(actions, name, call, help=help)

    def messages(parser: argparse.ArgumentParser, *, required: bool) -> None:
        parser.add_argument(
            "--message",
            action="append",
            required=required,
            metavar="TEXT",
            help="a message to add (repeat for several, in order)",
        )
        parser.add_argument(
            "--role",
            choices=("user", "assistant", "system", "developer"),
            default="user",
            help="the role of the messages (default: %(default)s)",
        )

    actions = json_commands.group(
        commands,
        "conversations",
        help="create, get or delete conversations, list or add their items",
        description="Call the Conversations API. A conversation holds the context of a chat "
        "with the Responses API: 'aio-openai respond PROMPT --conversation ID' reads it and "
        "adds the new turn to it.",
    )
    create = action(actions, "create", _conversations_create, "create a conversation")
    messages(create, required=False)
    add_metadata_option(create)
    for name, call, help in (
        ("get", _conversations_get, "print one conversation"),
        ("delete", _conversations_delete, "delete a conversation"),
    ):
        add_id_argument(
            action(actions, name, call, help), "conversation_id", metavar="CONVERSATION_ID"
        )
    items = json_commands.group(
        actions,
        "items",
        help="list or add the items of a conversation",
        description="List or add the items (messages, tool calls, ...) of a conversation.",
    )
    listing = action(items, "list", _items_list, "print a page of a conversation's items")
    add_id_argument(listing, "conversation_id", metavar="CONVERSATION_ID")
    add_listing_options(listing, before=False)
    add = action(items, "add", _items_add, "add messages to a conversation")
    add_id_argument(add, "conversation_id", metavar="CONVERSATION_ID")
    messages(add, required=True)
