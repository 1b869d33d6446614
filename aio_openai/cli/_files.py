"""The ``files`` commands of ``aio-openai``: the Files API.

::

    aio-openai files upload PATH --purpose PURPOSE [--expires-after SECONDS]
    aio-openai files list [--purpose P] [--limit N] [--order asc|desc] [--after ID]
    aio-openai files get FILE_ID
    aio-openai files content FILE_ID [-o PATH]
    aio-openai files delete FILE_ID

``upload``, ``list``, ``get`` and ``delete`` print the API's JSON; ``content`` writes the
file's bytes to stdout or, with ``-o``, to a file (streamed: any size, little memory).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, get_args

from .._client import AsyncOpenAI
from ..types.file_purpose import FilePurpose
from ._common import EXIT_OK, EXIT_USAGE, CLIError, CommandParsers, add_id_argument, call_api
from ._json_commands import JsonCommands, add_listing_options, given, list_query

if TYPE_CHECKING:
    from ._common import Secrets

__all__ = ["add_files_commands"]

_PURPOSES: Final = get_args(FilePurpose)


def _readable_file(text: str) -> Path:
    """The argparse type of a file to upload: an existing, readable regular file."""
    path = Path(text)
    if not path.is_file():
        raise CLIError(f"PATH: {text!r} is not a file", EXIT_USAGE)
    if not os.access(path, os.R_OK):
        raise CLIError(f"PATH: {text!r} cannot be read", EXIT_USAGE)
    return path


def _seconds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 3600 <= value <= 2_592_000:
        raise CLIError(
            f"--expires-after: expected seconds from 3600 to 2592000, got {text!r}", EXIT_USAGE
        )
    return value


async def _upload(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    options = given(
        expires_after=None
        if args.expires_after is None
        else {"anchor": "created_at", "seconds": args.expires_after}
    )
    return await client.files.with_raw_response.create(
        file=args.path, purpose=args.purpose, **options
    )


async def _list(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    query = {**list_query(args), **given(purpose=args.purpose)}
    return await client.files.with_raw_response.list(**query)


async def _get(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.files.with_raw_response.retrieve(args.file_id)


async def _delete(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    return await client.files.with_raw_response.delete(args.file_id)


def _run_content(args: argparse.Namespace, secrets: Secrets) -> int:
    """Write a file's content to ``-o`` or stdout, as it arrives."""
    out: Path | None = args.output

    async def download(client: AsyncOpenAI) -> None:
        async with (
            client,
            client.files.with_streaming_response.content(args.file_id) as response,
        ):
            if out is not None:
                await response.stream_to_file(out)
                return
            stdout = sys.stdout.buffer
            async for piece in response.iter_bytes():
                stdout.write(piece)
            stdout.flush()

    call_api(args, download)
    return EXIT_OK


def add_files_commands(commands: Any, parsers: CommandParsers) -> None:
    """Add ``files`` (upload, list, get, content, delete) to the command parsers."""
    json_commands = JsonCommands(
        parents=parsers.parents, epilog=parsers.epilog, formatter=parsers.formatter
    )
    actions = json_commands.group(
        commands,
        "files",
        help="upload, list, get, download or delete files",
        description="Call the Files API: print its JSON answer on stdout, as sent, or a"
        " file's content.",
    )
    upload = json_commands.action(
        actions,
        "upload",
        _upload,
        help="upload a file (streamed from disk) and print its file object",
    )
    upload.add_argument("path", type=_readable_file, metavar="PATH", help="the file to upload")
    upload.add_argument("--purpose", required=True, choices=_PURPOSES, help="what the file is for")
    upload.add_argument(
        "--expires-after",
        type=_seconds,
        metavar="SECONDS",
        help="delete the file this many seconds after its upload (3600 to 2592000)",
    )
    listing = json_commands.action(
        actions, "list", _list, help="print a page of files, newest first"
    )
    listing.add_argument("--purpose", help="only files of this purpose")
    add_listing_options(listing, before=False)
    get = json_commands.action(actions, "get", _get, help="print one file object")
    add_id_argument(get, "file_id", metavar="FILE_ID", help="the file's id (file-...)")
    content = json_commands.action(
        actions,
        "content",
        None,
        help="write a file's content to stdout, or to a file with -o",
        run=_run_content,
    )
    add_id_argument(content, "file_id", metavar="FILE_ID", help="the file's id (file-...)")
    content.add_argument(
        "-o", "--output", type=Path, metavar="PATH", help="write to this file instead of stdout"
    )
    delete = json_commands.action(
        actions, "delete", _delete, help="delete a file and print the deletion object"
    )
    add_id_argument(delete, "file_id", metavar="FILE_ID", help="the file's id (file-...)")
