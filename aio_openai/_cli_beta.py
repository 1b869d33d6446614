"""The Assistants API commands of ``aio-openai``: assistants, threads, messages, runs.

::

    aio-openai assistants create|list|get|update|delete ...
    aio-openai threads create|get|update|delete ...
    aio-openai messages create|list|get|update|delete THREAD_ID ...
    aio-openai runs create|get|list|cancel|wait THREAD_ID ...

Each prints the API's JSON answer on stdout, as sent (``runs wait`` the run as last seen), like
``models``. ``--assistants-version v1`` talks to servers that still speak Assistants v1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Final

from ._client import AsyncOpenAI
from ._exceptions import OpenAIError
from ._polling import PollTimeoutError
from ._response import APIResponse
from .cli import (
    EXIT_OK,
    EXIT_USAGE,
    CLIError,
    _api_key,
    _client,
    _int_at_least,
    _positive_float,
    _wrap,
    describe_error,
)

if TYPE_CHECKING:
    from .cli import _Secrets

__all__ = ["add_beta_commands"]

Call = Callable[[AsyncOpenAI, argparse.Namespace], Awaitable[APIResponse[Any]]]

_NOTE: Final = (
    "OpenAI retired the Assistants API on its own service on 2026-08-26 (use the Responses "
    "API for new code); these commands are for servers that still speak it."
)
_TOOL_TYPES: Final = ("code_interpreter", "file_search", "retrieval")


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def _metadata(args: argparse.Namespace) -> Any:
    pairs: list[tuple[str, str]] | None = getattr(args, "metadata", None)
    return dict(pairs) if pairs else None


def _given(**values: Any) -> dict[str, Any]:
    """The options the user gave (None means not given, so not sent)."""
    return {k: v for k, v in values.items() if v is not None}


def _tools(args: argparse.Namespace) -> list[dict[str, Any]] | None:
    tools: list[dict[str, Any]] = [{"type": t} for t in args.tool or ()]
    tools += [{"type": "function", "function": {"name": n}} for n in args.function or ()]
    return tools or None


# -- the calls ----------------------------------------------------------------------------------


def _assistant_fields(args: argparse.Namespace) -> dict[str, Any]:
    return _given(
        name=args.name,
        description=args.description,
        instructions=args.instructions,
        tools=_tools(args),
        metadata=_metadata(args),
        temperature=args.temperature,
        top_p=args.top_p,
        file_ids=args.file_id,
    )


async def _assistants_create(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.assistants.with_raw_response
    return await raw.create(model=args.model, **_assistant_fields(args))


async def _assistants_update(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.assistants.with_raw_response
    return await raw.update(
        args.assistant_id, **_given(model=args.model), **_assistant_fields(args)
    )


def _list_query(args: argparse.Namespace) -> dict[str, Any]:
    return _given(limit=args.limit, order=args.order, after=args.after, before=args.before)


async def _assistants_list(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.beta.assistants.with_raw_response.list(**_list_query(args))


async def _assistants_get(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.beta.assistants.with_raw_response.retrieve(args.assistant_id)


async def _assistants_delete(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.beta.assistants.with_raw_response.delete(args.assistant_id)


async def _threads_create(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    messages = [{"role": "user", "content": text} for text in args.message or ()]
    raw = client.beta.threads.with_raw_response
    return await raw.create(**_given(messages=messages or None, metadata=_metadata(args)))


async def _threads_get(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.beta.threads.with_raw_response.retrieve(args.thread_id)


async def _threads_update(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.with_raw_response
    return await raw.update(args.thread_id, **_given(metadata=_metadata(args)))


async def _threads_delete(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.beta.threads.with_raw_response.delete(args.thread_id)


async def _messages_create(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.messages.with_raw_response
    return await raw.create(
        args.thread_id,
        content=args.content,
        role=args.role,
        **_given(metadata=_metadata(args), file_ids=args.file_id),
    )


async def _messages_list(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.messages.with_raw_response
    return await raw.list(args.thread_id, **_list_query(args), **_given(run_id=args.run_id))


async def _messages_get(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.messages.with_raw_response
    return await raw.retrieve(args.message_id, thread_id=args.thread_id)


async def _messages_update(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.messages.with_raw_response
    return await raw.update(
        args.message_id, thread_id=args.thread_id, **_given(metadata=_metadata(args))
    )


async def _messages_delete(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.messages.with_raw_response
    return await raw.delete(args.message_id, thread_id=args.thread_id)


async def _runs_create(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.runs.with_raw_response
    return await raw.create(
        args.thread_id,
        assistant_id=args.assistant,
        **_given(instructions=args.instructions, model=args.model, metadata=_metadata(args)),
    )


async def _runs_get(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.runs.with_raw_response
    return await raw.retrieve(args.run_id, thread_id=args.thread_id)


async def _runs_list(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.runs.with_raw_response
    return await raw.list(args.thread_id, **_list_query(args))


async def _runs_cancel(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.runs.with_raw_response
    return await raw.cancel(args.run_id, thread_id=args.thread_id)


async def _runs_wait(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.runs.with_raw_response
    return await raw.poll(
        args.run_id,
        args.thread_id,
        poll_interval_ms=args.poll_interval_ms,
        **_given(deadline=args.deadline),
    )


# -- running ------------------------------------------------------------------------------------


def _run_beta(args: argparse.Namespace, secrets: _Secrets) -> int:
    """Make the call the command names and print the API's JSON answer."""
    client = _client(args, _api_key(args), log_level=logging.INFO)
    try:
        client = client.with_options(assistants_version=args.assistants_version)
    except ValueError as exc:
        raise CLIError(str(exc), EXIT_USAGE) from None
    call: Call = args.call
    try:
        data = asyncio.run(_call(client, call, args))
    except PollTimeoutError as exc:
        status = exc.run.status if exc.run is not None else "unknown"
        raise CLIError(
            f"run {args.run_id} is still {status} after the deadline of {exc.deadline:g} s"
        ) from None
    except OpenAIError as exc:
        raise CLIError(describe_error(exc, client.base_url)) from None
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return EXIT_OK


