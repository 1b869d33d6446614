"""The ``usage`` and ``costs`` commands of ``aio-openai``: the organization's usage and costs
of the last days, summed into a table per model or project (the admin API, with the admin
key: OPENAI_ADMIN_KEY or ``--admin-key``).

::

    aio-openai usage [--days 7] [--kind completions] [--group-by model|project] [--json]
    aio-openai costs [--days 30] [--group-by project|line-item] [--json]
"""

from __future__ import annotations

import argparse
import time
from typing import Any, Final, get_args

from .._client import AsyncOpenAI
from .._usage_table import UsageTable
from ..resources.admin.organization.usage import UsageKind
from ._common import (
    EXIT_OK,
    CommandParsers,
    Secrets,
    call_api,
    int_at_least,
    print_json,
)

__all__ = ["add_usage_commands"]

_DAY: Final = 86400
#: The --group-by words and the API's fields.
_USAGE_GROUPS: Final = {"model": "model", "project": "project_id", "key": "api_key_id"}
_COST_GROUPS: Final = {"project": "project_id", "line-item": "line_item"}


def _summarize(kind: UsageKind, field: str) -> Any:
    async def call(client: AsyncOpenAI, args: argparse.Namespace) -> UsageTable:
        async with client:
            start = int(time.time()) - args.days * _DAY
            return await client.admin.organization.usage.summarize(
                kind, start_time=start, group_by=[field]
            )

    return call


def _run(args: argparse.Namespace, kind: UsageKind, field: str) -> int:
    summarize = _summarize(kind, field)
    table: UsageTable = call_api(args, lambda client: summarize(client, args), admin=True)
    if args.json:
        print_json(table.to_dict())
    else:
        days = "day" if args.days == 1 else "days"
        title = "costs (USD)" if kind == "costs" else f"{kind} usage"
        print(f"{title}, the last {args.days} {days}, per {args.group_by}:")
        print(table)
    return EXIT_OK


def _usage(args: argparse.Namespace, secrets: Secrets) -> int:
    return _run(args, args.kind, _USAGE_GROUPS[args.group_by])


def _costs(args: argparse.Namespace, secrets: Secrets) -> int:
    return _run(args, "costs", _COST_GROUPS[args.group_by])


def _admin_options() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--admin-key",
        metavar="KEY",
        help="the admin API key; prefer the OPENAI_ADMIN_KEY environment variable",
    )
    parent.add_argument(
        "--json", action="store_true", help="print the table as JSON (rows, totals, period)"
    )
    return parent


def add_usage_commands(commands: Any, parsers: CommandParsers) -> None:
    """Add ``usage`` and ``costs`` to the command parsers."""
    parents = [*parsers.parents, _admin_options()]
    usage = parsers.command(
        commands,
        "usage",
        _usage,
        help="the organization's usage of the last days, per model or project",
        description="Sum the organization's usage of the last --days days (the admin API's"
        " usage buckets, every page) into a table: a row per model (or project, or API key),"
        " its tokens and requests; with --json, the rows and totals as JSON. Needs an admin"
        " API key.",
        parents=parents,
    )
    kinds = [k for k in get_args(UsageKind) if k != "costs"]
    usage.add_argument(
        "--days", type=int_at_least(1), default=7, help="the period, in days (default: 7)"
    )
    usage.add_argument(
        "--kind",
        choices=kinds,
        default="completions",
        help="the usage kind (default: completions)",
    )
    usage.add_argument(
        "--group-by",
        choices=sorted(_USAGE_GROUPS),
        default="model",
        help="a row per model, project or API key (default: model)",
    )
    costs = parsers.command(
        commands,
        "costs",
        _costs,
        help="the organization's costs of the last days, per project or line item",
        description="Sum the organization's costs of the last --days days (USD) into a"
        " table: a row per project (or line item); with --json, the rows and totals as JSON."
        " Needs an admin API key.",
        parents=parents,
    )
    costs.add_argument(
        "--days", type=int_at_least(1), default=30, help="the period, in days (default: 30)"
    )
    costs.add_argument(
        "--group-by",
        choices=sorted(_COST_GROUPS),
        default="project",
        help="a row per project or line item (default: project)",
    )
