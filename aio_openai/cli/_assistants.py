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
from typing import Any, Final

from .._client import AsyncOpenAI
from ._common import CommandParsers, add_id_argument, int_at_least, positive_float
from ._json_commands import (
    ApiCall,
    JsonCommands,
    add_listing_options,
    add_metadata_option,
    given,
    list_query,
    metadata,
)

__all__ = ["add_assistants_commands"]

_NOTE: Final = (
    "OpenAI retired the Assistants API on its own service on 2026-08-26 (use the Responses "
    "API for new code); these commands are for servers that still speak it."
)
_TOOL_TYPES: Final = ("code_interpreter", "file_search", "retrieval")


def _tools(args: argparse.Namespace) -> list[dict[str, Any]] | None:
    tools: list[dict[str, Any]] = [{"type": t} for t in args.tool or ()]
    tools += [{"type": "function", "function": {"name": n}} for n in args.function or ()]
    return tools or None


# -- the calls ----------------------------------------------------------------------------------


def _assistant_fields(args: argparse.Namespace) -> dict[str, Any]:
    return given(
        name=args.name,
        description=args.description,
        instructions=args.instructions,
        tools=_tools(args),
        metadata=metadata(args),
        temperature=args.temperature,
        top_p=args.top_p,
        file_ids=args.file_id,
    )