async def _call(client: AsyncOpenAI, call: Call, args: argparse.Namespace) -> Any:
    """Make the call, check the answer parses as its type, and return its JSON."""
    async with client:
        response = await call(client, args)
        response.parse()
        return response.json()


# -- the parser ---------------------------------------------------------------------------------


def add_beta_commands(
    commands: Any,
    *,
    parents: Sequence[argparse.ArgumentParser],
    epilog: str,
    formatter: type[argparse.HelpFormatter],
) -> None:
    """Add ``assistants``, ``threads``, ``messages`` and ``runs`` to the command parsers."""
    version = argparse.ArgumentParser(add_help=False)
    version.add_argument(
        "--assistants-version",
        choices=("v1", "v2"),
        default="v2",
        help="the OpenAI-Beta assistants version to speak (default: %(default)s)",
    )
    all_parents = [*parents, version]

    def group(name: str, help: str, what: str) -> Any:
        parser = commands.add_parser(
            name,
            help=help,
            description=_wrap(f"Call the {what} and print its JSON answer on stdout. {_NOTE}"),
            epilog=epilog,
            formatter_class=formatter,
        )
        actions = parser.add_subparsers(title="actions", dest="action", metavar="ACTION")
        actions.required = True
        return actions

    def action(actions: Any, name: str, call: Call, help: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = actions.add_parser(
            name,
            parents=all_parents,
            help=help,
            description=_wrap(f"{help[0].upper()}{help[1:]}. {_NOTE}"),
            epilog=epilog,
            formatter_class=formatter,
        )
        parser.set_defaults(run=_run_beta, call=call)
        return parser

    def listing(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--limit", type=_int_at_least(1), metavar="N", help="page size")
        parser.add_argument("--order", choices=("asc", "desc"), help="by creation time")
        parser.add_argument("--after", metavar="ID", help="the page after this object")
        parser.add_argument("--before", metavar="ID", help="the page before this object")

    def metadata(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--metadata",
            type=_key_value,
            action="append",
            metavar="KEY=VALUE",
            help="a metadata entry (repeat for several)",
        )

    def assistant_fields(parser: argparse.ArgumentParser, *, create: bool) -> None:
        parser.add_argument(
            "--model", required=create, metavar="MODEL", help="the model, e.g. gpt-4o"
        )
        parser.add_argument("--name", help="the assistant's name")
        parser.add_argument("--description", help="what it is for")
        parser.add_argument("--instructions", help="its system instructions")
        parser.add_argument(
            "--tool",
            choices=_TOOL_TYPES,
            action="append",
            help="a built-in tool (repeat for several; retrieval is v1, file_search v2)",
        )
        parser.add_argument(
            "--function", action="append", metavar="NAME", help="a function tool (repeatable)"
        )
        parser.add_argument(
            "--file-id", action="append", metavar="ID", help="a file for it (v1 file_ids)"
        )
        parser.add_argument("--temperature", type=float, metavar="T", help="sampling temperature")
        parser.add_argument("--top-p", type=float, metavar="P", help="nucleus sampling mass")
        metadata(parser)

    # assistants
    actions = group(
        "assistants", "create, list, get, update or delete assistants", "Assistants API"
    )
    assistant_fields(
        action(actions, "create", _assistants_create, "create an assistant"), create=True
    )
    listing(action(actions, "list", _assistants_list, "print a page of assistants"))
    for name, call, help in (
        ("get", _assistants_get, "print one assistant"),
        ("delete", _assistants_delete, "delete an assistant"),
    ):
        action(actions, name, call, help).add_argument("assistant_id", metavar="ASSISTANT_ID")
    update = action(actions, "update", _assistants_update, "change fields of an assistant")
    update.add_argument("assistant_id", metavar="ASSISTANT_ID")
    assistant_fields(update, create=False)

    # threads
    actions = group("threads", "create, get, update or delete threads", "Threads API")
    create = action(actions, "create", _threads_create, "create a thread")
    create.add_argument(
        "--message", action="append", metavar="TEXT", help="a first user message (repeatable)"
    )
    metadata(create)
    for name, call, help in (
        ("get", _threads_get, "print one thread"),
        ("delete", _threads_delete, "delete a thread"),
    ):
        action(actions, name, call, help).add_argument("thread_id", metavar="THREAD_ID")
    update = action(actions, "update", _threads_update, "change a thread's metadata")
    update.add_argument("thread_id", metavar="THREAD_ID")
    metadata(update)

    # messages
    actions = group(
        "messages", "create, list, get, update or delete a thread's messages", "Messages API"
    )
    create = action(actions, "create", _messages_create, "add a message to a thread")
    create.add_argument("thread_id", metavar="THREAD_ID")
    create.add_argument("--content", required=True, metavar="TEXT", help="the message text")
    create.add_argument("--role", choices=("user", "assistant"), default="user")
    create.add_argument("--file-id", action="append", metavar="ID", help="a file (v1 file_ids)")
    metadata(create)
    listing_parser = action(actions, "list", _messages_list, "print a page of a thread's messages")
    listing_parser.add_argument("thread_id", metavar="THREAD_ID")
    listing(listing_parser)
    listing_parser.add_argument("--run-id", metavar="RUN_ID", help="only those a run created")
    for name, call, help in (
        ("get", _messages_get, "print one message"),
        ("delete", _messages_delete, "delete a message (v2)"),
        ("update", _messages_update, "change a message's metadata"),
    ):
        parser = action(actions, name, call, help)
        parser.add_argument("thread_id", metavar="THREAD_ID")
        parser.add_argument("message_id", metavar="MESSAGE_ID")
        if name == "update":
            metadata(parser)

    # runs
    actions = group("runs", "create, get, list, cancel or wait for runs", "Runs API")
    create = action(actions, "create", _runs_create, "start a run of an assistant on a thread")
    create.add_argument("thread_id", metavar="THREAD_ID")
    create.add_argument("--assistant", required=True, metavar="ASSISTANT_ID")
    create.add_argument("--instructions", help="instructions replacing the assistant's")
    create.add_argument("--model", metavar="MODEL", help="a model replacing the assistant's")
    metadata(create)
    listing_parser = action(actions, "list", _runs_list, "print a page of a thread's runs")
    listing_parser.add_argument("thread_id", metavar="THREAD_ID")
    listing(listing_parser)
    for name, call, help in (
        ("get", _runs_get, "print one run"),
        ("cancel", _runs_cancel, "ask the server to cancel a run"),
        ("wait", _runs_wait, "wait until a run is terminal and print it as last seen"),
    ):
        parser = action(actions, name, call, help)
        parser.add_argument("thread_id", metavar="THREAD_ID")
        parser.add_argument("run_id", metavar="RUN_ID")
        if name == "wait":
            parser.add_argument(
                "--poll-interval-ms",
                type=_int_at_least(0),
                metavar="MS",
                help="wait between looks when the server names none (default: 1000)",
            )
            parser.add_argument(
                "--deadline",
                type=_positive_float,
                metavar="SECONDS",
                help="give up (exit 1) when the run is not terminal by then",
            )
