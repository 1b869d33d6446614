"""The chat and embeddings commands of ``aio-openai``.

::

    aio-openai chat PROMPT [--model M] [--system TEXT] [--stream] ...   print the reply
    aio-openai embed TEXT [TEXT ...] [--model M] [--dimensions N]       print the JSON

``chat`` prints the reply's text (with ``--stream``, piece by piece as it arrives); ``PROMPT``
``-`` reads the prompt from stdin (without its final newline). ``embed`` prints the
CreateEmbeddingResponse as JSON, the vectors as lists of floats (base64 strings with
``--encoding-format base64``).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, Final, TextIO

from .._client import AsyncOpenAI
from ._common import (
    EXIT_OK,
    CommandParsers,
    add_id_argument,
    call_api,
    int_at_least,
    print_json,
    read_prompt,
)

if TYPE_CHECKING:
    from ..types.chat.chat_completion_message_param import ChatCompletionMessageParam
    from ._common import Secrets

__all__ = ["DEFAULT_CHAT_MODEL", "DEFAULT_EMBEDDING_MODEL", "add_chat_commands"]

#: The model ``chat`` asks when ``--model`` is not given.
DEFAULT_CHAT_MODEL: Final = "gpt-4o-mini"
#: The model ``embed`` asks when ``--model`` is not given.
DEFAULT_EMBEDDING_MODEL: Final = "text-embedding-3-small"


# -- chat ---------------------------------------------------------------------------------------


def _temperature(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 2:
        raise argparse.ArgumentTypeError(f"must be between 0 and 2: {text!r}")
    return value


def _run_chat(args: argparse.Namespace, secrets: Secrets) -> int:
    """``chat``: print the model's reply (as it streams, with ``--stream``)."""
    prompt = read_prompt(args.prompt)
    call_api(args, lambda client: _chat(client, args, prompt, sys.stdout))
    return EXIT_OK


async def _chat(client: AsyncOpenAI, args: argparse.Namespace, prompt: str, out: TextIO) -> None:
    """Ask once and write the reply's text to ``out``, ending with a newline."""
    messages: list[ChatCompletionMessageParam] = []
    if args.system:
        messages.append({"role": "system", "content": args.system})
    messages.append({"role": "user", "content": prompt})
    params: dict[str, Any] = {}
    if args.max_tokens is not None:
        params["max_completion_tokens"] = args.max_tokens
    if args.temperature is not None:
        params["temperature"] = args.temperature
    async with client:
        if not args.stream:
            completion = await client.chat.completions.create(
                model=args.model, messages=messages, **params
            )
            text = completion.choices[0].message.content if completion.choices else None
            out.write((text or "") + "\n")
            out.flush()
            return
        stream = await client.chat.completions.create(
            model=args.model, messages=messages, stream=True, **params
        )
        try:
            async with stream:
                async for chunk in stream:
                    for choice in chunk.choices:
                        if choice.index == 0 and choice.delta.content:
                            out.write(choice.delta.content)
                            out.flush()
        finally:
            out.write("\n")
            out.flush()


# -- embed --------------------------------------------------------------------------------------


def _run_embed(args: argparse.Namespace, secrets: Secrets) -> int:
    """``embed``: print the embeddings of the texts as JSON."""
    print_json(call_api(args, lambda client: _embed(client, args)))
    return EXIT_OK


async def _embed(client: AsyncOpenAI, args: argparse.Namespace) -> Any:
    params: dict[str, Any] = {}
    if args.dimensions is not None:
        params["dimensions"] = args.dimensions
    if args.encoding_format is not None:
        params["encoding_format"] = args.encoding_format
    texts: list[str] = args.texts
    async with client:
        response = await client.embeddings.create(
            model=args.model, input=texts[0] if len(texts) == 1 else texts, **params
        )
    return response.to_dict()


# -- the parser ---------------------------------------------------------------------------------


def add_chat_commands(commands: Any, parsers: CommandParsers) -> None:
    """Add ``chat`` and ``embed`` to the command parsers."""
    chat = parsers.command(
        commands,
        "chat",
        _run_chat,
        help="ask a chat model once and print its reply (--stream: as it is written)",
        description=(
            "Send PROMPT as a user message to the Chat Completions API and print the reply's "
            "text. With --stream the reply is printed piece by piece as the model writes it. "
            "PROMPT '-' reads the prompt from stdin (one final newline is dropped)."
        ),
    )
    chat.add_argument("prompt", metavar="PROMPT", help="the user message ('-': read stdin)")
    add_id_argument(
        chat,
        "--model",
        default=DEFAULT_CHAT_MODEL,
        metavar="MODEL",
        help="the model (default: %(default)s)",
    )
    chat.add_argument("--system", metavar="TEXT", help="a system message before the prompt")
    chat.add_argument("--stream", action="store_true", help="print the reply as it streams in")
    chat.add_argument(
        "--max-tokens",
        type=int_at_least(1),
        metavar="N",
        help="the most tokens the reply may have (max_completion_tokens)",
    )
    chat.add_argument(
        "--temperature", type=_temperature, metavar="T", help="sampling temperature, 0 to 2"
    )

    embed = parsers.command(
        commands,
        "embed",
        _run_embed,
        help="print the embeddings of texts as JSON",
        description=(
            "Embed each TEXT with the Embeddings API and print the answer as JSON: one "
            "embedding per text, in order, with the usage."
        ),
    )
    embed.add_argument("texts", nargs="+", metavar="TEXT", help="a text to embed")
    add_id_argument(
        embed,
        "--model",
        default=DEFAULT_EMBEDDING_MODEL,
        metavar="MODEL",
        help="the embedding model (default: %(default)s)",
    )
    embed.add_argument(
        "--dimensions", type=int_at_least(1), metavar="N", help="shorten the vectors to N"
    )
    embed.add_argument(
        "--encoding-format",
        choices=("float", "base64"),
        help="print base64 strings instead of lists of floats (default: floats)",
    )
