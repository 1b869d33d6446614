"""The ``conversations`` commands of ``aio-openai``: the Conversations API, as JSON.

::

    aio-openai conversations create [--message TEXT]... | get ID | delete ID
    aio-openai conversations items list ID | items add ID --message TEXT...

A conversation holds the context ``aio-openai respond --conversation ID`` reads and adds to.
Each action prints the API's JSON answer on stdout, as sent.
"""

from __future__ import annotations

import argparse
from typing import Any

from .._client import AsyncOpenAI
from ._common import CommandParsers, add_id_argument
from ._json_commands import (
    ApiCall,
    JsonCommands,
    add_listing_options,
    add_metadata_option,
    list_query,
    metadata,
)

__all__ = ["add_conversations_commands"]


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


def add_conversations_commands(commands: Any, parsers: CommandParsers) -> None:
    """Add ``conversations`` (create, get, delete, items list/add) to the command parsers."""
    json_commands = JsonCommands(
        parents=parsers.parents,
        epilog=parsers.epilog,
        formatter=parsers.formatter,
        note="It prints the API's JSON answer.",
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
