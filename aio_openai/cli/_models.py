"""The ``models`` commands of ``aio-openai``: the Models API, printed as the API's JSON.

::

    aio-openai models list | get MODEL | delete MODEL
"""

from __future__ import annotations

import argparse
from typing import Any

from .._client import AsyncOpenAI
from ._common import CommandParsers, add_id_argument
from ._json_commands import JsonCommands

__all__ = ["add_models_commands"]


async def _list(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.models.with_raw_response.list()


async def _get(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.models.with_raw_response.retrieve(args.model)


async def _delete(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.models.with_raw_response.delete(args.model)


def add_models_commands(commands: Any, parsers: CommandParsers) -> None:
    """Add ``models`` (list, get, delete) to the command parsers."""
    json_commands = JsonCommands(
        parents=parsers.parents, epilog=parsers.epilog, formatter=parsers.formatter
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
        _list,
        help="print the list object of every model the key may use",
        description='Print {"object": "list", "data": [...]}: every model the key may use.',
    )
    get = json_commands.action(
        actions,
        "get",
        _get,
        help="print one model",
        description="Print one model object (GET /models/MODEL).",
    )
    add_id_argument(get, "model", metavar="MODEL", help="the model id, e.g. gpt-4o")
    delete = json_commands.action(
        actions,
        "delete",
        _delete,
        help="delete a fine-tuned model you own",
        description="Delete a fine-tuned model you own and print the deletion object.",
    )
    add_id_argument(delete, "model", metavar="MODEL", help="the fine-tuned model's id")
