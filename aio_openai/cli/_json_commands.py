"""Commands that make one API call and print the API's JSON answer, and their shared options.

``models``, ``assistants``/``threads``/``messages``/``runs`` and ``conversations`` are groups
of such actions, built with :class:`JsonCommands`; list actions share
:func:`add_listing_options`, and actions taking metadata :func:`add_metadata_option`.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from .._client import AsyncOpenAI
from .._response import APIResponse
from ._common import EXIT_OK, add_id_argument, call_api, int_at_least, print_json, wrap

if TYPE_CHECKING:
    from ._common import Secrets

__all__ = [
    "ApiCall",
    "JsonCommands",
    "add_listing_options",
    "add_metadata_option",
    "given",
    "list_query",
    "metadata",
    "run_api_call",
]

#: A call a command makes: it returns the raw response, whose JSON the command prints.
ApiCall = Callable[[AsyncOpenAI, argparse.Namespace], Awaitable[APIResponse[Any]]]


def run_api_call(args: argparse.Namespace, secrets: Secrets) -> int:
    """Make the call ``args.call`` and print the API's JSON answer on stdout, as sent."""
    call: ApiCall = args.call

    async def json_answer(client: AsyncOpenAI) -> Any:
        """Make the call, check the answer parses as its type, and return its JSON."""
        async with client:
            response = await call(client, args)
            response.parse()
            return response.json()

    print_json(call_api(args, json_answer))
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
        return wrap(f"{text} {self.note}".rstrip())

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
        self,
        actions: Any,
        name: str,
        call: ApiCall | None,
        *,
        help: str,
        description: str | None = None,
        run: Callable[[argparse.Namespace, Secrets], int] = run_api_call,
    ) -> argparse.ArgumentParser:
        """Add the action ``name`` making ``call``; return its parser, for its arguments.

        ``run`` replaces printing the call's JSON for an action that prints something else
        (``files content``: bytes); it makes its own calls, and ``call`` is then None."""
        parser: argparse.ArgumentParser = actions.add_parser(
            name,
            parents=self.parents,
            help=help,
            description=self._description(description or f"{help[0].upper()}{help[1:]}."),
            epilog=self.epilog,
            formatter_class=self.formatter,
        )
        parser.set_defaults(run=run, call=call)
        return parser


# -- options shared by several groups -----------------------------------------------------------


def given(**values: Any) -> dict[str, Any]:
    """The options the user gave (None means not given, so not sent)."""
    return {k: v for k, v in values.items() if v is not None}


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def add_metadata_option(parser: argparse.ArgumentParser) -> None:
    """``--metadata KEY=VALUE``, repeatable; read it back with :func:`metadata`."""
    parser.add_argument(
        "--metadata",
        type=_key_value,
        action="append",
        metavar="KEY=VALUE",
        help="a metadata entry (repeat for several)",
    )


def metadata(args: argparse.Namespace) -> Any:
    """The ``--metadata`` entries as a dict, None when none were given."""
    pairs: list[tuple[str, str]] | None = getattr(args, "metadata", None)
    return dict(pairs) if pairs else None


def add_listing_options(parser: argparse.ArgumentParser, *, before: bool = True) -> None:
    """The options of a list call: ``--limit``, ``--order``, ``--after`` (and ``--before``)."""
    parser.add_argument("--limit", type=int_at_least(1), metavar="N", help="page size")
    parser.add_argument("--order", choices=("asc", "desc"), help="by creation time")
    add_id_argument(parser, "--after", metavar="ID", help="the page after this object")
    if before:
        add_id_argument(parser, "--before", metavar="ID", help="the page before this object")


def list_query(args: argparse.Namespace) -> dict[str, Any]:
    """The query of a list call, from the options :func:`add_listing_options` added."""
    return given(
        limit=args.limit, order=args.order, after=args.after, before=getattr(args, "before", None)
    )