async def _assistants_create(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.assistants.with_raw_response
    return await raw.create(model=args.model, **_assistant_fields(args))


async def _assistants_update(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.assistants.with_raw_response
    return await raw.update(args.assistant_id, **given(model=args.model), **_assistant_fields(args))


async def _assistants_list(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.beta.assistants.with_raw_response.list(**list_query(args))


async def _assistants_get(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.beta.assistants.with_raw_response.retrieve(args.assistant_id)


async def _assistants_delete(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.beta.assistants.with_raw_response.delete(args.assistant_id)


async def _threads_create(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    messages = [{"role": "user", "content": text} for text in args.message or ()]
    raw = client.beta.threads.with_raw_response
    return await raw.create(**given(messages=messages or None, metadata=metadata(args)))


async def _threads_get(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.beta.threads.with_raw_response.retrieve(args.thread_id)


async def _threads_update(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.with_raw_response
    return await raw.update(args.thread_id, **given(metadata=metadata(args)))


async def _threads_delete(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.beta.threads.with_raw_response.delete(args.thread_id)


async def _messages_create(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.messages.with_raw_response
    return await raw.create(
        args.thread_id,
        content=args.content,
        role=args.role,
        **given(metadata=metadata(args), file_ids=args.file_id),
    )


async def _messages_list(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.messages.with_raw_response
    return await raw.list(args.thread_id, **list_query(args), **given(run_id=args.run_id))


async def _messages_get(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.messages.with_raw_response
    return await raw.retrieve(args.message_id, thread_id=args.thread_id)


async def _messages_update(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.messages.with_raw_response
    return await raw.update(
        args.message_id, thread_id=args.thread_id, **given(metadata=metadata(args))
    )


async def _messages_delete(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.messages.with_raw_response
    return await raw.delete(args.message_id, thread_id=args.thread_id)


async def _runs_create(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.runs.with_raw_response
    return await raw.create(
        args.thread_id,
        assistant_id=args.assistant,
        **given(instructions=args.instructions, model=args.model, metadata=metadata(args)),
    )


async def _runs_get(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.runs.with_raw_response
    return await raw.retrieve(args.run_id, thread_id=args.thread_id)


async def _runs_list(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.runs.with_raw_response
    return await raw.list(args.thread_id, **list_query(args))


async def _runs_cancel(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.runs.with_raw_response
    return await raw.cancel(args.run_id, thread_id=args.thread_id)


async def _runs_wait(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    raw = client.beta.threads.runs.with_raw_response
    return await raw.poll(
        args.run_id,
        args.thread_id,
        poll_interval_ms=args.poll_interval_ms,
        **given(deadline=args.deadline),
    )


# -- the parser ---------------------------------------------------------------------------------


def add_assistants_commands(commands: Any, parsers: CommandParsers) -> None:
    """Add ``assistants``, ``threads``, ``messages`` and ``runs`` to the command parsers."""
    version = argparse.ArgumentParser(add_help=False)
    version.add_argument(
        "--assistants-version",
        choices=("v1", "v2"),
        default="v2",
        help="the OpenAI-Beta assistants version to speak (default: %(default)s)",
    )
    json_commands = JsonCommands(
        parents=[*parsers.parents, version],
        epilog=parsers.epilog,
        formatter=parsers.formatter,
        note=_NOTE,
    )

    def group(name: str, help: str, what: str) -> Any:
        description = f"Call the {what} and print its JSON answer on stdout."
        return json_commands.group(commands, name, help=help, description=description)

    def action(actions: Any, name: str, call: ApiCall, help: str) -> argparse.ArgumentParser:
        return json_commands.action(actions, name, call, help=help)

    def assistant_fields(parser: argparse.ArgumentParser, *, create: bool) -> None:
        add_id_argument(
            parser, "--model", required=create, metavar="MODEL", help="the model, e.g. gpt-4o"
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
        add_id_argument(
            parser, "--file-id", action="append", metavar="ID", help="a file for it (v1 file_ids)"
        )
        parser.add_argument("--temperature", type=float, metavar="T", help="sampling temperature")
        parser.add_argument("--top-p", type=float, metavar="P", help="nucleus sampling mass")
        add_metadata_option(parser)

    # assistants
    actions = group(
        "assistants", "create, list, get, update or delete assistants", "Assistants API"
    )
    assistant_fields(
        action(actions, "create", _assistants_create, "create an assistant"), create=True
    )
    add_listing_options(action(actions, "list", _assistants_list, "print a page of assistants"))
    for name, call, help in (
        ("get", _assistants_get, "print one assistant"),
        ("delete", _assistants_delete, "delete an assistant"),
    ):
        add_id_argument(action(actions, name, call, help), "assistant_id", metavar="ASSISTANT_ID")
    update = action(actions, "update", _assistants_update, "change fields of an assistant")
    add_id_argument(update, "assistant_id", metavar="ASSISTANT_ID")
    assistant_fields(update, create=False)

    # threads
    actions = group("threads", "create, get, update or delete threads", "Threads API")
    create = action(actions, "create", _threads_create, "create a thread")
    create.add_argument(
        "--message", action="append", metavar="TEXT", help="a first user message (repeatable)"
    )
    add_metadata_option(create)
    for name, call, help in (
        ("get", _threads_get, "print one thread"),
        ("delete", _threads_delete, "delete a thread"),
    ):
        add_id_argument(action(actions, name, call, help), "thread_id", metavar="THREAD_ID")
    update = action(actions, "update", _threads_update, "change a thread's metadata")
    add_id_argument(update, "thread_id", metavar="THREAD_ID")
    add_metadata_option(update)

    # messages
    actions = group(
        "messages", "create, list, get, update or delete a thread's messages", "Messages API"
    )
    create = action(actions, "create", _messages_create, "add a message to a thread")
    add_id_argument(create, "thread_id", metavar="THREAD_ID")
    create.add_argument("--content", required=True, metavar="TEXT", help="the message text")
    create.add_argument("--role", choices=("user", "assistant"), default="user")
    add_id_argument(create, "--file-id", action="append", metavar="ID", help="a file (v1 file_ids)")
    add_metadata_option(create)
    listing_parser = action(actions, "list", _messages_list, "print a page of a thread's messages")
    add_id_argument(listing_parser, "thread_id", metavar="THREAD_ID")
    add_listing_options(listing_parser)
    add_id_argument(listing_parser, "--run-id", metavar="RUN_ID", help="only those a run created")
    for name, call, help in (
        ("get", _messages_get, "print one message"),
        ("delete", _messages_delete, "delete a message (v2)"),
        ("update", _messages_update, "change a message's metadata"),
    ):
        parser = action(actions, name, call, help)
        add_id_argument(parser, "thread_id", metavar="THREAD_ID")
        add_id_argument(parser, "message_id", metavar="MESSAGE_ID")
        if name == "update":
            add_metadata_option(parser)

    # runs
    actions = group("runs", "create, get, list, cancel or wait for runs", "Runs API")
    create = action(actions, "create", _runs_create, "start a run of an assistant on a thread")
    add_id_argument(create, "thread_id", metavar="THREAD_ID")
    add_id_argument(create, "--assistant", required=True, metavar="ASSISTANT_ID")
    create.add_argument("--instructions", help="instructions replacing the assistant's")
    add_id_argument(create, "--model", metavar="MODEL", help="a model replacing the assistant's")
    add_metadata_option(create)
    listing_parser = action(actions, "list", _runs_list, "print a page of a thread's runs")
    add_id_argument(listing_parser, "thread_id", metavar="THREAD_ID")
    add_listing_options(listing_parser)
    for name, call, help in (
        ("get", _runs_get, "print one run"),
        ("cancel", _runs_cancel, "ask the server to cancel a run"),
        ("wait", _runs_wait, "wait until a run is terminal and print it as last seen"),
    ):
        parser = action(actions, name, call, help)
        add_id_argument(parser, "thread_id", metavar="THREAD_ID")
        add_id_argument(parser, "run_id", metavar="RUN_ID")
        if name == "wait":
            parser.add_argument(
                "--poll-interval-ms",
                type=int_at_least(0),
                metavar="MS",
                help="wait between looks when the server names none (default: 1000)",
            )
            parser.add_argument(
                "--deadline",
                type=positive_float,
                metavar="SECONDS",
                help="give up (exit 1) when the run is not terminal by then",
            )
