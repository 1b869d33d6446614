"""Request checks of the fake Responses and Conversations APIs: OpenAI's 400s.

Unknown arguments, missing ``model``/``input`` and wrong types are 400s naming the
``param``, as :class:`.._checks.APIError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aio_openai.testing._checks import (
    APIError,
    check_boolean,
    check_integer,
    check_metadata,
    check_number,
    check_string,
    missing,
    wrong_type,
)
from aio_openai.testing._strict import strict_schema_problem

__all__ = [
    "PARSE_ERROR",
    "check_compact",
    "check_conversation_create",
    "check_conversation_update",
    "check_count",
    "check_create",
    "check_items",
    "starting_after",
]

#: The 400 for a body that is not JSON.
PARSE_ERROR: Final = (
    "We could not parse the JSON body of your request. (HINT: This likely means you "
    "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, "
    "but what was sent was not valid JSON.)"
)

_MAX_ITEMS: Final = 20
_CREATE_KEYS: Final = frozenset(
    {
        "model", "input", "instructions", "tools", "tool_choice", "previous_response_id",
        "conversation", "store", "background", "max_output_tokens", "max_tool_calls",
        "metadata", "parallel_tool_calls", "include", "prompt", "prompt_cache_key",
        "prompt_cache_retention", "reasoning", "safety_identifier", "service_tier", "stream",
        "stream_options", "temperature", "text", "top_logprobs", "top_p", "truncation", "user",
        "context_management", "moderation", "prompt_cache_options", "access_programs",
        "background_options", "image",
    }
)  # fmt: skip
#: The beta Responses' create body (``POST /responses?beta=true``) has these more.
_BETA_CREATE_KEYS: Final = _CREATE_KEYS | {"multi_agent"}
#: The body of ``POST /responses/compact``.
_COMPACT_KEYS: Final = frozenset(
    {
        "model", "input", "instructions", "previous_response_id", "prompt_cache_key",
        "prompt_cache_options", "prompt_cache_retention", "safety_identifier", "service_tier",
        "image",
    }
)  # fmt: skip
#: The body of ``POST /responses/input_tokens``.
_COUNT_KEYS: Final = frozenset(
    {
        "conversation", "input", "instructions", "model", "parallel_tool_calls", "personality",
        "previous_response_id", "reasoning", "text", "tool_choice", "tools", "truncation",
    }
)  # fmt: skip


def _check_item(item: Any, where: str) -> None:
    if not isinstance(item, dict):
        raise wrong_type(where, "an object", item)
    kind = item.get("type")
    if kind is None or kind == "message":
        if "role" not in item:
            raise missing(f"{where}.role")
        if item["role"] not in ("user", "assistant", "system", "developer"):
            raise APIError(
                400,
                f"Invalid value: '{item['role']}'. Supported values are: 'user', 'assistant', "
                "'system', and 'developer'.",
                param=f"{where}.role",
                code="invalid_value",
            )
        if "content" not in item:
            raise missing(f"{where}.content")
        if not isinstance(item["content"], str | list):
            raise wrong_type(f"{where}.content", "a string or an array", item["content"])
    elif kind == "function_call_output":
        check_string(item, "call_id", param=f"{where}.call_id", required=True, nullable=False)
        if "output" not in item:
            raise missing(f"{where}.output")
    elif kind == "function_call":
        for key in ("call_id", "name", "arguments"):
            check_string(item, key, param=f"{where}.{key}", required=True, nullable=False)
    elif not isinstance(kind, str):
        raise wrong_type(f"{where}.type", "a string", kind)


def check_items(items: Any, param: str) -> list[dict[str, Any]]:
    """A list of input items (at most 20), returned as checked."""
    if not isinstance(items, list):
        raise wrong_type(param, "an array", items)
    if len(items) > _MAX_ITEMS:
        raise APIError(
            400,
            f"Invalid '{param}': array too long. Expected an array with maximum length "
            f"{_MAX_ITEMS}, but got an array with length {len(items)} instead.",
            param=param,
            code="array_above_max_length",
        )
    for i, item in enumerate(items):
        _check_item(item, f"{param}[{i}]")
    return items


def _known(body: Mapping[str, Any], keys: frozenset[str]) -> None:
    for key in body:
        if key not in keys:
            raise APIError(400, f"Unknown parameter: '{key}'.", param=key, code="unknown_parameter")


def _check_input(body: Mapping[str, Any], *, required: bool) -> None:
    """``input``: a string or a list of items; ``instructions`` and ``previous_response_id``:
    strings."""
    if body.get("input") is None:
        if required:
            raise missing("input")
    elif isinstance(body["input"], list):
        for i, item in enumerate(body["input"]):
            _check_item(item, f"input[{i}]")
    elif not isinstance(body["input"], str):
        raise wrong_type("input", "a string or an array", body["input"])
    for key in ("instructions", "previous_response_id"):
        check_string(body, key)


def check_create(body: Mapping[str, Any], *, beta: bool = False) -> None:
    """A response's create body (a beta one's, ``?beta=true``, with ``multi_agent``)."""
    _known(body, _BETA_CREATE_KEYS if beta else _CREATE_KEYS)
    check_string(body, "model", required=True, nullable=False)
    _check_input(body, required=body.get("conversation") is None)
    for key in ("store", "background", "stream", "parallel_tool_calls"):
        check_boolean(body, key)
    check_integer(body, "max_output_tokens", 16)
    check_number(body, "temperature", 0, 2)
    check_number(body, "top_p", 0, 1)
    check_metadata(body)
    _check_conversation(body)
    if body.get("background") and body.get("store") is False:
        raise APIError(400, "Background mode requires store=true.", param="background")
    _check_tools(body)


def check_compact(body: Mapping[str, Any]) -> None:
    """A compact body: ``model``, and ``input`` or ``previous_response_id`` (or both)."""
    _known(body, _COMPACT_KEYS)
    check_string(body, "model", required=True, nullable=False)
    _check_input(body, required=body.get("previous_response_id") is None)


def check_count(body: Mapping[str, Any]) -> None:
    """An input token count body: what ``create`` takes of the context, nothing required."""
    _known(body, _COUNT_KEYS)
    check_string(body, "model")
    _check_input(body, required=False)
    check_boolean(body, "parallel_tool_calls")
    _check_conversation(body)
    _check_tools(body)


def _check_conversation(body: Mapping[str, Any]) -> None:
    conversation = body.get("conversation")
    if conversation is not None:
        if isinstance(conversation, dict):
            check_string(conversation, "id", param="conversation.id", required=True, nullable=False)
        elif not isinstance(conversation, str):
            raise wrong_type("conversation", "a string or an object", conversation)
        if body.get("previous_response_id") is not None:
            raise APIError(
                400,
                "Mutually exclusive parameters: Ensure you are only providing one of: "
                "'previous_response_id' or 'conversation'.",
                param="conversation",
                code="mutually_exclusive_parameters",
            )


def _check_tools(body: Mapping[str, Any]) -> None:
    tools = body.get("tools")
    if tools is not None:
        if not isinstance(tools, list):
            raise wrong_type("tools", "an array", tools)
        for i, tool in enumerate(tools):
            if not isinstance(tool, dict):
                raise wrong_type(f"tools[{i}]", "an object", tool)
            if not isinstance(tool.get("type"), str):
                raise missing(f"tools[{i}].type")
            if tool["type"] == "function":
                check_string(tool, "name", param=f"tools[{i}].name", required=True, nullable=False)
                if tool.get("strict") is True:
                    _check_strict(
                        tool.get("parameters"),
                        f"function '{tool['name']}'",
                        f"tools[{i}].parameters",
                        "invalid_function_parameters",
                        parameters=True,
                    )
    text = body.get("text")
    if text is not None:
        if not isinstance(text, dict):
            raise wrong_type("text", "an object", text)
        form = text.get("format")
        if isinstance(form, dict) and form.get("type") == "json_schema":
            check_string(form, "name", param="text.format.name", required=True, nullable=False)
            if form.get("strict") is True:
                _check_strict(
                    form.get("schema"),
                    f"response_format '{form['name']}'",
                    "text.format.schema",
                    "invalid_json_schema",
                )


def _check_strict(
    schema: Any, what: str, param: str, code: str, *, parameters: bool = False
) -> None:
    problem = strict_schema_problem(schema, parameters=parameters)
    if problem:
        raise APIError(400, f"Invalid schema for {what}: {problem}", param=param, code=code)


def _only(body: Mapping[str, Any], keys: tuple[str, ...]) -> None:
    for key in body:
        if key not in keys:
            raise APIError(400, f"Unknown parameter: '{key}'.", param=key)


def check_conversation_create(body: Mapping[str, Any]) -> None:
    """A conversation's create body: ``items``, ``metadata`` and ``safety_identifier``."""
    _only(body, ("items", "metadata", "safety_identifier"))
    check_string(body, "safety_identifier")
    if body.get("items") is not None:
        check_items(body["items"], "items")
    check_metadata(body)


def check_conversation_update(body: Mapping[str, Any]) -> None:
    """A conversation's update body: ``metadata``, required."""
    _only(body, ("metadata",))
    if "metadata" not in body:
        raise missing("metadata")
    check_metadata(body)


def starting_after(query: Mapping[str, str]) -> int:
    """The ``starting_after`` event number of a stream's query (-1: from the start)."""
    after = query.get("starting_after")
    try:
        return -1 if after is None else int(after)
    except ValueError:
        raise APIError(
            400, "Invalid 'starting_after': expected an integer.", param="starting_after"
        ) from None
