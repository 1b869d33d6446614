"""The items of an eval run's data source and their samples.

A data source's ``source`` gives the rows: ``file_content`` (its ``content``), ``file_id``
(a JSONL file of the fake's files store, one ``{"item": ..., "sample": ...}`` a line) or
``stored_completions`` (the chat completions the fake stored with ``store: true``, filtered
by ``model``, ``metadata``, ``created_after``/``created_before`` and ``limit``; each
completion's request messages are the item's ``input``, its answer the sample). A
``responses`` source (stored responses searched) is refused (400).

With ``input_messages`` (a ``completions`` or ``responses`` data source), each item is
sampled: the template's messages, rendered with the item (or the item's messages that
``item_reference`` names), are answered by the fake's chat model (``fake.state.chat``:
its ``replies`` script the answers) with ``model`` and ``sampling_params``. Without it a
row's own ``sample`` is graded (``sample.output_text``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
import orjson

from aio_openai.testing._checks import APIError, missing, wrong_type
from aio_openai.testing._evals.graders import TemplateError, message_text

__all__ = ["Row", "Sampled", "rows", "sample_row"]

_USAGE_KEYS: Final = ("prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens")
_SAMPLING_DEFAULTS: Final = {"temperature": 1.0, "top_p": 1.0, "seed": 42}
_MAX_COMPLETION_TOKENS: Final = 4096


@attrs.frozen
class Row:
    """One item of a data source and the sample it came with (None: none)."""

    item: dict[str, Any]
    sample: dict[str, Any] | None


@attrs.frozen
class Sampled:
    """An item's sample as an output item shows it, what templates see as ``sample``, and
    its usage (None: no model was asked)."""

    shown: dict[str, Any]
    context: dict[str, Any]
    usage: dict[str, int] | None


def _row(value: Any, param: str) -> Row:
    if not isinstance(value, dict):
        raise wrong_type(param, "an object", value)
    item = value.get("item")
    if not isinstance(item, dict):
        raise wrong_type(f"{param}.item", "an object", item)
    sample = value.get("sample")
    if sample is not None and not isinstance(sample, dict):
        raise wrong_type(f"{param}.sample", "an object", sample)
    return Row(item, sample)


def _file_rows(data: bytes, param: str) -> list[Row]:
    found = []
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError:
            raise APIError(400, f"Line {number} of the file is not JSON.", param=param) from None
        found.append(_row(value, f"{param} (line {number})"))
    return found


def _stored_rows(source: Mapping[str, Any], stored: StoredCompletions) -> list[Row]:
    found = []
    after, before = source.get("created_after"), source.get("created_before")
    for record, messages in stored(source.get("model"), dict(source.get("metadata") or {})):
        created = record["created"]
        if (after is not None and created < after) or (before is not None and created > before):
            continue
        message = record["choices"][0]["message"]
        item = {"input": messages, "output": message}
        found.append(Row(item, {"model": record["model"], "choices": record["choices"]}))
    limit = source.get("limit")
    return found[:limit] if isinstance(limit, int) else found


#: The stored chat completions of a ``model`` (None: any) whose metadata holds a mapping's
#: items, oldest first, each with its request messages.
StoredCompletions = Callable[
    [str | None, dict[str, str]], list[tuple[dict[str, Any], list[dict[str, Any]]]]
]


def rows(
    data_source: Mapping[str, Any],
    read_file: Callable[[str], bytes],
    stored: StoredCompletions,
) -> list[Row]:
    """The rows of a checked data source (``read_file``: a stored file's bytes, APIError
    for an unknown one)."""
    source = data_source["source"]
    kind = source.get("type")
    if kind == "file_content":
        content = source.get("content")
        if not isinstance(content, list):
            raise wrong_type("data_source.source.content", "an array", content)
        return [_row(v, f"data_source.source.content[{i}]") for i, v in enumerate(content)]
    if kind == "file_id":
        file_id = source.get("id")
        if not isinstance(file_id, str):
            raise missing("data_source.source.id")
        try:
            data = read_file(file_id)
        except APIError:
            raise APIError(
                400, f"File '{file_id}' not found.", param="data_source.source.id"
            ) from None
        return _file_rows(data, "data_source.source.id")
    if kind == "stored_completions" and data_source["type"] == "completions":
        return _stored_rows(source, stored)
    raise APIError(
        400, f"FakeOpenAI cannot read a source of type '{kind}'.", param="data_source.source.type"
    )


def _sample_text(sample: Mapping[str, Any]) -> str:
    text = sample.get("output_text")
    if isinstance(text, str):
        return text
    choices = sample.get("choices")
    if isinstance(choices, list) and choices:
        content = (choices[0].get("message") or {}).get("content")
        return content if isinstance(content, str) else ""
    return ""


def _context(text: str, sample: Mapping[str, Any]) -> dict[str, Any]:
    try:
        parsed: Any = orjson.loads(text)
    except orjson.JSONDecodeError:
        parsed = None
    return {**sample, "output_text": text, "output_json": parsed}


def _messages(data_source: Mapping[str, Any], item: Mapping[str, Any]) -> list[dict[str, str]]:
    spec = data_source["input_messages"]
    context = {"item": item}
    if spec.get("type") == "item_reference":
        reference = spec.get("item_reference")
        found: Any = context
        for key in str(reference).split("."):
            found = found.get(key) if isinstance(found, Mapping) else None
        if isinstance(found, str):
            return [{"role": "user", "content": found}]
        if not isinstance(found, list):
            raise TemplateError(f"Item reference '{reference}' is not a list of messages.")
        return [
            {"role": str(m.get("role", "user")), "content": message_text(m.get("content"), {})}
            for m in found
            if isinstance(m, Mapping)
        ]
    return [
        {"role": str(m.get("role", "user")), "content": message_text(m.get("content"), context)}
        for m in spec.get("template") or ()
    ]


def sample_row(
    data_source: Mapping[str, Any],
    row: Row,
    complete: Callable[[Mapping[str, Any]], dict[str, Any]],
) -> Sampled:
    """The sample of one row: the fake model's answer to its rendered messages when the
    data source samples, else the row's own sample (TemplateError for a bad template)."""
    params = {**_SAMPLING_DEFAULTS, **(data_source.get("sampling_params") or {})}
    settings = {
        "temperature": params["temperature"],
        "top_p": params["top_p"],
        "seed": params["seed"],
        "max_completion_tokens": params.get("max_completion_tokens", _MAX_COMPLETION_TOKENS),
    }
    if data_source.get("input_messages") is None:
        given = row.sample or {}
        text = _sample_text(given)
        shown = {
            "input": [],
            "output": [{"role": "assistant", "content": text}],
            "finish_reason": "stop",
            "model": str(given.get("model") or data_source.get("model") or ""),
            "usage": dict.fromkeys(_USAGE_KEYS, 0),
            "error": None,
            **settings,
        }
        return Sampled(shown, _context(text, given), None)
    messages = _messages(data_source, row.item)
    body = {"model": data_source["model"], "messages": messages, **settings}
    answer = complete(body)
    choice = answer["choices"][0]
    text = choice["message"].get("content") or choice["message"].get("refusal") or ""
    usage = {
        "prompt_tokens": answer["usage"]["prompt_tokens"],
        "completion_tokens": answer["usage"]["completion_tokens"],
        "total_tokens": answer["usage"]["total_tokens"],
        "cached_tokens": 0,
    }
    shown = {
        "input": messages,
        "output": [{"role": "assistant", "content": text}],
        "finish_reason": choice["finish_reason"],
        "model": answer["model"],
        "usage": usage,
        "error": None,
        **settings,
    }
    return Sampled(shown, _context(text, {"choices": answer["choices"]}), usage)
